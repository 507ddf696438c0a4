"""A prescriber on a phone keeps a client's methadone going: they start on their worklist,
continue from it a prescription ending soon in one action, see the new prescription, and
print it with every item a controlled-drug instalment prescription must state (Misuse of
Drugs Regulations 2001 reg 15); axe-core finds nothing wrong on any page they open."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import SiteFactory
from beacon.prescribing.tests.factories import prescribe

from ..steps import (
    and_the_page_passes_axe,
    given_i_am_signed_in_as,
    then_i_start_on_my_worklist,
    when_i_open_from_the_menu,
)

TODAY = timezone.localdate()


@pytest.fixture
def prescriber(make_user, team, provider):
    team.site = SiteFactory(
        provider=provider,
        name="Harbour hub",
        address="12 Harbour Street\nDemo City",
        postcode="LS1 4AP",
    )
    team.save()
    return make_user(Role.PRESCRIBER, first_name="Priya", last_name="Scriber", team=team)


@pytest.fixture
def robin(provider, team, prescriber):
    """Robin's 14-day methadone prescription ends the day after tomorrow."""
    robin = ClientFactory(provider=provider, team=team, first_name="Robin", last_name="Fellwood")
    prescribe(client=robin, prescriber=prescriber, start_date=TODAY - datetime.timedelta(days=11))
    return robin


def test_prescriber_continues_a_prescription_ending_soon_from_the_worklist_and_prints_it(
    phone_page: Page, prescriber, robin
):
    page = phone_page
    given_i_am_signed_in_as(page, prescriber)
    then_i_start_on_my_worklist(page, prescriber, "Prescriptions ending in the next 3 days")
    and_robin_is_listed_as_ending_the_day_after_tomorrow(page)

    when_i_continue_robins_prescription(page)
    then_i_see_the_new_prescription_starting_after_the_last_day(page)

    when_i_open_its_print_page(page)
    then_the_page_states_every_reg_15_item(page)

    when_i_open_from_the_menu(page, "Home")
    then_robin_is_no_longer_on_my_worklist(page)
    when_i_open_from_the_menu(page, "Ending soon")
    then_robin_is_no_longer_listed(page)


def and_robin_is_listed_as_ending_the_day_after_tomorrow(page: Page) -> None:
    row = page.locator("#worklist-ending-soon tr", has_text="Robin Fellwood")
    last_day = TODAY + datetime.timedelta(days=2)
    expect(row).to_contain_text(f"{last_day:%-d %B %Y}")


def when_i_continue_robins_prescription(page: Page) -> None:
    page.get_by_role("link", name="Continue the prescription of Robin Fellwood").click()
    expect(page.locator("#continue-from")).to_contain_text(
        f"{TODAY + datetime.timedelta(days=3):%-d %B %Y}"
    )
    and_the_page_passes_axe(page)
    page.get_by_role("button", name="Continue prescription").click()


def then_i_see_the_new_prescription_starting_after_the_last_day(page: Page) -> None:
    expect(page.get_by_text("Prescription continued")).to_be_visible()
    start = TODAY + datetime.timedelta(days=3)
    end = start + datetime.timedelta(days=13)
    expect(page.get_by_text(f"{start:%-d %B %Y} to {end:%-d %B %Y}")).to_be_visible()
    expect(page.get_by_text(f"Starts on {start:%-d %B %Y}")).to_be_visible()
    and_the_page_passes_axe(page)


def when_i_open_its_print_page(page: Page) -> None:
    page.get_by_role("button", name="Print the prescription").click()


def then_the_page_states_every_reg_15_item(page: Page) -> None:
    expect(
        page.get_by_role("heading", name="Instalment prescription: controlled drug")
    ).to_be_visible()
    items = page.locator("#reg15")
    for text in (
        "Robin Fellwood",
        "1 Test Street",
        "Methadone 1mg/ml oral solution sugar free",
        "Oral solution",
        "1 mg/ml",
        "30 mg a day",
        "420 ml (four hundred and twenty millilitres)",
        "Dispense 30 ml (30 mg) daily",
        "Priya Scriber",
        "12 Harbour Street",
        f"{TODAY:%-d %B %Y}",
    ):
        expect(items).to_contain_text(text)
    expect(page.locator("#approved-wording")).to_contain_text(
        "Consult the prescriber if 3 or more consecutive days of a prescription have been missed."
    )
    and_the_page_passes_axe(page)


def then_robin_is_no_longer_on_my_worklist(page: Page) -> None:
    expect(page.locator("#worklist-ending-soon")).not_to_contain_text("Robin Fellwood")
    and_the_page_passes_axe(page)


def then_robin_is_no_longer_listed(page: Page) -> None:
    expect(page.locator("#ending-soon")).not_to_contain_text("Robin Fellwood")
    and_the_page_passes_axe(page)
