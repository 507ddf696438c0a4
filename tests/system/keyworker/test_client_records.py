"""Journeys through client records: find, add, change consents, and what the audit log shows."""

import datetime
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from beacon.clients.models import Client
from beacon.core.roles import Role

from ..steps import (
    and_i_search_the_clients_for,
    and_i_sign_out,
    checkbox,
    error_link,
    fill_date,
    given_i_am_signed_in_as,
    when_i_open_from_the_menu,
)

NEXT_YEAR = datetime.date.today() + datetime.timedelta(days=366)


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kit")


def test_keyworker_signs_in_finds_creates_and_changes_consents_then_manager_sees_it_in_audit_log(
    page: Page, keyworker, manager, robin
):
    # A keyworker whose team already works with Robin Fellwood (with password and code)
    given_i_am_signed_in_as(page, keyworker)
    when_i_open_from_the_menu(page, "Clients")
    and_i_search_the_clients_for(page, "fellwood")
    then_robin_is_the_one_client_found_and_opening_the_record_shows_it(page, robin)

    when_the_keyworker_goes_back_to_the_results_and_adds_casey_northam(page)
    casey = then_caseys_page_shows_them_with_a_client_number_of_the_providers_own(page, keyworker)

    when_the_keyworker_records_that_casey_agrees_to_text_messages(page)
    then_caseys_record_shows_that_consent_as_yes(page, casey)
    and_i_sign_out(page)

    # The service manager (with two-factor too)
    given_i_am_signed_in_as(page, manager)
    when_the_manager_searches_the_audit_log_by_the_keyworkers_username(page, keyworker)
    then_they_see_the_keyworkers_sign_in_search_views_creation_and_update(page, manager)

    when_the_manager_searches_the_audit_log_by_caseys_number_instead(page, casey)
    then_only_caseys_entries_show_naming_what_changed(page, casey, robin)


def test_similar_client_is_not_created_until_keyworker_confirms_a_different_person(
    page: Page, keyworker, robin
):
    # Robin Fellwood, born 15 June 1984, already has a record
    clients_before = given_the_clients_already_on_record()
    given_i_am_on_the_add_client_form_as(page, keyworker)

    when_i_add_robyn_fellwood_born_the_same_day(page)
    then_i_am_warned_the_person_may_already_have_robins_record(page, robin)
    and_nothing_is_saved(clients_before)

    when_i_tick_that_i_have_checked_and_save_again(page)
    then_the_new_record_is_made_alongside_robins(page, robin, clients_before)


def test_bad_client_details_are_refused_with_messages_and_nothing_is_saved(page: Page, keyworker):
    clients_before = given_the_clients_already_on_record()
    given_i_am_on_the_add_client_form_as(page, keyworker)

    when_i_save_a_bad_nhs_number_a_made_up_postcode_and_a_birthday_next_year(page)
    then_the_error_summary_links_all_three_problems_to_their_fields(page)
    and_nothing_is_saved(clients_before)
    and_what_i_typed_is_kept_so_i_can_correct_it(page)

    when_i_correct_all_three(page)
    then_the_client_is_added(page, clients_before)


def test_checkbox_labels_name_their_checkboxes(page: Page, keyworker, robin):
    given_i_am_changing_consents_for_a_client_on_my_caseload(page, keyworker, robin)

    when_i_click_the_words(page, "Contact by text message")

    then_that_checkbox_is_ticked_and_found_by_its_label(page, "Contact by text message")


# The journeys' own steps, in the order they first come.


def then_robin_is_the_one_client_found_and_opening_the_record_shows_it(page: Page, robin) -> None:
    expect(page.get_by_role("heading", name="1 client found")).to_be_visible()
    page.get_by_role("link", name="FELLWOOD, Robin").click()
    expect(page.get_by_role("heading", name="Robin Fellwood", level=1)).to_be_visible()
    expect(page.get_by_text(robin.client_number)).to_be_visible()


def when_the_keyworker_goes_back_to_the_results_and_adds_casey_northam(page: Page) -> None:
    page.go_back()
    expect(page.get_by_role("heading", name="1 client found")).to_be_visible()
    page.get_by_role("button", name="Add a new client").click()
    fill_client_form(
        page, first_name="Casey", last_name="Northam", date_of_birth=datetime.date(1991, 3, 21)
    )
    page.get_by_role("button", name="Save").click()


def then_caseys_page_shows_them_with_a_client_number_of_the_providers_own(
    page: Page, keyworker
) -> Client:
    """Casey's record, as saved, for the steps that follow."""
    expect(page.get_by_role("heading", name="Casey Northam", level=1)).to_be_visible()
    created = Client.objects.get(first_name="Casey", last_name="Northam")
    assert re.fullmatch(r"TRS\d{6}", created.client_number)
    assert created.keyworker == keyworker
    expect(page.get_by_text(f"Casey Northam added as {created.client_number}.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/clients/{created.client_number}/$"))
    expect(summary_row(page, "Team")).to_contain_text(keyworker.team.name)
    expect(summary_row(page, "Keyworker").first).to_contain_text(keyworker.display_name)
    expect(summary_row(page, "Contact by text message")).to_contain_text("No")
    page.screenshot(path="/tmp/beacon-client-page.png", full_page=True)
    return created


def when_the_keyworker_records_that_casey_agrees_to_text_messages(page: Page) -> None:
    page.get_by_role("button", name="Change consents").click()
    expect(page.get_by_role("heading", name="Consents", level=1)).to_be_visible()
    checkbox(page, "Contact by text message").check()
    page.get_by_role("button", name="Save consents").click()


def then_caseys_record_shows_that_consent_as_yes(page: Page, casey: Client) -> None:
    expect(page.get_by_text("Consents saved.")).to_be_visible()
    expect(summary_row(page, "Contact by text message")).to_contain_text("Yes")
    casey.refresh_from_db()
    assert casey.consent_contact_by_text is True


def when_the_manager_searches_the_audit_log_by_the_keyworkers_username(
    page: Page, keyworker
) -> None:
    when_i_open_from_the_menu(page, "Audit log")
    page.get_by_label("Who").fill(keyworker.username)
    page.get_by_role("button", name="Search the log").click()


def then_they_see_the_keyworkers_sign_in_search_views_creation_and_update(
    page: Page, manager
) -> None:
    rows = page.get_by_role("row")
    for action in ("Signed in", "Searched", "Viewed", "Created", "Updated"):
        expect(rows.filter(has_text=action).first).to_be_visible()
    expect(rows.filter(has_text=manager.username)).to_have_count(0)


def when_the_manager_searches_the_audit_log_by_caseys_number_instead(
    page: Page, casey: Client
) -> None:
    page.get_by_label("Who").fill("")
    page.get_by_label("Client number").fill(casey.client_number)
    page.get_by_role("button", name="Search the log").click()


def then_only_caseys_entries_show_naming_what_changed(page: Page, casey: Client, robin) -> None:
    """Created, viewed (after saving and after the change; each view of the record reads
    its OST summary, timeline, naloxone, blood-borne virus and criminal justice sections
    too), the consents
    form as it was opened, and the consent updated, naming what changed. The reads of one
    page view are one row (the count is of entries); the consents form is a page of its
    own, however soon after the record it was opened."""
    rows = page.get_by_role("row")
    expect(page.get_by_text("15 entries")).to_be_visible()
    client_rows = rows.filter(has_text=casey.client_number)
    expect(client_rows).to_have_count(5)
    expect(client_rows.filter(has_text="Created")).to_have_count(1)
    expect(client_rows.filter(has_text="Viewed")).to_have_count(3)
    expect(client_rows.filter(has_text="Viewed (6 entries)")).to_have_count(2)
    expect(client_rows.filter(has_text="criminal justice on the client page")).to_have_count(2)
    expect(client_rows.filter(has_text="OST summary on the client page")).to_have_count(2)
    expect(client_rows.filter(has_text="timeline on the client page")).to_have_count(2)
    expect(client_rows.filter(has_text="naloxone on the client page")).to_have_count(2)
    expect(client_rows.filter(has_text="blood-borne viruses on the client page")).to_have_count(2)
    expect(client_rows.filter(has_text="consents form")).to_have_count(1)
    expect(client_rows.filter(has_text="Updated")).to_contain_text("consents: contact_by_text=yes")
    expect(rows.filter(has_text=robin.client_number)).to_have_count(0)


def given_the_clients_already_on_record() -> int:
    """How many there are, to see later whether a journey's step saved one."""
    return Client.objects.count()


def given_i_am_on_the_add_client_form_as(page: Page, keyworker) -> None:
    given_i_am_signed_in_as(page, keyworker)
    when_i_open_from_the_menu(page, "Clients")
    page.get_by_role("button", name="Add a new client").click()
    expect(page.get_by_role("heading", name="Add a client", level=1)).to_be_visible()


def when_i_add_robyn_fellwood_born_the_same_day(page: Page) -> None:
    fill_client_form(
        page, first_name="Robyn", last_name="Fellwood", date_of_birth=datetime.date(1984, 6, 15)
    )
    page.get_by_role("button", name="Save").click()


def then_i_am_warned_the_person_may_already_have_robins_record(page: Page, robin) -> None:
    expect(
        page.get_by_role("heading", name="This person may already have a record")
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=robin.client_number)).to_contain_text(
        "Robin Fellwood"
    )
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()


def and_nothing_is_saved(clients_before: int) -> None:
    assert Client.objects.count() == clients_before


def when_i_tick_that_i_have_checked_and_save_again(page: Page) -> None:
    checkbox(page, "I have checked: this is a different person").check()
    page.get_by_role("button", name="Save").click()


def then_the_new_record_is_made_alongside_robins(page: Page, robin, clients_before: int) -> None:
    expect(page.get_by_role("heading", name="Robyn Fellwood", level=1)).to_be_visible()
    assert Client.objects.count() == clients_before + 1
    assert Client.objects.filter(first_name="Robyn", date_of_birth=robin.date_of_birth).exists()


def when_i_save_a_bad_nhs_number_a_made_up_postcode_and_a_birthday_next_year(page: Page) -> None:
    """The NHS number fails its check digit; the date of birth is next year."""
    page.screenshot(path="/tmp/beacon-client-form.png", full_page=True)
    fill_client_form(
        page,
        first_name="Jordan",
        last_name="Ashby",
        date_of_birth=NEXT_YEAR,
        postcode="NOTAPOSTCODE",
        nhs_number="9434765918",
    )
    page.get_by_role("button", name="Save").click()


def then_the_error_summary_links_all_three_problems_to_their_fields(page: Page) -> None:
    expect(error_link(page, "This is not a valid NHS number")).to_have_attribute(
        "href", "#id_nhs_number"
    )
    expect(error_link(page, "Enter a real UK postcode")).to_have_attribute("href", "#id_postcode")
    expect(error_link(page, "Date of birth must be in the past")).to_have_attribute(
        "href", "#id_date_of_birth-day"
    )


def and_what_i_typed_is_kept_so_i_can_correct_it(page: Page) -> None:
    expect(page.get_by_label("First name")).to_have_value("Jordan")
    expect(page.get_by_role("group", name="Date of birth").get_by_label("Year")).to_have_value(
        str(NEXT_YEAR.year)
    )


def when_i_correct_all_three(page: Page) -> None:
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("Postcode").fill("LS2 7EW")
    fill_date(page, "Date of birth", datetime.date(1990, 2, 14))
    page.get_by_role("button", name="Save").click()


def then_the_client_is_added(page: Page, clients_before: int) -> None:
    expect(page.get_by_role("heading", name="Jordan Ashby", level=1)).to_be_visible()
    assert Client.objects.count() == clients_before + 1


def given_i_am_changing_consents_for_a_client_on_my_caseload(page: Page, keyworker, robin) -> None:
    robin.keyworker = keyworker
    robin.save()
    given_i_am_signed_in_as(page, keyworker)
    page.goto(f"/clients/{robin.client_number}/consents/")


def when_i_click_the_words(page: Page, words: str) -> None:
    page.get_by_text(words, exact=True).click()


def then_that_checkbox_is_ticked_and_found_by_its_label(page: Page, label: str) -> None:
    """Assistive technology finds it by its label too."""
    expect(checkbox(page, label)).to_be_checked()
    expect(page.get_by_label(label)).to_be_checked()


# Helpers the steps use.


def summary_row(page: Page, key: str) -> Locator:
    """The row of a summary list whose key is exactly `key`."""
    term = page.get_by_role("term").filter(has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    return page.locator(".nhsuk-summary-list__row").filter(has=term)


def fill_client_form(
    page: Page,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    postcode: str = "LS2 7EW",
    nhs_number: str = "",
) -> None:
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    fill_date(page, "Date of birth", date_of_birth)
    page.get_by_label("Sex at birth").select_option(label="Male")
    page.get_by_label("Gender identity").select_option(label="Man")
    page.get_by_label("Ethnicity").select_option(label="White: Irish")
    if nhs_number:
        page.get_by_label("NHS number").fill(nhs_number)
    page.get_by_label("Address line 1").fill("14 Canal Wharf")
    page.get_by_label("Town").fill("Leeds")
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Phone").fill("0113 496 0000")
