"""A prescriber starts on their own clients: on the worklist the supply stopped for their
own client's review comes before a colleague's (which is still there, saying whose it is);
from the section they open the full list, narrow it to one client and download it; axe-core
finds nothing wrong on any page they open (issue #11, H-134)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.prescribing.models import Prescription
from beacon.prescribing.tests.factories import prescribe

from ..steps import and_the_page_passes_axe, given_i_am_signed_in_as, then_i_start_on_my_worklist


@pytest.fixture
def prescriber(make_user, team):
    return make_user(Role.PRESCRIBER, first_name="Priya", last_name="Scriber", team=team)


@pytest.fixture
def colleague(make_user):
    return make_user(
        Role.PRESCRIBER, username="prescriber-two", first_name="Ada", last_name="Quill"
    )


def suspended(client, prescriber) -> None:
    prescription = prescribe(client=client, prescriber=prescriber)
    prescription.status = Prescription.Status.SUSPENDED
    prescription.save(update_fields=["status"])


@pytest.fixture
def two_waiting(provider, team, prescriber, colleague):
    """Supply stopped for a review for Robin (the prescriber's) and Alex (the colleague's,
    first by name)."""
    robin = ClientFactory(provider=provider, team=team, first_name="Robin", last_name="Fellwood")
    alex = ClientFactory(provider=provider, team=team, first_name="Alex", last_name="Abbot")
    suspended(robin, prescriber)
    suspended(alex, colleague)
    return robin, alex


def test_prescriber_starts_on_their_own_clients_and_opens_the_full_list(
    phone_page: Page, prescriber, two_waiting
):
    page = phone_page
    given_i_am_signed_in_as(page, prescriber)
    then_i_start_on_my_worklist(page, prescriber, "Missed doses to review")
    and_my_clients_review_comes_before_my_colleagues(page)

    when_i_open_the_full_list_of_reviews(page)
    and_i_narrow_it_to(page, "Abbot")
    then_only_alex_is_listed_and_the_download_keeps_the_filter(page)


def and_my_clients_review_comes_before_my_colleagues(page: Page) -> None:
    rows = page.locator("#worklist-missed-dose-reviews tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Robin Fellwood")
    expect(rows.nth(0)).to_contain_text("You")
    expect(rows.nth(1)).to_contain_text("Alex Abbot")
    expect(rows.nth(1)).to_contain_text("Ada Quill")


def when_i_open_the_full_list_of_reviews(page: Page) -> None:
    page.get_by_role("link", name="See all 2 missed doses to review").click()
    expect(page.get_by_role("heading", name="Missed doses to review", level=1)).to_be_visible()
    and_the_page_passes_axe(page)


def and_i_narrow_it_to(page: Page, words: str) -> None:
    page.get_by_label("Name, NHS number or client number").fill(words)
    page.get_by_role("button", name="Show").click()


def then_only_alex_is_listed_and_the_download_keeps_the_filter(page: Page) -> None:
    table = page.locator("#missed-dose-reviews")
    expect(table).to_contain_text("Alex Abbot")
    expect(table).not_to_contain_text("Robin Fellwood")
    and_the_page_passes_axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Abbot" in text and "Fellwood" not in text
