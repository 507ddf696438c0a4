"""A nurse on a phone starts on naloxone and blood-borne virus work: Robin, on heroin and in
treatment, holds no naloxone kit and was never offered a hepatitis C or HIV test. From the
worklist the nurse records the hepatitis C offer; back home only the HIV test is still due,
and the kit is one tap away. axe-core finds nothing wrong on any page (issue #11, H-138,
H-139)."""

import pytest
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.harmreduction.models import BloodBorneVirusTest
from beacon.naloxone.tests.factories import opiate_client

from ..steps import (
    and_the_page_passes_axe,
    given_i_am_signed_in_as,
    then_i_start_on_my_worklist,
    when_i_open_from_the_menu,
)


@pytest.fixture
def nurse(make_user):
    return make_user(Role.NURSE, first_name="Nia", last_name="Nurseling")


@pytest.fixture
def robin(team, users):
    return opiate_client(team, users["keyworker"], first_name="Robin", last_name="Fellwood")


def test_nurse_starts_on_naloxone_and_bbv_work_and_records_an_offer(phone_page: Page, nurse, robin):
    page = phone_page
    given_i_am_signed_in_as(page, nurse)
    then_i_start_on_my_worklist(
        page, nurse, "Without an in-date naloxone kit", "Blood-borne virus tests due"
    )
    and_robin_needs_a_kit_and_both_tests(page)

    when_i_record_that_robin_declined_a_hepatitis_c_test(page)
    then_the_offer_is_saved_by_me(robin, nurse)

    when_i_open_from_the_menu(page, "Home")
    then_only_the_hiv_test_is_still_due(page)


def and_robin_needs_a_kit_and_both_tests(page: Page) -> None:
    kit = page.locator("#worklist-naloxone-gaps tbody tr", has_text="Fellwood")
    expect(kit).to_contain_text("Never supplied")
    expect(kit.get_by_role("link", name="Supply a kit to Robin Fellwood")).to_be_visible()
    tests = page.locator("#worklist-bbv-tests-due tbody tr", has_text="Fellwood")
    expect(tests).to_contain_text("Hepatitis C: never offered; HIV: never offered")


def when_i_record_that_robin_declined_a_hepatitis_c_test(page: Page) -> None:
    page.get_by_role("link", name="Record the offer of a test to Robin Fellwood").click()
    expect(page.get_by_role("button", name="Save test")).to_be_visible()
    and_the_page_passes_axe(page)
    page.get_by_role("radio", name="Hepatitis C", exact=True).check()
    page.get_by_role("radio", name="Offered and declined").check()
    page.get_by_role("button", name="Save test").click()
    expect(page.get_by_text("Test recorded.")).to_be_visible()
    and_the_page_passes_axe(page)


def then_the_offer_is_saved_by_me(robin, nurse) -> None:
    test = BloodBorneVirusTest.objects.get(client=robin)
    assert (test.virus, test.offer, test.recorded_by) == ("hepatitis_c", "declined", nurse)


def then_only_the_hiv_test_is_still_due(page: Page) -> None:
    tests = page.locator("#worklist-bbv-tests-due tbody tr", has_text="Fellwood")
    expect(tests).to_contain_text("HIV: never offered")
    expect(tests).not_to_contain_text("Hepatitis C")
    and_the_page_passes_axe(page)
