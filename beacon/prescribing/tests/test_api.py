"""The prescribing API: the same services and rules as the pages, answered as JSON."""

import pytest

from beacon.prescribing.models import DoseChange, Instalment, Prescription
from beacon.prescribing.tests.factories import (
    BUVIDAL_WEEKLY_16,
    days_from_today,
    prescribe,
    prescription_api_fields,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/prescribing"


def body(client, **overrides) -> dict:
    return prescription_api_fields(client, start=days_from_today(-1), **overrides)


def post(http, path, data):
    return http.post(path, data, content_type="application/json")


def test_prescriber_creates_reads_and_lists(client, api_as):
    http = api_as("prescriber")
    response = post(http, f"{BASE}/clients/{client.client_number}/prescriptions", body(client))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "active" and created["supervised_days"] == [0, 1, 2, 3, 4, 5, 6]
    read = http.get(f"{BASE}/prescriptions/{created['id']}").json()
    assert read["medicine_name"] == "Methadone 1mg/ml oral solution sugar free"
    listed = http.get(f"{BASE}/clients/{client.client_number}/prescriptions").json()
    assert [p["id"] for p in listed] == [created["id"]]
    instalments = http.get(f"{BASE}/prescriptions/{created['id']}/instalments").json()
    assert len(instalments) == 14


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dose": "-10"}, "dose"),
        ({"dose": "0"}, "dose"),
        ({"medicine": "diamorphine"}, "medicine"),
        ({"end_date": days_from_today(-5).isoformat()}, "end_date"),
        ({"end_date": days_from_today(30).isoformat()}, "end_date"),
        (
            {
                "medicine": BUVIDAL_WEEKLY_16,
                "dose": "16",
                "pattern": "weekly",
                "pharmacy_id": None,
                "home_delivery": True,
                "supervised_days": [],
            },
            "home_delivery",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field_and_saves_nothing(client, api_as, overrides, field):
    response = post(
        api_as("prescriber"),
        f"{BASE}/clients/{client.client_number}/prescriptions",
        body(client, **overrides),
    )
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not Prescription.objects.exists()
    assert not Instalment.objects.exists()


def test_overlap_is_422(client, api_as, users):
    prescribe(client=client, prescriber=users["prescriber"])
    response = post(
        api_as("prescriber"), f"{BASE}/clients/{client.client_number}/prescriptions", body(client)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"
    assert Prescription.objects.count() == 1


def test_large_increase_is_422_naming_reason_until_given(client, api_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    http = api_as("prescriber")
    data = {"dose": "50", "effective_date": days_from_today(1).isoformat()}
    path = f"{BASE}/prescriptions/{prescription.pk}/dose-changes"
    response = post(http, path, data)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    assert not DoseChange.objects.exists()
    response = post(http, path, {**data, "reason": "Reviewed in clinic"})
    assert response.status_code == 201
    assert response.json()["from_dose"] in ("30", "30.00", 30)


def test_outcomes_end_and_review(client, api_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    http = api_as("prescriber")
    instalments = list(prescription.instalments.order_by("date"))
    for instalment in instalments[:3]:
        response = post(http, f"{BASE}/instalments/{instalment.pk}/outcome", {"outcome": "missed"})
        assert response.status_code == 200
    response = post(
        http, f"{BASE}/instalments/{instalments[3].pk}/outcome", {"outcome": "collected"}
    )
    assert response.status_code == 422
    response = post(
        http,
        f"{BASE}/prescriptions/{prescription.pk}/reviews",
        {"decision": "end", "notes": "Not engaging"},
    )
    assert response.status_code == 201
    assert http.get(f"{BASE}/prescriptions/{prescription.pk}").json()["status"] == "ended"


def test_end_through_the_api(client, api_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    response = post(
        api_as("manager"),
        f"{BASE}/prescriptions/{prescription.pk}/end",
        {"ended_on": days_from_today(0).isoformat(), "end_reason": "Transferred"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "ended"


@pytest.mark.parametrize("role", ["keyworker", "nurse", "driver", "volunteer", "commissioner"])
def test_roles_that_may_not_write_are_refused(client, api_as, users, role):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    http = api_as(role)
    assert (
        post(http, f"{BASE}/clients/{client.client_number}/prescriptions", body(client)).status_code
        == 403
    )
    response = post(
        http,
        f"{BASE}/prescriptions/{prescription.pk}/dose-changes",
        {"dose": "35", "effective_date": days_from_today(1).isoformat()},
    )
    assert response.status_code == 403
    instalment = prescription.instalments.order_by("date").first()
    response = post(http, f"{BASE}/instalments/{instalment.pk}/outcome", {"outcome": "missed"})
    assert response.status_code == 403
    assert Prescription.objects.count() == 1 and not DoseChange.objects.exists()


def test_manager_may_not_record_the_missed_dose_review(client, api_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    response = post(
        api_as("manager"),
        f"{BASE}/prescriptions/{prescription.pk}/reviews",
        {"decision": "resume", "notes": "x"},
    )
    assert response.status_code == 403
