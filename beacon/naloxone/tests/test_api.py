"""The naloxone API: stock receipts, offers, supplies answering id and expiry with the stock
moved, reports, and coverage; the same rules and refusals as the pages."""

import json

import pytest

from beacon.naloxone.models import (
    KitReport,
    NaloxoneOffer,
    NaloxoneSupply,
    StockBalance,
    StockEntry,
)
from beacon.naloxone.tests.factories import ALL_TOPICS, day, write_off_kits

pytestmark = pytest.mark.django_db

TRAINING = {"topics": ALL_TOPICS}


def post(http, path: str, body: dict):
    return http.post(f"/api/v1/naloxone{path}", json.dumps(body), content_type="application/json")


def receipt(site, **changes) -> dict:
    return {
        "date": day(0).isoformat(),
        "kit_type": "nyxoid",
        "batch": "NY77",
        "expiry": day(500).isoformat(),
        "quantity": 3,
        "site_id": site.pk,
        **changes,
    }


def test_a_manager_receives_stock_and_a_keyworker_may_not(api_as, site):
    refused = post(api_as("keyworker"), "/stock/receipts", receipt(site))
    assert refused.status_code == 403
    made = post(api_as("manager"), "/stock/receipts", receipt(site))
    assert made.status_code == 201
    assert (made.json()["balance_after"], made.json()["expiry"]) == (3, day(500).isoformat())


def test_a_receipt_with_a_past_expiry_is_a_422_naming_the_field(api_as, site):
    response = post(api_as("manager"), "/stock/receipts", receipt(site, expiry=day(-1).isoformat()))
    assert response.status_code == 422
    assert "expired" in json.dumps(response.json())
    assert not StockEntry.objects.exists()


def test_a_supply_answers_its_id_and_expiry_and_moves_the_stock(api_as, site, batch, opiate):
    response = post(
        api_as("nurse"),
        "/supplies",
        {
            "date": day(0).isoformat(),
            "kit_type": "prenoxad",
            "batch": "PX1",
            "client_number": opiate.client_number,
            "recipient": "client",
            "training": TRAINING,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == NaloxoneSupply.objects.get().pk
    assert body["expiry"] == batch.expires_on.isoformat() and body["site_id"] == site.pk
    assert StockBalance.objects.get(batch=batch).balance == 4


def test_a_supply_from_empty_stock_is_a_422_and_saves_nothing(api_as, users, site, batch, opiate):
    write_off_kits(users["manager"], batch, site, quantity=5)
    response = post(
        api_as("keyworker"),
        "/supplies",
        {
            "date": day(0).isoformat(),
            "kit_type": "prenoxad",
            "batch": "PX1",
            "site_id": site.pk,
            "client_number": opiate.client_number,
            "recipient": "client",
            "training": TRAINING,
        },
    )
    assert response.status_code == 422
    assert "no stock" in json.dumps(response.json())
    assert not NaloxoneSupply.objects.exists()


def test_a_kit_seen_by_api_is_in_person_with_its_expiry(api_as, opiate):
    http = api_as("keyworker")
    path = f"/clients/{opiate.client_number}/offers"
    seen = {"date": day(0).isoformat(), "outcome": "holds_kit"}
    for sent in (seen, {**seen, "in_person": False}):
        refused = post(http, path, sent)
        assert refused.status_code == 422
        assert "A kit can only be seen in person" in json.dumps(refused.json())
    made = post(http, path, {**seen, "in_person": True, "seen_kit_expiry": day(300).isoformat()})
    assert made.status_code == 201 and made.json()["seen_kit_expiry"] == day(300).isoformat()


def test_an_offer_declined_and_a_use_report(api_as, site, batch, opiate):
    http = api_as("keyworker")
    offer = post(
        http,
        f"/clients/{opiate.client_number}/offers",
        {"date": day(0).isoformat(), "outcome": "declined", "decline_reason": "smokes"},
    )
    assert offer.status_code == 201 and offer.json()["decline_reason"] == "smokes"
    supply = post(
        http,
        "/supplies",
        {
            "date": day(-3).isoformat(),
            "kit_type": "prenoxad",
            "batch": "PX1",
            "client_number": opiate.client_number,
            "recipient": "friend",
            "training": TRAINING,
        },
    ).json()
    early = post(
        http,
        f"/supplies/{supply['id']}/reports",
        {"date": day(-4).isoformat(), "kind": "used", "used_on": "self", "outcome": "survived"},
    )
    assert early.status_code == 422 and not KitReport.objects.exists()
    used = post(
        http,
        f"/supplies/{supply['id']}/reports",
        {
            "date": day(0).isoformat(),
            "kind": "used",
            "used_on": "someone_else",
            "outcome": "survived",
            "ambulance_called": True,
        },
    )
    assert used.status_code == 201 and used.json()["ambulance_called"] is True


def test_coverage_for_a_commissioner_counts_only(api_as, users, opiate):
    response = api_as("commissioner").get("/api/v1/naloxone/coverage")
    assert response.status_code == 200
    # One opiate client, without a kit: small numbers suppressed for a commissioner (H-146).
    assert response.json()["overall"] == {
        "label": "All current opiate clients",
        "holding": "not shown",
        "total": "fewer than 5",
        "percent": "not shown",
    }
    assert opiate.last_name not in response.content.decode()
    assert response.json()["by_keyworker"] is None
    assert users["keyworker"].last_name not in response.content.decode()
    assert api_as("keyworker").get("/api/v1/naloxone/coverage").status_code == 403
    by_manager = api_as("manager").get("/api/v1/naloxone/coverage").json()
    assert by_manager["overall"]["total"] == 1 and by_manager["overall"]["percent"] == 0
    assert [row["label"] for row in by_manager["by_keyworker"]] == [users["keyworker"].display_name]


def test_an_offer_supplied_records_the_supply_and_moves_the_stock(api_as, site, batch, opiate):
    response = post(
        api_as("keyworker"),
        f"/clients/{opiate.client_number}/offers",
        {
            "date": day(0).isoformat(),
            "outcome": "supplied",
            "kit_type": "prenoxad",
            "batch": "PX1",
            "training": TRAINING,
        },
    )
    assert response.status_code == 201, response.content
    offer = NaloxoneOffer.objects.get()
    supply = NaloxoneSupply.objects.get()
    assert response.json()["supply_id"] == supply.pk == offer.supply_id
    assert (supply.client, supply.recipient) == (opiate, "client")
    assert StockBalance.objects.get(batch=batch).balance == 4


def test_an_offer_supplied_without_the_kit_or_training_is_a_422_and_saves_nothing(
    api_as, site, batch, opiate
):
    response = post(
        api_as("keyworker"),
        f"/clients/{opiate.client_number}/offers",
        {"date": day(0).isoformat(), "outcome": "supplied"},
    )
    assert response.status_code == 422
    named = json.dumps(response.json())
    assert all(name in named for name in ("kit_type", "batch", "training"))
    assert not NaloxoneOffer.objects.exists() and not NaloxoneSupply.objects.exists()
    assert StockBalance.objects.get(batch=batch).balance == 5
