"""The clients API: who may list, read, add and change records; validation; audit; duplicates."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from beacon.clients.models import Client, Contact
from beacon.clients.tests.factories import SYNTHETIC_NHS_NUMBERS, ClientFactory, ContactFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.core.tests.helpers import audit_entries, error_fields, post_json

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"
READERS = ["keyworker", "prescriber", "nurse", "manager"]
NON_READERS = ["driver", "volunteer", "commissioner"]
CREATORS = ["keyworker", "manager"]
NON_CREATORS = ["prescriber", "nurse", "driver", "volunteer", "commissioner"]


@pytest.fixture
def record(users, team):
    """A client in the keyworker's team and on their caseload."""
    return ClientFactory(
        provider=team.provider,
        team=team,
        keyworker=users["keyworker"],
        first_name="Robin",
        last_name="Fellwood",
        date_of_birth=datetime.date(1984, 6, 15),
        nhs_number=SYNTHETIC_NHS_NUMBERS[0],
        postcode="LS1 4AP",
        domestic_abuse=True,
        consent_share_with_gp=True,
    )


def url(record: Client, rest: str = "") -> str:
    return f"{CLIENTS}{record.client_number}{rest}"


def new_client(**changes) -> dict:
    payload = {
        "first_name": "Sam",
        "last_name": "Rivers",
        "date_of_birth": "1985-02-14",
        "sex": "M",
        "ethnicity": "WB",
        "nhs_number": "999 000 0026",
        "address_line_1": "2 Test Road",
        "town": "Demo City",
        "postcode": "ls2 7ej",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not None}


# Who may list, read and add -------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_clinical_and_manager_tokens_can_list_clients(api_as, record, role):
    response = api_as(role).get(CLIENTS)
    assert response.status_code == 200
    assert [item["client_number"] for item in response.json()["items"]] == [record.client_number]


@pytest.mark.parametrize("role", NON_READERS)
def test_driver_volunteer_and_commissioner_tokens_cannot_list_clients(api_as, record, role):
    response = api_as(role).get(CLIENTS)
    assert response.status_code == 403
    assert "items" not in response.json()


@pytest.mark.parametrize("role", READERS)
def test_clinical_and_manager_tokens_can_read_a_client(api_as, record, role):
    response = api_as(role).get(url(record))
    assert response.status_code == 200
    assert response.json()["client_number"] == record.client_number


@pytest.mark.parametrize("role", NON_READERS)
def test_driver_volunteer_and_commissioner_tokens_cannot_read_a_client(api_as, record, role):
    response = api_as(role).get(url(record))
    assert response.status_code == 403
    assert "first_name" not in response.json()


@pytest.mark.parametrize("role", NON_READERS)
def test_non_readers_get_403_even_for_a_client_number_that_does_not_exist(api_as, role):
    assert api_as(role).get(f"{CLIENTS}TRS999999").status_code == 403


def test_keyworker_token_creates_client_on_own_caseload_in_own_team(api_as, users, team):
    response = post_json(api_as("keyworker"), CLIENTS, new_client())
    assert response.status_code == 201
    client = Client.objects.get(client_number=response.json()["client_number"])
    assert client.keyworker == users["keyworker"]
    assert client.team == team
    assert client.provider == team.provider


def test_manager_token_creates_client_in_a_chosen_team(api_as, team):
    response = post_json(api_as("manager"), CLIENTS, new_client(team_id=team.pk))
    assert response.status_code == 201
    assert response.json()["team"] == "Central team"
    assert response.json()["keyworker"] is None


def test_manager_without_a_team_must_choose_one(api_as):
    response = post_json(api_as("manager"), CLIENTS, new_client())
    assert error_fields(response) == ["team_id"]
    assert Client.objects.count() == 0


def test_team_of_another_provider_is_refused_on_create(api_as, other_provider):
    elsewhere = TeamFactory(provider=other_provider, name="Elsewhere")
    response = post_json(api_as("manager"), CLIENTS, new_client(team_id=elsewhere.pk))
    assert error_fields(response) == ["team_id"]
    assert Client.objects.count() == 0


@pytest.mark.parametrize("role", NON_CREATORS)
def test_roles_other_than_keyworker_and_manager_cannot_create_clients(api_as, role):
    response = post_json(api_as(role), CLIENTS, new_client())
    assert response.status_code == 403
    assert Client.objects.count() == 0


# Team, caseload and provider scoping ------------------------------------------------------


@pytest.fixture
def keyworker_of_another_team(make_user, provider):
    return make_user(
        "keyworker", username="keyworker-north", team=TeamFactory(provider=provider, name="North")
    )


def test_keyworker_of_another_team_cannot_read_client_outside_team_and_caseload(
    api_as, record, keyworker_of_another_team
):
    response = api_as(keyworker_of_another_team).get(url(record))
    assert response.status_code == 403
    assert audit_entries(AuditEntry.Action.VIEW, keyworker_of_another_team) == []


def test_keyworker_of_another_team_does_not_see_client_in_list(
    api_as, record, keyworker_of_another_team
):
    response = api_as(keyworker_of_another_team).get(CLIENTS)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_keyworker_of_another_team_reads_client_on_own_caseload(
    api_as, record, keyworker_of_another_team
):
    record.keyworker = keyworker_of_another_team
    record.save()
    assert api_as(keyworker_of_another_team).get(url(record)).status_code == 200


def test_keyworker_changes_client_on_own_caseload(api_as, record):
    response = api_as("keyworker").patch(
        url(record), {"preferred_name": "Rob"}, content_type="application/json"
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.preferred_name == "Rob"


def test_keyworker_cannot_change_team_client_not_on_own_caseload(api_as, record, make_user, team):
    colleague = make_user("keyworker", username="keyworker-colleague", team=team)
    response = api_as(colleague).patch(
        url(record), {"preferred_name": "Rob"}, content_type="application/json"
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.preferred_name == ""


@pytest.mark.parametrize("role", ["prescriber", "nurse"])
def test_prescriber_and_nurse_cannot_change_a_client(api_as, record, role):
    response = api_as(role).patch(
        url(record), {"town": "Elsewhere"}, content_type="application/json"
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.town == "Demo City"


def test_manager_changes_any_client_of_the_provider(api_as, record):
    response = api_as("manager").patch(
        url(record), {"town": "Leeds"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["town"] == "Leeds"


def test_token_of_another_provider_gets_404_for_this_providers_client(
    api_as, record, make_user, other_provider
):
    outsider = make_user("manager", provider=other_provider, username="manager-ors")
    http = api_as(outsider)
    assert http.get(url(record)).status_code == 404
    assert (
        http.patch(url(record), {"town": "X"}, content_type="application/json").status_code == 404
    )
    assert http.get(url(record, "/contacts")).status_code == 404
    assert http.get(CLIENTS).json()["count"] == 0


# What a read returns ---------------------------------------------------------------------


def test_read_returns_identifiers_consents_risk_flags_address_team_and_attributor(
    api_as, record, users
):
    body = api_as("nurse").get(url(record)).json()
    assert body["nhs_number"] == SYNTHETIC_NHS_NUMBERS[0]
    assert body["consents"]["consent_share_with_gp"] is True
    assert body["consents"]["consent_contact_by_text"] is False
    assert body["domestic_abuse"] is True
    assert body["self_harm_risk"] is False
    assert (body["address_line_1"], body["postcode"]) == ("1 Test Street", "LS1 4AP")
    assert body["team"] == "Central team"
    assert body["keyworker"] == users["keyworker"].username
    assert body["ndtms_attributor"] == "RF 15/06/1984 F LS1"


def test_list_is_paged_with_a_count(api_as, team):
    for last_name in ("Ashby", "Brook", "Crane"):
        ClientFactory(provider=team.provider, team=team, last_name=last_name)
    http = api_as("manager")
    first = http.get(CLIENTS, {"page_size": 2}).json()
    second = http.get(CLIENTS, {"page_size": 2, "page": 2}).json()
    assert first["count"] == 3
    assert [item["last_name"] for item in first["items"]] == ["Ashby", "Brook"]
    assert [item["last_name"] for item in second["items"]] == ["Crane"]


def test_page_size_above_100_is_refused(api_as):
    response = api_as("manager").get(CLIENTS, {"page_size": 101})
    assert [field.rsplit(".", 1)[-1] for field in error_fields(response)] == ["page_size"]


def test_list_searches_by_name(api_as, record, team):
    ClientFactory(provider=team.provider, team=team, first_name="Ash", last_name="Marram")
    body = api_as("manager").get(CLIENTS, {"q": "fellw"}).json()
    assert [item["last_name"] for item in body["items"]] == ["Fellwood"]


# Audit -----------------------------------------------------------------------------------


def test_read_writes_a_view_audit_entry_on_the_api_channel(api_as, record, users):
    api_as("prescriber").get(url(record))
    [entry] = audit_entries(AuditEntry.Action.VIEW, users["prescriber"])
    assert entry.client == record
    assert entry.channel == AuditEntry.Channel.API


def test_list_writes_one_search_audit_entry_without_the_search_terms(api_as, record, users):
    api_as("nurse").get(CLIENTS, {"q": "Fellwood"})
    [entry] = audit_entries(AuditEntry.Action.SEARCH, users["nurse"])
    assert entry.channel == AuditEntry.Channel.API
    assert "1 results" in entry.detail
    assert "Fellwood" not in entry.detail


def test_refused_list_writes_no_audit_entry(api_as, users):
    api_as("driver").get(CLIENTS)
    assert audit_entries(AuditEntry.Action.SEARCH, users["driver"]) == []


def test_create_writes_a_create_audit_entry_on_the_api_channel(api_as, users):
    response = post_json(api_as("keyworker"), CLIENTS, new_client())
    [entry] = audit_entries(AuditEntry.Action.CREATE, users["keyworker"])
    assert entry.client.client_number == response.json()["client_number"]
    assert entry.channel == AuditEntry.Channel.API


def test_update_writes_an_update_audit_entry_naming_the_changed_fields(api_as, record, users):
    api_as("keyworker").patch(
        url(record), {"town": "Leeds", "phone": "0113 496 0000"}, content_type="application/json"
    )
    [entry] = audit_entries(AuditEntry.Action.UPDATE, users["keyworker"])
    assert entry.client == record
    assert entry.channel == AuditEntry.Channel.API
    assert "town" in entry.detail and "phone" in entry.detail


def test_update_that_changes_nothing_is_audited_as_a_read(api_as, record, users):
    response = api_as("keyworker").patch(url(record), {}, content_type="application/json")
    assert response.status_code == 200
    assert audit_entries(AuditEntry.Action.UPDATE, users["keyworker"]) == []
    assert len(audit_entries(AuditEntry.Action.VIEW, users["keyworker"])) == 1


# Validation: 422 naming the field, nothing saved -----------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"date_of_birth": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "date_of_birth",
        ),
        ({"date_of_birth": "1899-12-31"}, "date_of_birth"),
        ({"date_of_birth": "14/02/1985"}, "date_of_birth"),
        ({"date_of_birth": 477100800}, "date_of_birth"),
        ({"nhs_number": "9434765918"}, "nhs_number"),
        ({"postcode": "NOTAPOSTCODE"}, "postcode"),
        ({"postcode": "ZZ1"}, "postcode"),
        ({"postcode": None}, "postcode"),
        ({"ethnicity": "XX"}, "ethnicity"),
        ({"sex": "Q"}, "sex"),
        ({"gender_identity": "man"}, "gender_identity"),
        ({"first_name": "A" * 101}, "first_name"),
        ({"first_name": "   "}, "first_name"),
        ({"first_name": 42}, "first_name"),
        ({"last_name": None}, "last_name"),
        ({"phone": "12345"}, "phone"),
        ({"gp_practice_code": "123456"}, "gp_practice_code"),
        ({"no_fixed_abode": "maybe"}, "no_fixed_abode"),
        ({"safeguarding_notes": "x" * 2001}, "safeguarding_notes"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_invalid_client_is_refused_naming_the_field_and_nothing_is_saved(api_as, changes, field):
    response = post_json(api_as("keyworker"), CLIENTS, new_client(**changes))
    assert field in error_fields(response)
    assert Client.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


def test_no_fixed_abode_needs_no_postcode(api_as):
    response = post_json(
        api_as("keyworker"), CLIENTS, new_client(postcode=None, no_fixed_abode=True)
    )
    assert response.status_code == 201
    assert response.json()["ndtms_attributor"].endswith(" NFA")


def test_nhs_number_already_recorded_for_another_client_is_refused(api_as, record):
    response = post_json(
        api_as("keyworker"),
        CLIENTS,
        new_client(first_name="Alex", last_name="Other", nhs_number=record.nhs_number),
    )
    assert error_fields(response) == ["nhs_number"]
    assert Client.objects.count() == 1


def test_body_that_is_not_json_is_a_400(api_as):
    response = api_as("keyworker").post(CLIENTS, "first_name=Sam", content_type="text/plain")
    assert response.status_code == 400
    assert Client.objects.count() == 0


def test_body_that_is_a_list_is_refused(api_as):
    response = post_json(api_as("keyworker"), CLIENTS, [new_client()])
    assert response.status_code == 422
    assert Client.objects.count() == 0


def test_invalid_change_is_refused_and_the_record_is_unchanged(api_as, record):
    response = api_as("keyworker").patch(
        url(record),
        {"town": "Leeds", "postcode": "NOTAPOSTCODE"},
        content_type="application/json",
    )
    assert error_fields(response) == ["postcode"]
    record.refresh_from_db()
    assert (record.town, record.postcode) == ("Demo City", "LS1 4AP")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": None}, "first_name"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"nhs_number": "9434765918"}, "nhs_number"),
        ({"ethnicity": "XX"}, "ethnicity"),
        ({"pregnant": "yes please"}, "pregnant"),
        ({"client_number": "TRS000001"}, "client_number"),
    ],
)
def test_invalid_partial_change_is_refused_naming_the_field(api_as, record, changes, field):
    response = api_as("keyworker").patch(url(record), changes, content_type="application/json")
    assert field in error_fields(response)
    record.refresh_from_db()
    assert record.first_name == "Robin"
    assert record.nhs_number == SYNTHETIC_NHS_NUMBERS[0]


# Possible duplicates ---------------------------------------------------------------------


def test_possible_duplicate_is_refused_with_409_then_created_with_confirmation(api_as, record):
    http = api_as("keyworker")
    duplicate = new_client(first_name="Robyn", last_name="Fellwood", date_of_birth="1984-06-15")
    refused = post_json(http, CLIENTS, duplicate)
    assert refused.status_code == 409
    assert refused.json()["possible_duplicates"] == [record.client_number]
    assert "confirm_not_duplicate" in refused.json()["detail"]
    assert Client.objects.count() == 1

    confirmed = post_json(http, CLIENTS, {**duplicate, "confirm_not_duplicate": True})
    assert confirmed.status_code == 201
    assert Client.objects.count() == 2


def test_duplicate_check_spans_teams_the_keyworker_cannot_see(
    api_as, record, keyworker_of_another_team
):
    duplicate = new_client(first_name="Robin", last_name="Fellwood", date_of_birth="1984-06-15")
    response = post_json(api_as(keyworker_of_another_team), CLIENTS, duplicate)
    assert response.status_code == 409
    # They learn that a record exists elsewhere, but not whose or which.
    assert response.json()["possible_duplicates"] == []
    assert response.json()["in_teams_you_cannot_open"] == 1


# Consents --------------------------------------------------------------------------------

ALL_CONSENTS_GIVEN = {
    "consent_share_with_gp": True,
    "consent_share_with_probation": True,
    "consent_contact_by_text": True,
}


def test_consents_are_read_and_the_read_is_audited(api_as, record, users):
    response = api_as("nurse").get(url(record, "/consents"))
    assert response.json()["consent_share_with_gp"] is True
    assert response.json()["consent_share_with_probation"] is False
    [entry] = audit_entries(AuditEntry.Action.VIEW, users["nurse"])
    assert entry.detail == "consents"


def test_keyworker_replaces_consents_and_the_change_is_audited(api_as, record, users):
    response = api_as("keyworker").put(
        url(record, "/consents"), ALL_CONSENTS_GIVEN, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["consents_updated_at"] is not None
    record.refresh_from_db()
    assert record.consent_share_with_probation and record.consent_contact_by_text
    [entry] = audit_entries(AuditEntry.Action.UPDATE, users["keyworker"])
    assert "share_with_probation=yes" in entry.detail
    assert entry.channel == AuditEntry.Channel.API


def test_consents_must_be_sent_as_a_set_of_three(api_as, record):
    response = api_as("keyworker").put(
        url(record, "/consents"), {"consent_share_with_gp": False}, content_type="application/json"
    )
    assert set(error_fields(response)) == {
        "consent_share_with_probation",
        "consent_contact_by_text",
    }
    record.refresh_from_db()
    assert record.consent_share_with_gp is True


def test_nurse_cannot_change_consents(api_as, record):
    response = api_as("nurse").put(
        url(record, "/consents"), ALL_CONSENTS_GIVEN, content_type="application/json"
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.consent_contact_by_text is False


# Friends and family contacts -------------------------------------------------------------

NEW_CONTACT = {"name": "Morgan Fellwood", "relationship": "parent", "phone": "07700 900123"}


def test_contacts_of_a_client_are_listed(api_as, record):
    ContactFactory(client=record, name="Morgan Fellwood")
    ContactFactory(client=ClientFactory(provider=record.provider), name="Not Theirs")
    response = api_as("prescriber").get(url(record, "/contacts"))
    assert [contact["name"] for contact in response.json()] == ["Morgan Fellwood"]


def test_keyworker_adds_a_contact_and_it_is_audited(api_as, record, users):
    response = post_json(api_as("keyworker"), url(record, "/contacts"), NEW_CONTACT)
    assert response.status_code == 201
    contact = record.contacts.get()
    assert contact.phone == "07700900123"
    assert contact.provider == record.provider
    [entry] = audit_entries(AuditEntry.Action.CREATE, users["keyworker"])
    assert entry.client == record
    assert entry.channel == AuditEntry.Channel.API


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"relationship": "neighbour"}, "relationship"),
        ({"name": "x" * 201}, "name"),
        ({"name": None}, "name"),
        ({"phone": "not a phone"}, "phone"),
    ],
)
def test_invalid_contact_is_refused_naming_the_field(api_as, record, changes, field):
    payload = {key: value for key, value in {**NEW_CONTACT, **changes}.items() if value is not None}
    response = post_json(api_as("keyworker"), url(record, "/contacts"), payload)
    assert field in error_fields(response)
    assert Contact.objects.count() == 0


def test_prescriber_cannot_add_a_contact(api_as, record):
    response = post_json(api_as("prescriber"), url(record, "/contacts"), NEW_CONTACT)
    assert response.status_code == 403
    assert Contact.objects.count() == 0


def test_keyworker_reads_and_changes_a_contact(api_as, record, users):
    contact = ContactFactory(client=record)
    http = api_as("keyworker")
    path = url(record, f"/contacts/{contact.pk}")
    assert http.get(path).json()["relationship"] == "parent"
    response = http.patch(path, {"is_emergency_contact": True}, content_type="application/json")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.is_emergency_contact is True
    [entry] = audit_entries(AuditEntry.Action.UPDATE, users["keyworker"])
    assert entry.detail == "changed is_emergency_contact"


def test_contact_of_another_client_is_not_found_through_this_client(api_as, record):
    elsewhere = ContactFactory(client=ClientFactory(provider=record.provider, team=record.team))
    response = api_as("manager").get(url(record, f"/contacts/{elsewhere.pk}"))
    assert response.status_code == 404


# The schema ------------------------------------------------------------------------------


def test_openapi_schema_is_served_without_a_token_and_lists_the_client_endpoints():
    response = HttpClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/clients/{client_number}/consents" in schema["paths"]
    assert schema["paths"]["/api/v1/clients/"]["get"]["security"] == [{"BearerToken": []}]
    ethnicity = schema["components"]["schemas"]["Ethnicity"]
    assert "WB" in ethnicity["enum"] and len(ethnicity["enum"]) == 20


def test_interactive_docs_are_served_without_a_token_but_hold_no_records():
    response = HttpClient().get("/api/v1/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.text
