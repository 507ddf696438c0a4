"""Times in the set-up API are local (UK) times: one with a UTC offset is refused with 422
naming the field, before anything is written (it was saved, then the answer failed)."""

import json

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.schemas import LOCAL_TIME_MESSAGE
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.delivery.models import ClientDeliveryDetails, DriverShift
from beacon.delivery.services import setup
from beacon.delivery.tests.factories import shift_body

pytestmark = pytest.mark.django_db

SHIFTS = "/api/v1/delivery/shifts"


@pytest.fixture
def vehicle(users, provider):
    return setup.vehicle_create(
        actor=users["manager"],
        provider=provider,
        data={
            "partner_organisation": PartnerOrganisationFactory(provider=provider),
            "registration": "ab12cde",
        },
    )


def send(api, method, path, body):
    return api.generic(method, path, json.dumps(body), content_type="application/json")


def test_a_shift_time_with_a_utc_offset_is_refused_and_nothing_saved(api_as, users, vehicle):
    body = shift_body(
        driver=users["driver"],
        vehicle_id=vehicle.pk,
        start_time="06:29:34.829+00:46",
        end_time="17:40",
    )
    response = send(api_as("manager"), "POST", SHIFTS, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "start_time", "message": LOCAL_TIME_MESSAGE}]
    assert not DriverShift.objects.exists()


def test_a_shift_in_local_times_is_saved_and_answered_as_local_times(api_as, users, vehicle):
    body = shift_body(driver=users["driver"], vehicle_id=vehicle.pk, end_time="13:30")
    response = send(api_as("manager"), "POST", SHIFTS, body)
    assert response.status_code == 201, response.content
    assert (response.json()["start_time"], response.json()["end_time"]) == ("09:00:00", "13:30:00")


def test_a_shift_in_year_0202_is_refused(api_as, users, vehicle):
    body = shift_body(driver=users["driver"], vehicle_id=vehicle.pk, date="0202-08-22")
    response = send(api_as("manager"), "POST", SHIFTS, body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["date"]
    assert api_as("manager").get(f"{SHIFTS}?date=9999-12-31").status_code == 422
    assert not DriverShift.objects.exists()


def test_usual_hours_with_a_utc_offset_are_refused(api_as, provider, team):
    client_record = ClientFactory(provider=provider, team=team)
    path = f"/api/v1/delivery/clients/{client_record.client_number}/delivery-details"
    body = {"address_line_1": "1 Test Street", "postcode": "LS1 4AP", "usually_in_from": "09:00Z"}
    response = send(api_as("manager"), "PUT", path, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "usually_in_from", "message": LOCAL_TIME_MESSAGE}
    ]
    assert not ClientDeliveryDetails.objects.exists()
