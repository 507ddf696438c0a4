"""A keyworker on a phone starts on their caseload, opens a client from it, records a
drop-in contact and writes its case note; axe-core finds nothing wrong on any page."""

import pytest
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.models import CaseNote
from beacon.core.roles import Role

from ..steps import and_the_page_passes_axe, given_i_am_signed_in_as

NOTE = "Talked through the week; Robin wants to try the Thursday walking group."


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kai", last_name="Worker")


@pytest.fixture
def robin(provider, team, keyworker):
    return ClientFactory(
        provider=provider, team=team, keyworker=keyworker, first_name="Robin", last_name="Fellwood"
    )


def test_keyworker_opens_a_client_from_the_caseload_and_writes_a_case_note_on_a_phone(
    phone_page: Page, keyworker, robin
):
    page = phone_page
    given_i_am_signed_in_as(page, keyworker)
    then_i_start_on_my_caseload_with_robin_on_it(page)

    when_i_open_robin_from_my_caseload(page)
    and_i_record_a_drop_in_contact(page)
    and_i_write_its_case_note(page)

    then_the_note_is_shown_and_saved(page, robin, keyworker)


def then_i_start_on_my_caseload_with_robin_on_it(page: Page) -> None:
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()
    expect(page.locator("#caseload-clients")).to_contain_text("FELLWOOD, Robin")
    and_the_page_passes_axe(page)


def when_i_open_robin_from_my_caseload(page: Page) -> None:
    page.locator("#caseload-clients").get_by_role("link", name="FELLWOOD, Robin").click()
    expect(page.get_by_role("heading", name="Robin Fellwood", level=1)).to_be_visible()
    and_the_page_passes_axe(page)


def and_i_record_a_drop_in_contact(page: Page) -> None:
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_role("group", name="Type").get_by_role("radio", name="Drop-in").check()
    and_the_page_passes_axe(page)
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_text("Contact recorded.")).to_be_visible()
    and_the_page_passes_axe(page)


def and_i_write_its_case_note(page: Page) -> None:
    page.get_by_role("link", name="Write a case note").click()
    page.get_by_label("What was discussed").fill(NOTE)
    and_the_page_passes_axe(page)
    page.get_by_role("button", name="Save note").click()


def then_the_note_is_shown_and_saved(page: Page, robin, keyworker) -> None:
    expect(page.locator("#case-notes")).to_contain_text(NOTE)
    and_the_page_passes_axe(page)
    note = CaseNote.objects.get(client=robin)
    assert (note.text, note.written_by) == (NOTE, keyworker)
