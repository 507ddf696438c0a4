"""A peer volunteer's outreach shift on a phone-sized screen (issue #15): check in, record
three contacts (one a naloxone pack from stock, one a referral to the outreach nurse),
check out; the nurse sees the referral and records its outcome; the outreach report counts
all of it. The volunteer reaches no other volunteer's shift."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.models import StockBalance
from beacon.naloxone.tests.factories import receive
from beacon.volunteers.tests.factories import shift_for, volunteer_for

from ..steps import (
    and_i_sign_out,
    checkbox,
    given_i_am_signed_in_as,
    page_width,
    when_i_open_from_the_menu,
)


@pytest.fixture
def outreach(make_user, provider):
    manager = make_user(Role.MANAGER, first_name="Morgan", last_name="Lead")
    nurse = make_user(Role.NURSE, first_name="Nia", last_name="Nurseling")
    user = make_user(Role.VOLUNTEER, first_name="Val", last_name="Peerhelp")
    volunteer = volunteer_for(user, trained=True)
    base = SiteFactory(provider=provider, name="Harbour Street hub")
    batch = receive(manager, base, quantity=3).batch
    shift = shift_for(volunteer, site=base, duty_manager=manager, area="Holbeck")
    return {"manager": manager, "nurse": nurse, "user": user, "shift": shift, "batch": batch}


def test_a_volunteer_works_a_shift_and_the_nurse_follows_the_referral_on_a_phone(
    phone_page: Page, outreach
):
    page = phone_page
    given_i_am_signed_in_as(page, outreach["user"])
    then_i_start_on_my_day_with_todays_shift(page)
    when_i_check_in(page)
    and_i_record_a_contact(page, water=True, advice="Overdose awareness")
    and_i_record_a_contact(page, naloxone=True)
    and_i_record_a_contact(page, referral="Outreach nurse", notes="By the canal steps, mornings")
    then_the_shift_shows_my_three_contacts(page)
    and_the_page_fits_the_phones_screen(page)
    and_the_naloxone_pack_came_out_of_stock(outreach["batch"])
    when_i_check_out(page)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, outreach["nurse"])
    when_i_open_from_the_menu(page, "Outreach referrals")
    and_i_record_the_outcome_of_the_referral(page, "Seen")

    and_i_sign_out(page)
    given_i_am_signed_in_as(page, outreach["manager"])
    when_i_open_from_the_menu(page, "Outreach report")
    then_the_report_counts_it_all(page)
    and_charts_it_by_month_and_area(page)


def then_i_start_on_my_day_with_todays_shift(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/volunteers/my-day/$"))
    expect(page.get_by_role("heading", name="Hello, Val", level=1)).to_be_visible()
    expect(page.locator("#my-shifts")).to_contain_text("Holbeck")


def when_i_check_in(page: Page) -> None:
    page.locator("#my-shifts").get_by_role("link", name=re.compile("Holbeck")).click()
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#check-status")).to_contain_text("Checked in at")


def and_i_record_a_contact(
    page: Page,
    *,
    water: bool = False,
    advice: str = "",
    naloxone: bool = False,
    referral: str = "",
    notes: str = "",
) -> None:
    page.get_by_role("link", name="Record a contact").click()
    expect(page.get_by_role("heading", name="Record a contact")).to_be_visible()
    if advice:
        checkbox(page, advice).check()
    if water:
        checkbox(page, "Water").check()
    if naloxone:
        checkbox(page, "Naloxone pack").check()
        checkbox(page, "I showed them how to use it").check()
    page.get_by_role("radio", name="No concern").check()
    if referral:
        page.get_by_label("Referred to").select_option(label=referral)
        page.get_by_label("Referral notes").fill(notes)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact saved.")).to_be_visible()


def then_the_shift_shows_my_three_contacts(page: Page) -> None:
    rows = page.locator("#contacts tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#contacts")).to_contain_text("naloxone pack")
    expect(page.locator("#contacts")).to_contain_text("Outreach nurse")


def and_the_page_fits_the_phones_screen(page: Page) -> None:
    width = page_width(page)
    assert width["scroll"] <= width["inner"] <= 390, width


def and_the_naloxone_pack_came_out_of_stock(batch) -> None:
    assert StockBalance.objects.get(batch=batch).balance == 2


def when_i_check_out(page: Page) -> None:
    page.get_by_role("button", name="Check out").click()
    expect(page.locator("#check-status")).to_contain_text("Checked out at")


def and_i_record_the_outcome_of_the_referral(page: Page, outcome: str) -> None:
    table = page.locator("#referrals")
    expect(table).to_contain_text("By the canal steps, mornings")
    table.get_by_role("link").first.click()
    page.get_by_role("button", name="Pick it up").click()
    expect(page.get_by_text("Referral picked up")).to_be_visible()
    page.get_by_role("radio", name=outcome).check()
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Referral outcome recorded.")).to_be_visible()
    expect(page.locator("#referrals")).to_contain_text(outcome)


def then_the_report_counts_it_all(page: Page) -> None:
    figures = page.locator("#outreach-figures")
    for label, number in (
        ("Contacts by volunteers", "3"),
        ("Naloxone kits supplied by volunteers", "1"),
        ("Referrals made", "1"),
        ("Referrals with an outcome", "1"),
    ):
        row = figures.locator(".nhsuk-summary-list__row").filter(has_text=label)
        expect(row.locator("dd")).to_have_text(number)
    month = timezone.localdate().strftime("%B %Y")
    expect(page.locator("#activity")).to_contain_text(month)
    expect(page.locator("#activity")).to_contain_text("Holbeck")


def and_charts_it_by_month_and_area(page: Page) -> None:
    for table in ("activity-by-month", "activity-by-area"):
        canvas = f'canvas[data-outreach-chart="{table}"]'
        page.wait_for_function(
            f"() => window.Chart && Chart.getChart(document.querySelector('{canvas}'))"
        )
        drawn = page.evaluate(
            f"() => Chart.getChart(document.querySelector('{canvas}')).data.datasets"
            ".map((set) => [set.label, set.data])"
        )
        assert drawn == [["Contacts", [3]], ["Naloxone by volunteers", [1]], ["Referrals", [1]]]
