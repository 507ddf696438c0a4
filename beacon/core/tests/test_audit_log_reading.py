"""The audit log reads like a service's: people and records by name, a page's reads as one
row, filters by action, person, part of a client number and dates, pages, a CSV download."""

import csv
import datetime
import io
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOG = "/audit/"


@pytest.fixture
def keyworker(users):
    person = users["keyworker"]
    person.first_name, person.last_name = "Wren", "Halloway"
    person.save()
    return person


@pytest.fixture
def clients(team):
    return [ClientFactory(provider=team.provider, team=team) for _ in range(5)]


def a_page_view(keyworker, clients):
    """What a caseload page writes: its own entry, then one per client it shows."""
    audit_record(actor=keyworker, action=Action.VIEW, detail="caseload")
    for client in clients:
        audit_record(actor=keyworker, action=Action.VIEW, obj=client, client=client)


def test_people_and_records_are_shown_by_name_not_database_label(web_as, keyworker, clients):
    client = clients[0]
    audit_record(actor=keyworker, action=Action.UPDATE, obj=client, client=client)
    page = web_as("manager").get(LOG, {"action": "update"}).text
    assert "Wren Halloway (keyworker-trs)" in page
    assert f"Client: {client.full_name} ({client.client_number})" in page
    assert "clients.Client" not in page and f"#{client.pk}" not in page


def test_the_reads_of_one_page_view_are_one_row(web_as, keyworker, clients, users):
    a_page_view(keyworker, clients)
    audit_record(actor=users["nurse"], action=Action.VIEW, obj=clients[0], client=clients[0])
    page = web_as("manager").get(LOG, {"username": "keyworker"}).text
    assert page.count("Viewed (6 entries)") == 1
    for client in clients:
        assert page.count(f"{client.client_number} {client.full_name}") == 1
    nurses = web_as("manager").get(LOG, {"username": users["nurse"].username}).text
    assert "entries)" not in nurses and clients[0].client_number in nurses


def test_a_slow_page_view_is_one_row_and_two_quick_ones_are_two(web_as, keyworker, clients):
    """The reads one request wrote are one row however long the page took; two requests a
    moment apart stay two rows."""
    slow, quick = AuditOrigin(request_id=uuid.uuid4()), AuditOrigin(request_id=uuid.uuid4())
    start = timezone.now() - datetime.timedelta(minutes=5)
    written = [(slow, None, 0), (slow, 0, 1), (slow, 1, 30), (quick, 2, 31), (quick, 3, 31)]
    for origin, index, seconds in written:
        client = clients[index] if index is not None else None
        with time_machine.travel(start + datetime.timedelta(seconds=seconds), tick=False):
            audit_record(
                actor=keyworker, action=Action.VIEW, obj=client, client=client, origin=origin
            )
    page = web_as("manager").get(LOG, {"username": "keyworker"}).text
    assert page.count("Viewed (3 entries)") == 1 and page.count("Viewed (2 entries)") == 1


def test_each_request_keeps_its_own_id_on_every_entry_it_writes(web_as, keyworker, clients):
    web_as(keyworker).get(reverse("clients:detail", args=[clients[0].client_number]))
    web_as(keyworker).get(reverse("clients:detail", args=[clients[0].client_number]))
    views = AuditEntry.objects.filter(action=Action.VIEW, client=clients[0])
    ids = set(views.values_list("request_id", flat=True))
    assert len(ids) == 2 and None not in ids
    assert views.count() > 2  # the page's sections each wrote an entry under their request


def test_client_filter_takes_part_of_a_client_number(web_as, keyworker, clients):
    a_page_view(keyworker, clients)
    wanted, other = clients[1], clients[2]
    page = web_as("manager").get(LOG, {"client_number": wanted.client_number[-4:]}).text
    assert wanted.client_number in page and other.client_number not in page


def test_person_filter_takes_part_of_a_name(web_as, keyworker, users):
    audit_record(actor=keyworker, action=Action.UPDATE, detail="keyworker change")
    audit_record(actor=users["nurse"], action=Action.UPDATE, detail="nurse change")
    for search in ("Halloway", "wren halloway", "keyworker-t"):
        page = web_as("manager").get(LOG, {"username": search}).text
        assert "keyworker change" in page and "nurse change" not in page, search


def test_refused_attempts_are_in_the_log(web_as, keyworker):
    assert web_as(keyworker).get(reverse("core:locked_accounts")).status_code == 403
    page = web_as("manager").get(LOG, {"action": "refused"}).text
    assert "Wren Halloway (keyworker-trs)" in page and "403 GET /locked-accounts/" in page


def test_the_log_pages(web_as, users):
    for n in range(1, 121):
        audit_record(actor=users["nurse"], action=Action.UPDATE, detail=f"change-{n:03d}")
    manager = web_as("manager")
    first = manager.get(LOG).text
    assert "change-120" in first and "change-001" not in first and "page=2" in first
    second = manager.get(LOG, {"page": 2}).text
    assert "change-001" in second and "change-120" not in second


def test_the_filtered_log_downloads_as_csv_one_line_an_entry_and_is_audited(
    web_as, keyworker, clients, users
):
    a_page_view(keyworker, clients)
    audit_record(actor=users["nurse"], action=Action.UPDATE, detail="nurse change")
    response = web_as("manager").get(LOG, {"username": "Halloway", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 6
    assert {row["Who"] for row in rows} == {"Wren Halloway (keyworker-trs)"}
    assert {row["Client number"] for row in rows} == {"", *(c.client_number for c in clients)}
    assert f"Client: {clients[0].full_name} ({clients[0].client_number})" in {
        row["Record"] for row in rows
    }
    export = AuditEntry.objects.get(action=Action.EXPORT, user=users["manager"])
    assert "audit log as CSV" in export.detail and "Halloway" in export.detail


def test_another_providers_records_are_never_named(web_as, make_user, other_provider, users):
    theirs = ClientFactory(provider=other_provider)
    # An entry of ours that names their record (it cannot happen through a page): no name.
    audit_record(actor=users["nurse"], action=Action.UPDATE, obj=theirs)
    page = web_as("manager").get(LOG, {"action": "update"}).text
    assert theirs.last_name not in page and f"Client {theirs.pk}" in page


def entries_naming_records(users, team, count: int) -> None:
    from beacon.prescribing.tests.factories import prescribe

    for _ in range(count):
        client = ClientFactory(provider=team.provider, team=team)
        prescription = prescribe(client=client, prescriber=users["prescriber"])
        for record in (client, prescription, prescription.episode, users["nurse"]):
            audit_record(actor=users["manager"], action=Action.UPDATE, obj=record, client=client)


def test_the_log_page_costs_the_same_queries_for_few_or_many_records(
    web_as, users, team, django_assert_max_num_queries
):
    manager = web_as("manager")
    entries_naming_records(users, team, 1)
    with CaptureQueriesContext(connection) as few:
        page = manager.get(LOG, {"action": "update"}).text
    assert "Episode from" in page and "Account: " in page and "Prescription: " in page
    entries_naming_records(users, team, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager.get(LOG, {"action": "update"})
