"""Naloxone opt-out (issue #13): a keyworker sees an opiate client without a kit flagged on
the caseload and the gaps list, supplies a kit with training to the client's sister, and
the gap closes; the service manager's coverage figure goes from 0% to 100%."""

import pytest
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.models import NaloxoneSupply
from beacon.naloxone.tests.factories import opiate_client, receive

from ..axe import axe_violations
from ..steps import and_i_sign_out, checkbox, given_i_am_signed_in_as, when_i_open_from_the_menu

FLAG = "No in-date naloxone kit: offer one"


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kit")


@pytest.fixture
def robin_uses_heroin(team, keyworker):
    return opiate_client(team, keyworker, first_name="Robin", last_name="Fellwood")


@pytest.fixture
def stock_at_harbour_street(provider, team, manager):
    site = SiteFactory(provider=provider, name="Harbour Street")
    team.site = site
    team.save()
    return receive(manager, site, batch="PX24A", quantity=3)


def test_keyworker_supplies_naloxone_with_training_to_the_clients_sister_and_coverage_rises(
    page: Page, keyworker, manager, robin_uses_heroin, stock_at_harbour_street
):
    robin = robin_uses_heroin
    given_i_am_signed_in_as(page, manager)
    then_the_coverage_figure_is(page, "0%", "0 of 1 current opiate clients")
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, keyworker)
    then_my_caseload_flags_robin_without_a_kit(page)
    when_i_open_the_naloxone_gaps(page)
    then_robin_is_a_gap(page, "Never supplied")

    when_i_open_robins_record_from_the_gaps_and_choose_supply(page)
    and_i_supply_a_kit_to_robins_sister_after_training(page)
    then_the_supply_is_recorded_for_the_sister(page, robin)
    when_i_open_the_naloxone_gaps(page)
    then_nobody_is_a_gap(page)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, manager)
    then_the_coverage_figure_is(page, "100%", "1 of 1 current opiate clients")


def then_the_coverage_figure_is(page: Page, figure: str, counts: str) -> None:
    when_i_open_from_the_menu(page, "Naloxone coverage")
    expect(page.locator("#coverage-overall")).to_have_text(figure)
    expect(page.locator("#coverage-counts")).to_have_text(counts)
    expect(page.get_by_text("Fellwood")).to_have_count(0)  # aggregated: nobody named


def then_my_caseload_flags_robin_without_a_kit(page: Page) -> None:
    when_i_open_from_the_menu(page, "Caseload")
    flagged = page.get_by_role("row").filter(has_text=FLAG)
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("FELLWOOD, Robin")


def when_i_open_the_naloxone_gaps(page: Page) -> None:
    when_i_open_from_the_menu(page, "Naloxone")
    expect(page.get_by_role("heading", name="Naloxone gaps")).to_be_visible()


def then_robin_is_a_gap(page: Page, why: str) -> None:
    row = page.locator("#naloxone-gaps").get_by_role("row").filter(has_text="FELLWOOD")
    expect(row).to_contain_text(why)


def when_i_open_robins_record_from_the_gaps_and_choose_supply(page: Page) -> None:
    page.locator("#naloxone-gaps").get_by_role("link", name="FELLWOOD, Robin").click()
    expect(page.get_by_text(FLAG).first).to_be_visible()
    page.get_by_role("link", name="Supply naloxone", exact=True).click()
    expect(page.get_by_role("heading", name="Supply naloxone")).to_be_visible()


def and_i_supply_a_kit_to_robins_sister_after_training(page: Page) -> None:
    page.get_by_label("Family member").check()
    page.get_by_label("Their name (optional)").fill("Sam Fellwood (sister)")
    page.get_by_label("Kit", exact=True).select_option(index=1)
    # Every box starts empty: the keyworker ticks what they covered with Sam.
    expect(checkbox(page, "Giving naloxone")).not_to_be_checked()
    for topic in (
        "Recognising an overdose",
        "Recovery position",
        "Calling 999",
        "Giving naloxone",
        "Staying with the person (naloxone wears off)",
    ):
        checkbox(page, topic).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record supply").click()


def then_the_supply_is_recorded_for_the_sister(page: Page, robin) -> None:
    expect(page.get_by_text("Naloxone supply recorded.")).to_be_visible()
    table = page.locator("#naloxone-supplies")
    expect(table).to_contain_text("Family member: Sam Fellwood (sister)")
    expect(table).to_contain_text("batch PX24A")
    supply = NaloxoneSupply.objects.get(client=robin)
    assert "recovery_position" in supply.training_topics
    assert supply.trained_by.first_name == "Kit"


def then_nobody_is_a_gap(page: Page) -> None:
    expect(page.locator("#naloxone-gaps")).to_have_text(
        "Every current opiate client holds an in-date kit."
    )
