"""A register movement through the API from a role that may never keep the register is
refused by the operation's role gate: 403 before its body is read, valid or not, nothing
written and the refusal audited; the register's keeper sending no body still learns it is
invalid (422)."""

import json

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from ninja.operation import Operation

from beacon.core.models import AuditEntry
from beacon.delivery.models import RegisterEntry
from beacon.delivery.tests.factories import METHADONE
from beacon.delivery.tests.register.test_register_pages import REFUSED_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def movements(site):
    return f"/api/v1/delivery/register/{site.pk}/{METHADONE}/movements"


def received() -> str:
    body = {"kind": "received", "quantity": "10", "occurred_at": timezone.now().isoformat()}
    supplier = {"supplier": "Demo Wholesale Pharma", "supplier_address": "Unit 4, Leeds LS9 0AA"}
    return json.dumps({**body, **supplier})


def _unread(*args, **kwargs):
    raise AssertionError("The body of a refused request was read")


@pytest.mark.parametrize("who", REFUSED_ROLES)
def test_a_refused_role_is_refused_before_its_valid_body_is_read(
    api_as, users, who, movements, monkeypatch
):
    monkeypatch.setattr(Operation, "_get_values", _unread)
    response = api_as(who).post(movements, received(), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role does not allow this"}
    assert not RegisterEntry.objects.exists()
    refusal = AuditEntry.objects.get(action=AuditEntry.Action.REFUSED, user=users[who])
    assert refusal.detail == f"403 POST {movements}"


@pytest.mark.parametrize("body", ["", "{not json", '{"kind": "received"}'])
def test_a_refused_role_learns_nothing_of_the_body_it_may_not_send(api_as, movements, body):
    response = api_as("driver").post(movements, body, content_type="application/json")
    assert response.status_code == 403
    assert "errors" not in response.json()


def test_the_same_body_from_the_register_keeper_is_recorded(api_as, movements):
    response = api_as("manager").post(movements, received(), content_type="application/json")
    assert response.status_code == 201
    assert RegisterEntry.objects.count() == 1


def test_the_register_keeper_without_a_body_is_told_what_is_missing(api_as, movements):
    response = api_as("manager").generic("POST", movements)
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input"


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic abc"])
def test_without_a_valid_token_the_write_is_unauthenticated(movements, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = HttpClient().post(
        movements, received(), content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert not RegisterEntry.objects.exists()
