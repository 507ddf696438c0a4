"""A worker records a needle and syringe programme visit on a phone-sized screen (issue
#13): a first try with a date still to come and a negative count is refused with its
messages and nothing saved; corrected, the visit is saved by attributor, appears in the
list, and the form and the list pass axe-core and fit the phone's screen."""

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.harmreduction.models import NspTransaction
from beacon.harmreduction.tests.factories import site_of

from ..axe import axe_violations
from ..steps import (
    error_link,
    fill_date,
    given_i_am_signed_in_as,
    page_width,
    when_i_open_from_the_menu,
)

TODAY = timezone.localdate()


def test_a_worker_records_an_nsp_visit_on_a_phone(phone_page: Page, make_user, provider, team):
    page = phone_page
    worker = given_a_keyworker_at_the_hub(make_user, provider, team)
    given_i_am_signed_in_as(page, worker)
    when_i_open_from_the_menu(page, "NSP")
    and_i_start_recording_a_visit(page)
    then_the_page_passes_axe_and_fits_the_phone(page)

    when_i_fill_in_a_visit(page, day=TODAY + datetime.timedelta(days=1), water="-2")
    then_i_am_told_what_to_correct_and_nothing_is_saved(page)
    then_the_page_passes_axe_and_fits_the_phone(page)

    when_i_correct_the_date_and_the_count(page)
    then_the_visit_is_saved_by_its_attributor(page)
    and_the_list_shows_it(page)
    then_the_page_passes_axe_and_fits_the_phone(page)


def given_a_keyworker_at_the_hub(make_user, provider, team):
    team.site = site_of(provider)
    team.save()
    return make_user(Role.KEYWORKER, first_name="Kai", last_name="Ellison")


def and_i_start_recording_a_visit(page: Page) -> None:
    page.get_by_role("link", name="Record an NSP transaction").click()
    expect(page.get_by_role("heading", name="Record an NSP transaction")).to_be_visible()


def when_i_fill_in_a_visit(page: Page, *, day: datetime.date, water: str) -> None:
    fill_date(page, "Date of visit", day)
    page.get_by_label("Initials").fill("RT")
    fill_date(page, "Date of birth", datetime.date(1988, 7, 3))
    page.get_by_role("radio", name="Female").check()
    page.get_by_label("Needle, orange 25G 16 mm (⅝ inch)").fill("10")
    page.get_by_label("Syringe, 1 ml", exact=True).fill("10")
    page.get_by_label("Water for injections").fill(water)
    page.get_by_label("Sharps bins given out").fill("1")
    page.get_by_label("Sharps bins returned").fill("1")
    page.get_by_role("button", name="Record transaction").click()


def then_i_am_told_what_to_correct_and_nothing_is_saved(page: Page) -> None:
    expect(error_link(page, "Date of visit: The date cannot be in the future")).to_be_visible()
    assert NspTransaction.objects.count() == 0
    # What was typed is kept.
    expect(page.get_by_label("Initials")).to_have_value("RT")


def when_i_correct_the_date_and_the_count(page: Page) -> None:
    fill_date(page, "Date of visit", TODAY)
    page.get_by_role("button", name="Record transaction").click()
    expect(error_link(page, "Water for injections: Enter 0 or more, not -2")).to_be_visible()
    assert NspTransaction.objects.count() == 0
    page.get_by_label("Water for injections").fill("10")
    page.get_by_role("button", name="Record transaction").click()


def then_the_visit_is_saved_by_its_attributor(page: Page) -> None:
    expect(page.get_by_text("NSP transaction recorded: RT 03/07/1988 F")).to_be_visible()
    details = page.locator("#transaction")
    expect(details).to_contain_text("Harbour Street hub")
    expect(details).to_contain_text("Water for injections")
    saved = NspTransaction.objects.get()
    assert (saved.initials, saved.client_id, saved.bins_returned) == ("RT", None, 1)


def and_the_list_shows_it(page: Page) -> None:
    page.get_by_role("link", name="All NSP transactions").click()
    rows = page.locator("#nsp-transactions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("RT 03/07/1988 F")


def then_the_page_passes_axe_and_fits_the_phone(page: Page) -> None:
    assert axe_violations(page) == []
    width = page_width(page)
    assert width["scroll"] <= width["inner"] == 390
