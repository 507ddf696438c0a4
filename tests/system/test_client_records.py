"""Journeys through client records: find, add, change consents, and what the audit log shows."""

import datetime
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from beacon.clients.models import Client
from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role

SEARCH_LABEL = "Name, NHS number, client number or date of birth"
NEXT_YEAR = datetime.date.today() + datetime.timedelta(days=366)


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kit")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, first_name="Morgan")


@pytest.fixture
def robin(provider, team):
    """A client already known to the keyworker's team."""
    return ClientFactory(
        provider=provider,
        team=team,
        first_name="Robin",
        last_name="Fellwood",
        date_of_birth=datetime.date(1984, 6, 15),
    )


def checkbox(page: Page, label: str) -> Locator:
    """The checkbox a user knows by its label (so the label must name it)."""
    return page.get_by_role("checkbox", name=label, exact=True)


def summary_row(page: Page, key: str) -> Locator:
    """The row of a summary list whose key is exactly `key`."""
    term = page.get_by_role("term").filter(has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    return page.locator(".nhsuk-summary-list__row").filter(has=term)


def open_add_client_form(page: Page) -> None:
    page.get_by_role("banner").get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("button", name="Add a new client").click()
    expect(page.get_by_role("heading", name="Add a client", level=1)).to_be_visible()


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


def fill_date(page: Page, legend: str, value: datetime.date) -> None:
    """Type a date into the NHS.UK day, month and year boxes under `legend`."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def test_keyworker_signs_in_finds_creates_and_changes_consents_then_manager_sees_it_in_audit_log(
    page: Page, sign_in, sign_out, keyworker, manager, robin
):
    # Given a keyworker whose team already works with Robin Fellwood
    # When they sign in with their password and the code from their authenticator app
    sign_in(page, keyworker)

    # And search the Clients page for Robin by name
    page.get_by_role("banner").get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label(SEARCH_LABEL).fill("fellwood")
    page.get_by_role("button", name="Search").click()

    # Then Robin is the one client found, and opening the record shows it
    expect(page.get_by_role("heading", name="1 client found")).to_be_visible()
    page.get_by_role("link", name="FELLWOOD, Robin").click()
    expect(page.get_by_role("heading", name="Robin Fellwood", level=1)).to_be_visible()
    expect(page.get_by_text(robin.client_number)).to_be_visible()

    # When they go back to the results and add a new client through the form
    page.go_back()
    expect(page.get_by_role("heading", name="1 client found")).to_be_visible()
    page.get_by_role("button", name="Add a new client").click()
    fill_client_form(
        page, first_name="Casey", last_name="Northam", date_of_birth=datetime.date(1991, 3, 21)
    )
    page.get_by_role("button", name="Save").click()

    # Then the new client's page shows them with a client number of the provider's own
    expect(page.get_by_role("heading", name="Casey Northam", level=1)).to_be_visible()
    created = Client.objects.get(first_name="Casey", last_name="Northam")
    assert re.fullmatch(r"TRS\d{6}", created.client_number)
    assert created.keyworker == keyworker
    expect(page.get_by_text(f"Casey Northam added as {created.client_number}.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/clients/{created.client_number}/$"))
    expect(summary_row(page, "Team")).to_contain_text(keyworker.team.name)
    expect(summary_row(page, "Keyworker")).to_contain_text(keyworker.display_name)
    text_row = summary_row(page, "Contact by text message")
    expect(text_row).to_contain_text("No")
    page.screenshot(path="/tmp/beacon-client-page.png", full_page=True)

    # When they change the consents: the client agrees to text messages
    page.get_by_role("button", name="Change consents").click()
    expect(page.get_by_role("heading", name="Consents", level=1)).to_be_visible()
    checkbox(page, "Contact by text message").check()
    page.get_by_role("button", name="Save consents").click()

    # Then the record shows that consent as Yes
    expect(page.get_by_text("Consents saved.")).to_be_visible()
    expect(text_row).to_contain_text("Yes")
    created.refresh_from_db()
    assert created.consent_contact_by_text is True
    sign_out(page)

    # Given the service manager signs in (with two-factor too)
    sign_in(page, manager)

    # When they search the audit log by the keyworker's username
    page.get_by_role("banner").get_by_role("link", name="Audit log").click()
    page.get_by_label("User").fill(keyworker.username)
    page.get_by_role("button", name="Search the log").click()

    # Then they see the keyworker's sign-in, search, views, creation and update
    rows = page.get_by_role("row")
    for action in ("Signed in", "Searched", "Viewed", "Created", "Updated"):
        expect(rows.filter(has_text=action).first).to_be_visible()
    expect(rows.filter(has_text=manager.username)).to_have_count(0)

    # When they search by the new client's number instead
    page.get_by_label("User").fill("")
    page.get_by_label("Client number").fill(created.client_number)
    page.get_by_role("button", name="Search the log").click()

    # Then only that client's entries show: created, viewed (after saving, and the
    # consents form as it was opened),
    # and the consent updated, naming what changed
    expect(page.get_by_text("5 entries")).to_be_visible()
    client_rows = rows.filter(has_text=created.client_number)
    expect(client_rows).to_have_count(5)
    expect(client_rows.filter(has_text="Created")).to_have_count(1)
    expect(client_rows.filter(has_text="Viewed")).to_have_count(3)
    expect(client_rows.filter(has_text="consents form")).to_have_count(1)
    expect(client_rows.filter(has_text="Updated")).to_contain_text("consents: contact_by_text=yes")
    expect(rows.filter(has_text=robin.client_number)).to_have_count(0)


def test_similar_client_is_not_created_until_keyworker_confirms_a_different_person(
    page: Page, sign_in, keyworker, robin
):
    # Given Robin Fellwood, born 15 June 1984, already has a record
    clients_before = Client.objects.count()
    sign_in(page, keyworker)
    open_add_client_form(page)

    # When the keyworker adds "Robyn Fellwood" born the same day
    fill_client_form(
        page, first_name="Robyn", last_name="Fellwood", date_of_birth=datetime.date(1984, 6, 15)
    )
    page.get_by_role("button", name="Save").click()

    # Then they are warned the person may already have a record (Robin's), and nothing is saved
    expect(
        page.get_by_role("heading", name="This person may already have a record")
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=robin.client_number)).to_contain_text(
        "Robin Fellwood"
    )
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert Client.objects.count() == clients_before

    # When they tick that they have checked and save again
    checkbox(page, "I have checked: this is a different person").check()
    page.get_by_role("button", name="Save").click()

    # Then the new record is made alongside Robin's
    expect(page.get_by_role("heading", name="Robyn Fellwood", level=1)).to_be_visible()
    assert Client.objects.count() == clients_before + 1
    assert Client.objects.filter(first_name="Robyn", date_of_birth=robin.date_of_birth).exists()


def error_link(page: Page, message: str) -> Locator:
    """The link to a field from the NHS.UK error summary at the top of the page."""
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    return summary.get_by_role("link", name=message)


def test_bad_client_details_are_refused_with_messages_and_nothing_is_saved(
    page: Page, sign_in, keyworker
):
    # Given a keyworker on the add client form
    clients_before = Client.objects.count()
    sign_in(page, keyworker)
    open_add_client_form(page)
    page.screenshot(path="/tmp/beacon-client-form.png", full_page=True)

    # When they type an NHS number that fails its check digit, a made-up postcode
    # and a date of birth next year, and save
    fill_client_form(
        page,
        first_name="Jordan",
        last_name="Ashby",
        date_of_birth=NEXT_YEAR,
        postcode="NOTAPOSTCODE",
        nhs_number="9434765918",
    )
    page.get_by_role("button", name="Save").click()

    # Then the error summary names all three problems at once, each linked to its field,
    # and nothing is saved
    expect(error_link(page, "This is not a valid NHS number")).to_have_attribute(
        "href", "#id_nhs_number"
    )
    expect(error_link(page, "Enter a real UK postcode")).to_have_attribute("href", "#id_postcode")
    expect(error_link(page, "Date of birth must be in the past")).to_have_attribute(
        "href", "#id_date_of_birth-day"
    )
    assert Client.objects.count() == clients_before
    # And what they typed is kept, so they can correct it
    expect(page.get_by_label("First name")).to_have_value("Jordan")
    expect(page.get_by_role("group", name="Date of birth").get_by_label("Year")).to_have_value(
        str(NEXT_YEAR.year)
    )

    # When they correct all three, the client is added
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("Postcode").fill("LS2 7EW")
    fill_date(page, "Date of birth", datetime.date(1990, 2, 14))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Jordan Ashby", level=1)).to_be_visible()
    assert Client.objects.count() == clients_before + 1


def test_checkbox_labels_name_their_checkboxes(page: Page, sign_in, keyworker, robin):
    # Given a keyworker changing consents for a client on their caseload
    robin.keyworker = keyworker
    robin.save()
    sign_in(page, keyworker)
    page.goto(f"/clients/{robin.client_number}/consents/")

    # When they click the words "Contact by text message"
    page.get_by_text("Contact by text message", exact=True).click()

    # Then that checkbox is ticked, and assistive technology finds it by its label
    expect(checkbox(page, "Contact by text message")).to_be_checked()
    expect(page.get_by_label("Contact by text message")).to_be_checked()
