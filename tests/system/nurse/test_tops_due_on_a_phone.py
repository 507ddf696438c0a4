"""A nurse on a phone starts on the TOPs due and records one from there: the TOP form is
reached from the worklist, not by typing its address; axe-core finds nothing wrong on any
page the nurse opens."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

from ..keyworker.test_treatment_journey import fill_top
from ..steps import (
    and_the_page_passes_axe,
    given_i_am_signed_in_as,
    then_i_start_on_my_worklist,
    when_i_open_from_the_menu,
)

TODAY = timezone.localdate()


@pytest.fixture
def nurse(make_user):
    return make_user(Role.NURSE, first_name="Nia", last_name="Nurseling")


@pytest.fixture
def robin(provider, team):
    """Robin started treatment a week ago; no start TOP is recorded yet."""
    robin = ClientFactory(provider=provider, team=team, first_name="Robin", last_name="Fellwood")
    TreatmentEpisodeFactory(client=robin, start_date=TODAY - datetime.timedelta(days=7))
    return robin


def test_nurse_records_a_top_that_is_due_from_the_worklist_on_a_phone(
    phone_page: Page, nurse, robin
):
    page = phone_page
    given_i_am_signed_in_as(page, nurse)
    then_i_start_on_my_worklist(page, nurse, "TOPs due")
    and_robins_start_top_is_due(page)

    when_i_record_robins_start_top_from_the_worklist(page)
    then_the_top_is_saved_by_me(page, robin, nurse)

    when_i_go_back_to_my_worklist(page)
    then_robins_top_is_no_longer_due(page)


def and_robins_start_top_is_due(page: Page) -> None:
    row = page.locator("#worklist-tops-due tr", has_text="FELLWOOD, Robin")
    expect(row).to_contain_text("Start TOP")
    expect(row).to_contain_text("Overdue by 7 days")


def when_i_record_robins_start_top_from_the_worklist(page: Page) -> None:
    page.get_by_role("link", name="Record TOP for Robin Fellwood").click()
    expect(page.get_by_role("button", name="Save TOP")).to_be_visible()
    and_the_page_passes_axe(page)
    fill_top(page, "Start of treatment", TODAY)
    page.get_by_role("button", name="Save TOP").click()


def then_the_top_is_saved_by_me(page: Page, robin, nurse) -> None:
    expect(page.get_by_text("TOP saved.")).to_be_visible()
    and_the_page_passes_axe(page)
    top = TreatmentOutcomesProfile.objects.get(client=robin)
    assert (top.stage, top.completed_on, top.recorded_by) == ("start", TODAY, nurse)


def when_i_go_back_to_my_worklist(page: Page) -> None:
    when_i_open_from_the_menu(page, "Home")


def then_robins_top_is_no_longer_due(page: Page) -> None:
    expect(page.locator("#worklist-tops-due")).not_to_contain_text("FELLWOOD")
    expect(page.locator("#worklist-tops-due")).to_contain_text(
        "No Treatment Outcomes Profile is due"
    )
    and_the_page_passes_axe(page)
