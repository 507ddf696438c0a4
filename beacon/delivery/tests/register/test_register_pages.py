"""Register pages and API: who may open them, what they record, other providers' entries."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import UserFactory
from beacon.core.tests.matrix import EVERYONE
from beacon.delivery.models import RegisterEntry
from beacon.delivery.tests.factories import METHADONE, deliver, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def PAGE(site):
    return f"/delivery/register/{site.pk}/{METHADONE}/"


@pytest.fixture
def API(site):
    return f"/api/v1/delivery/register/{site.pk}/{METHADONE}"


REFUSED_ROLES = [
    "keyworker",
    "prescriber",
    "nurse",
    "driver",
    "volunteer",
    "commissioner",
    "pharmacist",
    "probation_officer",
]


def post_json(api, path, body):
    return api.post(path, json.dumps(body), content_type="application/json")


def now_form() -> dict:
    now = timezone.localtime()
    return {
        "occurred_on[day]": now.day,
        "occurred_on[month]": now.month,
        "occurred_on[year]": now.year,
        "occurred_time": now.strftime("%H:%M"),
    }


@pytest.mark.parametrize("who", REFUSED_ROLES)
def test_other_roles_are_refused_every_page_and_endpoint(api_as, web_as, users, who, PAGE, API):
    http = web_as(who)
    for path in [
        "/delivery/register/",
        PAGE,
        f"{PAGE}record/received/",
        f"{PAGE}correct/",
        "/delivery/reconciliation/",
    ]:
        assert http.get(path).status_code == 403, path
    assert http.post(f"{PAGE}record/received/", {"quantity": "10"}).status_code == 403
    api = api_as(who)
    for path in [f"{API}/entries", f"{API}/balance", "/api/v1/delivery/reconciliation"]:
        assert api.get(path).status_code == 403, path
    body = {"kind": "received", "quantity": "10", "occurred_at": timezone.now().isoformat()}
    body["supplier"] = "Demo Wholesale Pharma"
    assert post_json(api, f"{API}/movements", body).status_code == 403
    body = {"corrects_id": 1, "adjustment": "1", "notes": "x"}
    assert post_json(api, f"{API}/corrections", body).status_code == 403
    assert not RegisterEntry.objects.exists()


def test_every_role_is_covered():
    assert set(REFUSED_ROLES) | {"manager", "admin"} == set(EVERYONE)


def test_manager_records_a_receipt_and_sees_the_page(web_as, users, PAGE):
    http = web_as("manager")
    response = http.post(
        f"{PAGE}record/received/",
        {
            "quantity": "500",
            "supplier": "Demo Wholesale Pharma",
            "supplier_address": "Unit 4, Example Park, Leeds LS9 0AA",
            **now_form(),
        },
    )
    assert response.status_code == 302
    entry = RegisterEntry.objects.get()
    assert (entry.balance_after, entry.entered_by) == (Decimal(500), users["manager"])
    page = http.get(PAGE).content.decode()
    assert "Balance: <strong>500 ml</strong>" in page and "Demo Wholesale Pharma" in page
    assert AuditEntry.objects.filter(action="view", detail__contains=METHADONE).exists()


def test_the_form_shows_the_balance_refusal_next_to_quantity(web_as, users, PAGE):
    record(users["manager"], "received", "20")
    http = web_as("manager")
    response = http.post(
        f"{PAGE}record/destroyed/",
        {"quantity": "25", "witness": users["prescriber"].pk, **now_form()},
    )
    assert response.status_code == 200
    assert "This would leave −5 ml: the balance is 20 ml" in response.content.decode()
    assert RegisterEntry.objects.count() == 1


def test_delivery_form_asks_reg_19_questions(web_as, users, provider, team, PAGE):
    manager, driver = users["manager"], users["driver"]
    client = ClientFactory(provider=provider, team=team)
    record(manager, "received", "100")
    record(manager, "handed_to_driver", "30", driver=driver)
    http = web_as("manager")
    form = http.get(f"{PAGE}record/delivered/").content.decode()
    assert "Was proof of identity asked for?" in form and "witness" not in form
    response = http.post(
        f"{PAGE}record/delivered/",
        {
            "quantity": "30",
            "driver": driver.pk,
            "client_number": client.client_number,
            "prescriber": users["prescriber"].pk,
            "recipient": "client",
            "identity_requested": "yes",
            "identity_provided": "no",
            **now_form(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    entry = RegisterEntry.objects.get(kind="delivered")
    assert (entry.client, entry.identity_requested, entry.identity_provided) == (
        client,
        True,
        False,
    )


def test_correction_page_lists_only_this_providers_entries(web_as, users, other_provider, PAGE):
    mine = record(users["manager"], "received", "100")
    other_manager = UserFactory(role="manager", provider=other_provider, username="m-ors")
    theirs = record(other_manager, "received", "100")
    http = web_as("manager")
    assert f'value="{theirs.pk}"' not in http.get(f"{PAGE}correct/").content.decode()
    response = http.post(
        f"{PAGE}correct/", {"corrects": theirs.pk, "adjustment": "-5", "notes": "Miscount"}
    )
    assert response.status_code == 200  # not a choice: refused next to the field
    assert RegisterEntry.objects.filter(kind="correction").count() == 0
    response = http.post(
        f"{PAGE}correct/", {"corrects": mine.pk, "adjustment": "-5", "notes": "Miscount"}
    )
    assert response.status_code == 302
    assert RegisterEntry.objects.get(kind="correction").corrects == mine


def test_another_providers_register_is_not_shown(api_as, web_as, users, other_provider, PAGE, API):
    other_manager = UserFactory(role="manager", provider=other_provider, username="m-ors")
    record(other_manager, "received", "123")
    page = web_as("manager").get(PAGE).content.decode()
    assert "123" not in page and "No entries yet." in page
    body = api_as("manager").get(f"{API}/entries").json()
    assert body == []


def test_unknown_medicine_or_kind_is_404(web_as, PAGE):
    http = web_as("manager")
    assert http.get("/delivery/register/heroin/").status_code == 404
    assert http.get(f"{PAGE}record/correction/").status_code == 404
    assert http.get(f"{PAGE}record/lost/").status_code == 404


def test_reconciliation_page_highlights_discrepancies(web_as, users, provider, team, API):
    manager, driver = users["manager"], users["driver"]
    record(manager, "received", "100")
    record(manager, "handed_to_driver", "50", driver=driver)
    deliver(manager, "30", driver=driver, client=ClientFactory(provider=provider, team=team))
    page = web_as("manager").get("/delivery/reconciliation/").content.decode()
    assert 'id="discrepancies"' in page and "beacon-discrepancy" in page
    assert "20 ml not accounted for" in page
    record(manager, "returned_undelivered", "20", driver=driver)
    page = web_as("manager").get("/delivery/reconciliation/").content.decode()
    assert 'id="reconciled"' in page and "beacon-discrepancy" not in page


# The API.


def test_api_movement_balance_entries_and_correction(api_as, users, provider, team, API):
    api = api_as("manager")
    body = {
        "kind": "received",
        "quantity": "200",
        "occurred_at": timezone.now().isoformat(),
        "supplier": "Demo Wholesale Pharma",
        "supplier_address": "Unit 4, Example Park, Leeds LS9 0AA",
    }
    response = post_json(api, f"{API}/movements", body)
    assert response.status_code == 201, response.json()
    received = response.json()
    assert (Decimal(received["balance_after"]), received["unit"]) == (200, "ml")
    refused = post_json(
        api,
        f"{API}/movements",
        {**body, "kind": "destroyed", "quantity": "250", "witness_id": users["prescriber"].pk},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "quantity", "message": "This would leave −50 ml: the balance is 200 ml"}
    ]
    fix = post_json(
        api,
        f"{API}/corrections",
        {"corrects_id": received["id"], "adjustment": "-10", "notes": "Miscounted"},
    )
    assert fix.status_code == 201 and fix.json()["corrects_id"] == received["id"]
    assert api.get(f"{API}/balance").json()["balance"] == "190.00"  # as stored
    entries = api.get(f"{API}/entries").json()
    assert [e["kind"] for e in entries] == ["correction", "received"]


def test_api_correction_of_another_providers_entry_is_refused(api_as, users, other_provider, API):
    other_manager = UserFactory(role="manager", provider=other_provider, username="m-ors")
    theirs = record(other_manager, "received", "100")
    response = post_json(
        api_as("manager"),
        f"{API}/corrections",
        {"corrects_id": theirs.pk, "adjustment": "-10", "notes": "x"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "corrects_id"
    assert not RegisterEntry.objects.filter(kind="correction").exists()


def test_api_delivery_and_reconciliation(api_as, users, provider, team, API):
    manager, driver = users["manager"], users["driver"]
    client = ClientFactory(provider=provider, team=team)
    record(manager, "received", "100")
    record(manager, "handed_to_driver", "40", driver=driver)
    api = api_as("manager")
    body = {
        "kind": "delivered",
        "quantity": "30",
        "occurred_at": timezone.now().isoformat(),
        "driver_id": driver.pk,
        "client_number": client.client_number,
        "prescriber_id": users["prescriber"].pk,
        "recipient": "representative",
        "representative_name": "Sam Carer",
        "identity_requested": True,
        "identity_provided": True,
    }
    response = post_json(api, f"{API}/movements", body)
    assert response.status_code == 201, response.json()
    assert response.json()["client_number"] == client.client_number
    day = timezone.localdate().isoformat()
    result = api.get(f"/api/v1/delivery/reconciliation?date={day}")
    assert result.json()["discrepancies"] == 1
    assert Decimal(result.json()["rows"][0]["difference"]) == 10
    wrong = post_json(api, f"{API}/movements", {**body, "driver_id": users["nurse"].pk})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "driver"
