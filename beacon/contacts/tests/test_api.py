"""The contacts API: the same rules and audit as the pages, refused to roles without
client records."""

import datetime

import pytest
from django.utils import timezone

from beacon.contacts.models import Appointment, CaseNote, FollowUpTask
from beacon.contacts.tests.factories import at, booked_in_the_past, contact_at
from beacon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_booking_a_weekly_series_by_api(users, client_record, api_as):
    response = api_as("keyworker").post(
        f"/api/v1/contacts/clients/{client_record.client_number}/appointments",
        {
            "staff_id": users["keyworker"].pk,
            "starts_at": local(at(1, 10, 30)),
            "minutes": 60,
            "kind": "one_to_one",
            "weeks": 2,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert len(response.json()) == 2
    assert AuditEntry.objects.filter(object_type="contacts.Appointment", channel="api").count() == 2


def test_a_past_booking_and_a_double_booking_are_422_naming_the_field(users, client_record, api_as):
    http = api_as("keyworker")
    url = f"/api/v1/contacts/clients/{client_record.client_number}/appointments"
    body = {"staff_id": users["keyworker"].pk, "minutes": 60, "kind": "one_to_one"}
    past = http.post(url, {**body, "starts_at": local(at(-1))}, content_type="application/json")
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "starts_at"
    http.post(url, {**body, "starts_at": local(at(1, 10))}, content_type="application/json")
    clash = http.post(
        url, {**body, "starts_at": local(at(1, 10, 30))}, content_type="application/json"
    )
    assert clash.status_code == 422 and "already has" in clash.json()["errors"][0]["message"]
    assert Appointment.objects.count() == 1


def test_an_outcome_and_a_note_by_api_with_the_dna_follow_up(users, client_record, api_as):
    http = api_as("keyworker")
    missed = booked_in_the_past(client_record, users["keyworker"])
    response = http.post(
        f"/api/v1/contacts/appointments/{missed.pk}/outcome",
        {"outcome": "dna"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["outcome"] == "dna"
    assert FollowUpTask.objects.filter(appointment=missed).exists()
    follow_ups = http.get("/api/v1/contacts/follow-ups").json()
    assert [task["appointment_id"] for task in follow_ups] == [missed.pk]
    note = http.post(
        f"/api/v1/contacts/appointments/{missed.pk}/notes",
        {"text": "Phoned, no answer."},
        content_type="application/json",
    )
    assert note.status_code == 201
    too_long = http.post(
        f"/api/v1/contacts/appointments/{missed.pk}/notes",
        {"text": "x" * 5001},
        content_type="application/json",
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "text"
    assert CaseNote.objects.count() == 1


def test_a_correction_by_api_refers_to_the_note(users, client_record, api_as):
    http = api_as("keyworker")
    contact = contact_at(client_record, users["keyworker"])
    first = http.post(
        f"/api/v1/contacts/appointments/{contact.pk}/notes",
        {"text": "Frist"},
        content_type="application/json",
    ).json()
    correction = http.post(
        f"/api/v1/contacts/notes/{first['id']}/corrections",
        {"text": "First"},
        content_type="application/json",
    )
    assert correction.status_code == 201 and correction.json()["corrects_id"] == first["id"]


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_reach_none_of_it(role, users, client_record, api_as):
    http = api_as(role)
    contact = contact_at(client_record, users["keyworker"])
    assert (
        http.get(f"/api/v1/contacts/clients/{client_record.client_number}/appointments").status_code
        == 403
    )
    assert http.get(f"/api/v1/contacts/appointments/{contact.pk}").status_code == 403
    refused = http.post(
        f"/api/v1/contacts/appointments/{contact.pk}/notes",
        {"text": "Not mine to write"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert http.get("/api/v1/contacts/follow-ups").status_code == 403
    assert CaseNote.objects.count() == 0


def test_a_group_read_lists_only_the_attendances_of_clients_the_caller_may_open(
    users, team, provider, api_as, make_user
):
    from beacon.clients.tests.factories import ClientFactory
    from beacon.contacts import services
    from beacon.core.tests.factories import TeamFactory

    mine = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    other_team = TeamFactory(provider=provider, name="Northside team")
    theirs = ClientFactory(provider=provider, team=other_team)
    group = services.group_session_record(
        actor=users["manager"],
        name="Tuesday recovery group",
        facilitator=users["keyworker"],
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        minutes=60,
        attendees=[mine, theirs],
    )
    answer = api_as("keyworker").get(f"/api/v1/contacts/groups/{group.pk}")
    assert answer.status_code == 200, answer.content
    numbers = [a["client_number"] for a in answer.json()["attendances"]]
    assert numbers == [mine.client_number]
    everyone = api_as("manager").get(f"/api/v1/contacts/groups/{group.pk}").json()
    assert len(everyone["attendances"]) == 2
