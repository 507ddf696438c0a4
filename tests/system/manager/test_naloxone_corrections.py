"""Naloxone corrections (issue #13 review): a service manager corrects the stock after a
count and marks a supply recorded in error (the kit goes back into stock, the client is
flagged again, coverage falls); a commissioner then reads coverage with no staff named and
its small numbers suppressed (H-146)."""

import pytest
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.models import StockBalance
from beacon.naloxone.tests.factories import opiate_client, receive, supply_to

from ..steps import and_i_sign_out, given_i_am_signed_in_as, when_i_open_from_the_menu

FLAG = "No in-date naloxone kit: offer one"


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, first_name="Morgan")


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kit", last_name="Holloway")


@pytest.fixture
def commissioner(make_user):
    return make_user(Role.COMMISSIONER, first_name="Cass")


@pytest.fixture
def robin_was_supplied_a_kit(provider, team, manager, keyworker):
    site = SiteFactory(provider=provider, name="Harbour Street")
    team.site = site
    team.save()
    batch = receive(manager, site, batch="PX24A", quantity=3).batch
    robin = opiate_client(team, keyworker, first_name="Robin", last_name="Fellwood")
    supply_to(keyworker, robin, batch, site)
    return robin


def test_manager_corrects_a_count_and_a_supply_recorded_in_error_and_coverage_follows(
    page: Page, manager, commissioner, robin_was_supplied_a_kit
):
    robin = robin_was_supplied_a_kit
    given_i_am_signed_in_as(page, manager)
    then_the_coverage_is(page, "100%")
    and_it_is_broken_down_by_keyworker(page)

    when_i_open_the_naloxone_stock(page)
    and_i_correct_the_count_of_px24a_to(page, "1", "1 found damaged in the cupboard")
    then_the_ledger_shows(page, "Stock count 1: 1 found damaged in the cupboard")

    when_i_open_robins_naloxone_record(page, robin)
    and_i_mark_the_supply_recorded_in_error(page, "Recorded against the wrong client")
    then_robin_is_flagged_again_and_the_kit_is_back_in_stock(page)
    then_the_coverage_is(page, "0%")
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, commissioner)
    # One opiate client: "0 of 1" would point to Robin, so the commissioner sees neither.
    then_the_coverage_is(page, "not shown")
    expect(page.locator("#coverage-counts")).to_have_text(
        "not shown of fewer than 5 current opiate clients"
    )
    and_no_member_of_staff_is_named(page)


def then_the_coverage_is(page: Page, figure: str) -> None:
    when_i_open_from_the_menu(page, "Naloxone coverage")
    expect(page.locator("#coverage-overall")).to_have_text(figure)


def and_it_is_broken_down_by_keyworker(page: Page) -> None:
    expect(page.get_by_role("heading", name="By keyworker")).to_be_visible()
    expect(page.locator("#coverage-keyworkers")).to_contain_text("Kit Holloway")


def and_no_member_of_staff_is_named(page: Page) -> None:
    expect(page.get_by_role("heading", name="By team")).to_be_visible()
    expect(page.get_by_role("heading", name="By keyworker")).to_have_count(0)
    expect(page.get_by_text("Holloway")).to_have_count(0)
    expect(page.get_by_text("Fellwood")).to_have_count(0)


def when_i_open_the_naloxone_stock(page: Page) -> None:
    when_i_open_from_the_menu(page, "Naloxone")
    page.get_by_role("link", name="Stock", exact=True).click()
    expect(page.get_by_role("heading", name="Naloxone stock")).to_be_visible()


def and_i_correct_the_count_of_px24a_to(page: Page, counted: str, why: str) -> None:
    page.get_by_role("link", name="Correct a stock count").click()
    page.get_by_label("Batch counted").select_option(index=1)
    page.get_by_label("Number of kits counted").fill(counted)
    page.get_by_label("Why the count differs").fill(why)
    page.get_by_role("button", name="Record the count").click()
    expect(page.get_by_text("Stock count recorded")).to_be_visible()


def then_the_ledger_shows(page: Page, movement: str) -> None:
    expect(page.locator("#naloxone-ledger")).to_contain_text(movement)
    assert StockBalance.objects.get().balance == 1


def when_i_open_robins_naloxone_record(page: Page, robin) -> None:
    page.goto(f"/naloxone/clients/{robin.client_number}/")
    expect(page.locator("#naloxone-supplies")).to_contain_text("batch PX24A")


def and_i_mark_the_supply_recorded_in_error(page: Page, why: str) -> None:
    page.locator("#naloxone-supplies").get_by_role("link", name="Recorded in error").click()
    expect(page.get_by_role("heading", name="Supply recorded in error")).to_be_visible()
    page.get_by_label("Why this supply was recorded in error").fill(why)
    page.get_by_role("button", name="Mark as recorded in error").click()
    expect(page.get_by_text("Supply marked as recorded in error.")).to_be_visible()


def then_robin_is_flagged_again_and_the_kit_is_back_in_stock(page: Page) -> None:
    expect(page.locator("#naloxone-supplies")).to_contain_text("Recorded in error (")
    expect(page.get_by_text(FLAG).first).to_be_visible()
    assert StockBalance.objects.get().balance == 2
