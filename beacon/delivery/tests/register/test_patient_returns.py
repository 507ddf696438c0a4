"""Patient returns: recorded apart from stock, never added to a balance, destroyed once with
a witness who is a user allowed to witness; append-only like the register."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import UserFactory
from beacon.delivery.models import PatientReturn, RegisterBalance, RegisterEntry
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services
from beacon.delivery.tests.factories import METHADONE, record
from beacon.prescribing.medicines import MEDICINES

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_(provider, team):
    return ClientFactory(provider=provider, team=team)


def hand_back(actor, site, client, quantity="30", **fields):
    data = {
        "client": client,
        "quantity": Decimal(quantity),
        "returned_by": "The client",
        "occurred_at": timezone.now(),
        **fields,
    }
    return services.patient_return_record(
        actor=actor, provider=actor.provider, site=site, medicine=METHADONE, data=data
    )


def destroy(actor, returned, witness):
    return services.patient_return_destroy(
        actor=actor,
        provider=actor.provider,
        patient_return=returned,
        data={"witness": witness, "occurred_at": timezone.now()},
    )


def test_a_patient_return_never_goes_back_into_stock(users, site, client_):
    manager = users["manager"]
    record(manager, "received", "100")
    entries = RegisterEntry.objects.count()
    returned = hand_back(manager, site, client_, "30")
    assert (returned.client_name, returned.unit) == (client_.full_name, "ml")
    assert selectors.register_balance(site=site, medicine=MEDICINES[METHADONE]) == Decimal(100)
    destroy(manager, returned, users["prescriber"])
    assert selectors.register_balance(site=site, medicine=MEDICINES[METHADONE]) == Decimal(100)
    assert RegisterEntry.objects.count() == entries
    assert list(RegisterBalance.objects.values_list("balance", flat=True)) == [Decimal(100)]


def test_a_return_is_recorded_with_who_brought_it_and_a_client_of_the_service(
    users, site, client_, other_provider
):
    manager = users["manager"]
    stranger = ClientFactory(provider=other_provider)
    for fields, field in [
        ({"client": None}, "client"),
        ({"client": stranger}, "client"),
        ({"returned_by": " "}, "returned_by"),
        ({"quantity": Decimal(0)}, "quantity"),
    ]:
        with pytest.raises(ValidationError) as exc:
            hand_back(manager, site, fields.pop("client", client_), **fields)
        assert field in exc.value.message_dict
    assert not PatientReturn.objects.exists()


def test_a_return_is_destroyed_once_with_a_witness_allowed_to_witness(users, site, client_):
    manager = users["manager"]
    returned = hand_back(manager, site, client_)
    for wrong in (None, users["nurse"], manager):
        with pytest.raises(ValidationError) as exc:
            destroy(manager, returned, wrong)
        assert "witness" in exc.value.message_dict
    destruction = destroy(manager, returned, users["prescriber"])
    assert (destruction.destroys, destruction.quantity) == (returned, returned.quantity)
    assert destruction.witnessed_by == users["prescriber"]
    with pytest.raises(ValidationError) as exc:
        destroy(manager, returned, users["prescriber"])
    assert exc.value.message_dict == {"destroys": ["This return is already destroyed"]}
    assert list(selectors.patient_returns_awaiting_destruction(site=site)) == []


def test_patient_returns_are_append_only(users, site, client_):
    returned = hand_back(users["manager"], site, client_)
    with pytest.raises(PermissionError):
        returned.save()
    with pytest.raises(PermissionError):
        PatientReturn.objects.filter(pk=returned.pk).update(quantity=1)
    table = PatientReturn._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET quantity = 1 WHERE id = %s", [returned.pk])
    returned.refresh_from_db()
    assert returned.quantity == Decimal(30)


def test_pages_record_a_return_and_its_destruction_apart_from_stock(web_as, users, site, client_):
    record(users["manager"], "received", "100")
    http = web_as("manager")
    now = timezone.localtime()
    when = {
        "occurred_on[day]": now.day,
        "occurred_on[month]": now.month,
        "occurred_on[year]": now.year,
        "occurred_time": now.strftime("%H:%M"),
    }
    response = http.post(
        f"/delivery/register/{site.pk}/returns/new/",
        {
            "medicine": METHADONE,
            "client_number": client_.client_number,
            "quantity": "25",
            "returned_by": "Sam Carer, for the client",
            **when,
        },
    )
    assert response.status_code == 302, response.content.decode()
    returned = PatientReturn.objects.get()
    page = http.get(f"/delivery/register/{site.pk}/returns/").content.decode()
    assert "Sam Carer, for the client" in page and "Record its destruction" in page
    form = http.get(f"/delivery/register/{site.pk}/returns/{returned.pk}/destroy/")
    assert f'value="{users["prescriber"].pk}"' in form.content.decode()
    response = http.post(
        f"/delivery/register/{site.pk}/returns/{returned.pk}/destroy/",
        {"witness": users["prescriber"].pk, **when},
    )
    assert response.status_code == 302
    assert PatientReturn.objects.filter(kind="destroyed", destroys=returned).exists()
    csv = http.get(f"/delivery/register/{site.pk}/returns.csv").content.decode()
    assert "brought in by" in csv.splitlines()[0] and "Sam Carer, for the client" in csv
    balance = http.get(f"/delivery/register/{site.pk}/{METHADONE}/").content.decode()
    assert "Balance: <strong>100 ml</strong>" in balance


def test_api_records_and_destroys_a_return(api_as, users, site, client_, other_provider):
    api = api_as("manager")
    path = f"/api/v1/delivery/register/{site.pk}/returns"
    body = {
        "medicine": METHADONE,
        "client_number": client_.client_number,
        "quantity": "10",
        "returned_by": "The client",
        "occurred_at": timezone.now().isoformat(),
    }
    created = api.post(path, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.json()
    return_id = created.json()["id"]
    stranger = UserFactory(role="manager", provider=other_provider, username="m-ors")
    refused = api.post(
        f"{path}/{return_id}/destruction",
        json.dumps({"witness_id": stranger.pk, "occurred_at": timezone.now().isoformat()}),
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "witness_id"
    done = api.post(
        f"{path}/{return_id}/destruction",
        json.dumps(
            {"witness_id": users["prescriber"].pk, "occurred_at": timezone.now().isoformat()}
        ),
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["destroys_id"] == return_id
    assert [r["kind"] for r in api.get(path).json()] == ["destroyed", "returned"]
    assert not RegisterEntry.objects.exists()


@pytest.mark.parametrize("who", ["keyworker", "prescriber", "nurse", "driver", "volunteer"])
def test_other_roles_cannot_record_returns(web_as, api_as, users, site, client_, who):
    body = {"medicine": METHADONE, "client_number": client_.client_number, "quantity": "5"}
    assert web_as(who).post(f"/delivery/register/{site.pk}/returns/new/", body).status_code == 403
    api = api_as(who)
    body = {**body, "returned_by": "x", "occurred_at": timezone.now().isoformat()}
    response = api.post(
        f"/api/v1/delivery/register/{site.pk}/returns",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not PatientReturn.objects.exists()
