"""The caseload's contact columns and flags: last contact, next appointment, days since
seen; two DNAs in a row, a DNA while on OST, on OST and not seen face to face."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts import services
from beacon.contacts.models import Appointment, AppointmentKind, AppointmentOutcome
from beacon.contacts.selectors import (
    Flag,
    clients_with_contact_figures,
    contact_flags,
    ost_clients_not_seen,
)
from beacon.contacts.tests.factories import at, book, booked_in_the_past, contact_at
from beacon.prescribing.tests.factories import prescribe

pytestmark = pytest.mark.django_db
CASELOAD = reverse("treatment:caseload")


def flags_of(client) -> list[str]:
    annotated = clients_with_contact_figures(type(client).objects.filter(pk=client.pk)).get()
    return contact_flags(annotated)


def dna(client, staff, *, days: int, hour: int = 10):
    appointment = booked_in_the_past(client, staff, days=days, hour=hour)
    services.appointment_record_outcome(actor=staff, appointment=appointment, outcome="dna")
    return appointment


def test_two_dnas_in_a_row_flag_the_client(users, client_record):
    keyworker = users["keyworker"]
    contact_at(client_record, keyworker, days=10)
    dna(client_record, keyworker, days=5)
    assert Flag.TWO_DNAS not in flags_of(client_record)
    dna(client_record, keyworker, days=2)
    assert Flag.TWO_DNAS in flags_of(client_record)
    contact_at(client_record, keyworker, days=1)
    assert Flag.TWO_DNAS not in flags_of(client_record)


def test_a_dna_by_a_client_on_ost_flags_them(users, client_record):
    prescribe(client=client_record, prescriber=users["prescriber"])
    contact_at(client_record, users["keyworker"], days=3)
    assert Flag.DNA_ON_OST not in flags_of(client_record)
    dna(client_record, users["keyworker"], days=1)
    assert Flag.DNA_ON_OST in flags_of(client_record)


def test_a_dna_by_a_client_not_on_ost_is_not_the_ost_flag(users, client_record):
    dna(client_record, users["keyworker"], days=1)
    assert Flag.DNA_ON_OST not in flags_of(client_record)


def test_an_ost_client_not_seen_face_to_face_for_28_days_is_listed(users, client_record, settings):
    settings.BEACON_CONTACTS_NOT_SEEN_DAYS = 28
    prescribe(client=client_record, prescriber=users["prescriber"])
    keyworker = users["keyworker"]
    contact_at(client_record, keyworker, days=29, kind=AppointmentKind.ONE_TO_ONE)
    contact_at(
        client_record, keyworker, days=2, kind=AppointmentKind.PHONE_OR_VIDEO
    )  # not face to face
    assert Flag.NOT_SEEN_ON_OST in flags_of(client_record)
    assert list(ost_clients_not_seen(user=keyworker)) == [client_record]
    contact_at(client_record, keyworker, days=27, kind=AppointmentKind.HOME_VISIT)
    assert Flag.NOT_SEEN_ON_OST not in flags_of(client_record)
    assert list(ost_clients_not_seen(user=keyworker)) == []


def test_the_not_seen_days_are_a_setting(users, client_record, settings):
    prescribe(client=client_record, prescriber=users["prescriber"])
    contact_at(client_record, users["keyworker"], days=10, kind=AppointmentKind.ONE_TO_ONE)
    settings.BEACON_CONTACTS_NOT_SEEN_DAYS = 7
    assert list(ost_clients_not_seen(user=users["keyworker"])) == [client_record]
    settings.BEACON_CONTACTS_NOT_SEEN_DAYS = 14
    assert list(ost_clients_not_seen(user=users["keyworker"])) == []


def test_the_flag_and_the_list_agree(users, team, settings):
    """`contact_flags` (the caseload) and `ost_clients_not_seen` (the list) are one rule."""
    keyworker = users["keyworker"]
    cases = []
    for index, days in enumerate([None, 2, 27, 29, 60]):
        client = ClientFactory(
            provider=team.provider, team=team, keyworker=keyworker, last_name=f"Case{index}"
        )
        prescribe(client=client, prescriber=users["prescriber"])
        if days is not None:
            contact_at(client, keyworker, days=days, kind=AppointmentKind.ONE_TO_ONE)
        cases.append(client)
    listed = set(ost_clients_not_seen(user=keyworker))
    flagged = {c for c in cases if Flag.NOT_SEEN_ON_OST in flags_of(c)}
    assert listed == flagged == {cases[0], cases[3], cases[4]}


def test_the_caseload_shows_last_contact_next_appointment_and_days_since_seen(
    users, client_record, web_as
):
    keyworker = users["keyworker"]
    contact_at(client_record, keyworker, days=3, kind=AppointmentKind.ONE_TO_ONE)
    book(client_record, keyworker, starts_at=at(2, 11, 15))
    page = web_as("keyworker").get(CASELOAD).content.decode()
    table = page[page.index('id="caseload-clients"') :]
    assert "3 days" in table
    assert timezone.localtime(at(2, 11, 15)).strftime("%H:%M") in table
    assert "None booked" not in table


def test_the_caseload_costs_the_same_queries_with_10_or_1000_contacts_a_client(users, team, web_as):
    keyworker = users["keyworker"]
    clients = [
        ClientFactory(provider=team.provider, team=team, keyworker=keyworker, last_name=f"C{i}")
        for i in range(3)
    ]
    http = web_as("keyworker")
    http.get(CASELOAD)  # session and user warm

    def add_contacts(count: int) -> None:
        now = timezone.now()
        Appointment.objects.bulk_create(
            Appointment(
                provider=team.provider,
                client=client,
                staff=keyworker,
                starts_at=now - timezone.timedelta(hours=n + 1),
                minutes=30,
                kind=AppointmentKind.ONE_TO_ONE,
                booked=n % 2 == 0 or n % 3 == 0,  # a contact not booked is attended
                outcome=AppointmentOutcome.ATTENDED if n % 3 else AppointmentOutcome.DNA,
                outcome_recorded_at=now,
            )
            for client in clients
            for n in range(count)
        )

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(CASELOAD).status_code == 200
        return len(captured)

    add_contacts(10)
    few = queries_for_page()
    add_contacts(990)
    assert Appointment.objects.filter(client=clients[0]).count() == 1000
    assert queries_for_page() == few
