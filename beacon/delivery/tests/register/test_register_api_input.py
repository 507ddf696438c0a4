"""The register API reads a movement's time explicitly (UK time without an offset, the same
instant with one) and refuses paging numbers beyond what the database can count."""

import datetime
import json

import pytest
from django.utils import timezone

from beacon.delivery.models import RegisterEntry
from beacon.delivery.tests.factories import METHADONE, main_site, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_path(provider) -> str:
    return f"/api/v1/delivery/register/{main_site(provider).pk}/{METHADONE}"


def received_at(api, path: str, when: str):
    body = {
        "kind": "received",
        "quantity": "50",
        "occurred_at": when,
        "supplier": "Wholesaler",
        "supplier_address": "Unit 4, Example Park, Leeds LS9 0AA",
    }
    return api.post(f"{path}/movements", json.dumps(body), content_type="application/json")


def test_a_movement_time_with_an_offset_is_stored_as_the_same_instant(api_as, api_path):
    instant = (timezone.now() - datetime.timedelta(hours=1)).replace(microsecond=0)
    india = instant.astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
    response = received_at(api_as("manager"), api_path, india.isoformat())
    assert response.status_code == 201, response.content
    assert RegisterEntry.objects.get().occurred_at == instant
    answered = datetime.datetime.fromisoformat(response.json()["occurred_at"])
    assert answered == instant


def test_a_movement_time_without_an_offset_is_uk_time(api_as, api_path):
    uk = timezone.localtime() - datetime.timedelta(minutes=30)
    response = received_at(api_as("manager"), api_path, uk.replace(tzinfo=None).isoformat())
    assert response.status_code == 201, response.content
    assert RegisterEntry.objects.get().occurred_at == uk


@pytest.mark.parametrize(
    "query", [f"offset={2**63}", f"offset={10**9 + 1}", "offset=-1", "limit=0", "limit=501"]
)
def test_paging_beyond_what_can_be_counted_is_refused(api_as, api_path, users, query):
    record(users["manager"], "received", "100")
    response = api_as("manager").get(f"{api_path}/entries?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_paging_within_bounds_pages(api_as, api_path, users):
    record(users["manager"], "received", "100")
    record(users["manager"], "received", "20")
    api = api_as("manager")
    assert len(api.get(f"{api_path}/entries?limit=1&offset=1").json()) == 1
    assert api.get(f"{api_path}/entries?offset={10**9}").json() == []
