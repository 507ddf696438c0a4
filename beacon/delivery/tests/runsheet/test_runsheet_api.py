"""The run sheet through /api/v1/: a driver's token reads and records only their own round
of today, with no clinical detail; the coordinator hands over and takes back by API."""

import json

import pytest

from beacon.delivery.models import DeliveryStop
from beacon.delivery.tests.factories import record, round_today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


@pytest.fixture
def post(api_as):
    """post(user, path, body): a JSON POST sent with that user's bearer token."""

    def send(user, path, body=None):
        return api_as(user).post(path, json.dumps(body or {}), content_type="application/json")

    return send


@pytest.fixture
def stops(users, provider, team):
    return round_today(users=users, provider=provider, team=team, clients=2, handed_over=True)


def test_drivers_token_reads_own_round_without_clinical_fields(api_as, users, stops):
    response = api_as(users["driver"]).get("/api/v1/delivery/my-round")
    body = response.json()
    assert response.status_code == 200
    assert [s["parcel_number"] for s in body["stops"]] == [s.parcel_number for s in stops]
    first = body["stops"][0]
    assert first["access_notes"] == "Ring twice, side door" and first["handed_over"] is True
    text = json.dumps(body).lower()
    for clinical in ("dose", "medicine", "methadone", "quantity", "diagnosis", "nhs_number"):
        assert clinical not in text


def test_another_drivers_stop_is_not_found_by_api(
    api_as, post, users, provider, team, make_user, stops
):
    other = make_user("driver", username="driver-api-other")
    theirs = round_today(users=users, provider=provider, team=team, driver=other)[0]
    response = post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{theirs.pk}/not-delivered",
        {"reason": "not_in"},
    )
    assert response.status_code == 404
    mine = api_as(other).get("/api/v1/delivery/my-round").json()
    assert [s["id"] for s in mine["stops"]] == [theirs.pk]


def test_driver_records_outcomes_by_api(post, users, stops):
    delivered = post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{stops[0].pk}/delivered",
        {"recipient": "representative", "representative_name": "Jo Example", "identity": "shown"},
    )
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    missed = post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{stops[1].pk}/not-delivered",
        {"reason": "unsafe", "notes": "Dog loose in the garden"},
    )
    assert missed.json()["not_delivered_reason"] == "unsafe"
    again = post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{stops[1].pk}/delivered",
        {"recipient": "client", "identity": "shown"},
    )
    assert again.status_code == 422
    assert "already recorded as not delivered" in again.json()["errors"][0]["message"]


def test_bad_outcome_input_names_the_field_and_saves_nothing(post, users, stops):
    response = post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{stops[0].pk}/delivered",
        {"recipient": "neighbour", "identity": "shown"},
    )
    assert response.status_code == 422
    assert any(e["field"] == "recipient" for e in response.json()["errors"])
    missing_name = post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{stops[0].pk}/delivered",
        {"recipient": "representative", "identity": "shown"},
    )
    assert missing_name.status_code == 422
    assert missing_name.json()["errors"][0]["field"] == "representative_name"
    assert DeliveryStop.objects.get(pk=stops[0].pk).status == "planned"


def test_coordinator_hands_over_and_takes_back_by_api(post, users, provider, team):
    stops = round_today(users=users, provider=provider, team=team)
    record(users["manager"], "received", 100)
    handed = post(
        users["manager"],
        f"/api/v1/delivery/rounds/{stops[0].round_id}/hand-over",
        {"parcels": [stops[0].parcel_number]},
    )
    assert handed.json() == {"handed": [stops[0].parcel_number], "held_back": []}
    missing = post(users["driver"], "/api/v1/delivery/my-round/confirm", {"parcels": []})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "parcels"
    parcels = {"parcels": [stops[0].parcel_number]}
    confirmed = post(users["driver"], "/api/v1/delivery/my-round/confirm", parcels)
    assert confirmed.json() == {"confirmed_parcels": 1}
    again = post(users["driver"], "/api/v1/delivery/my-round/confirm", parcels)
    assert again.status_code == 422
    post(
        users["driver"],
        f"/api/v1/delivery/my-round/stops/{stops[0].pk}/not-delivered",
        {"reason": "not_in"},
    )
    back = post(users["manager"], f"/api/v1/delivery/stops/{stops[0].pk}/returned")
    assert back.status_code == 200 and back.json()["returned"] is True


@pytest.mark.parametrize("who", ["keyworker", "prescriber", "nurse", "volunteer", "manager"])
def test_only_drivers_have_a_run_sheet(api_as, users, stops, who):
    response = api_as(users[who]).get("/api/v1/delivery/my-round")
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["driver", "keyworker", "prescriber", "nurse", "volunteer"])
def test_only_the_coordinator_hands_over(post, users, provider, team, who):
    stops = round_today(users=users, provider=provider, team=team)
    response = post(
        users[who],
        f"/api/v1/delivery/rounds/{stops[0].round_id}/hand-over",
        {"parcels": [stops[0].parcel_number]},
    )
    assert response.status_code == 403
    assert not DeliveryStop.objects.filter(handed_over_entry__isnull=False).exists()


def test_coordinator_holds_back_by_api_and_the_driver_sees_only_do_not_deliver(
    api_as, post, users, stops
):
    missing = post(users["manager"], f"/api/v1/delivery/stops/{stops[0].pk}/hold-back")
    assert missing.status_code == 422
    held = post(
        users["manager"],
        f"/api/v1/delivery/stops/{stops[0].pk}/hold-back",
        {"reason": "Client admitted to hospital"},
    )
    assert held.json()["status"] == "held_back"
    assert held.json()["held_back_reason"] == "Client admitted to hospital"
    sheet = api_as(users["driver"]).get("/api/v1/delivery/my-round").json()
    (stop,) = [s for s in sheet["stops"] if s["id"] == stops[0].pk]
    assert stop["do_not_deliver"] is True and stop["status"] == "do_not_deliver"
    assert "hospital" not in json.dumps(sheet).lower()
