"""A dose the service failed to deliver (a coordinator's recall, a stop left unassigned)
is the service's failure, not the client's miss (issue #8; hazard log H-53 and H-54)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beacon.core.models import Alert
from beacon.delivery.models import DeliveryStop
from beacon.delivery.services import planning, runsheet, setup
from beacon.delivery.tests.factories import round_today
from beacon.prescribing import safety
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.presenters import instalment_outcome_cell
from beacon.prescribing.services import instalment_record_outcome

pytestmark = pytest.mark.django_db


def _miss_the_two_days_before(stop, users):
    for instalment in stop.instalment.prescription.instalments.filter(date__lt=stop.date):
        instalment_record_outcome(
            actor=users["prescriber"], instalment=instalment, data={"outcome": "missed"}
        )


def test_a_recalled_parcel_is_the_services_failure_and_alerts_keyworker_and_prescriber(
    users, provider, team
):
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    _miss_the_two_days_before(stop, users)
    runsheet.stop_hold_back(actor=users["manager"], stop=stop, data={"reason": "Driver off sick"})
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert instalment.outcome == ""
    assert "Driver off sick" in instalment.not_delivered_by_service
    prescription = instalment.prescription
    prescription.refresh_from_db()
    # Two missed days of the client's, then the service's failure: still two, not three.
    assert prescription.status == Prescription.Status.ACTIVE
    tomorrow = stop.date + datetime.timedelta(days=1)
    assert safety.consecutive_missed_days(prescription, on=tomorrow) == 2
    for role in ("keyworker", "prescriber"):
        alert = Alert.objects.get(recipient=users[role])
        assert alert.kind == Alert.Kind.NOT_DELIVERED_BY_SERVICE
        assert alert.created_at.date() == stop.date
        assert "not the client's missed dose" in alert.message
        assert "collected today at the base or a pharmacy" in alert.message


def test_a_dose_the_service_did_not_deliver_can_be_collected_that_day(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]
    runsheet.stop_hold_back(actor=users["manager"], stop=stop, data={"reason": "Van broke down"})
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    with pytest.raises(ValidationError) as exc:
        instalment_record_outcome(
            actor=users["manager"], instalment=instalment, data={"outcome": "delivered"}
        )
    assert "record it as collected" in exc.value.message_dict["outcome"][0]
    instalment_record_outcome(
        actor=users["manager"],
        instalment=instalment,
        data={"outcome": "collected", "outcome_notes": "Collected at the base"},
    )
    instalment.refresh_from_db()
    assert instalment.outcome == "collected"
    cell = instalment_outcome_cell(
        instalment, prescription=instalment.prescription, may_write=True, today=stop.date
    )
    assert "after the service did not deliver it" in cell["text"]


def test_a_delivered_dose_is_not_collected_as_well(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]
    with pytest.raises(ValidationError) as exc:
        instalment_record_outcome(
            actor=users["manager"], instalment=stop.instalment, data={"outcome": "collected"}
        )
    assert "delivered home" in exc.value.message_dict["outcome"][0]


def test_a_hold_back_for_the_clients_reason_stays_the_clients_miss(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]
    runsheet.stop_hold_back(
        actor=users["manager"],
        stop=stop,
        data={"reason": "In hospital", "missed_by_client": True},
    )
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert instalment.outcome == "missed" and instalment.not_delivered_by_service == ""


def test_a_client_not_in_stays_the_clients_miss(users, provider, team, mid_morning):
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert instalment.outcome == "missed" and instalment.not_delivered_by_service == ""


def test_an_unassigned_stop_alerts_the_keyworker_and_prescriber_when_the_day_is_planned(
    users, provider, team
):
    stop = round_today(users=users, provider=provider, team=team)[0]
    DeliveryStop.objects.all().delete()
    stop.client.delivery_details.delete()  # nothing to deliver to
    planning.delivery_day_plan(actor=users["manager"], date=stop.date, seconds=0.2, iterations=50)
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert "no delivery details" in instalment.not_delivered_by_service
    assert instalment.outcome == ""
    for role in ("keyworker", "prescriber"):
        alert = Alert.objects.get(recipient=users[role])
        assert alert.kind == Alert.Kind.NOT_DELIVERED_BY_SERVICE
        assert "no delivery details" in alert.message
    # Planned again, the same reason: nobody is told twice.
    planning.delivery_day_plan(actor=users["manager"], date=stop.date, seconds=0.2, iterations=50)
    assert Alert.objects.filter(recipient=users["prescriber"]).count() == 1
    # Details recorded and planned again: on a round, no longer a failure.
    setup.delivery_details_save(
        actor=users["manager"],
        client=stop.client,
        data={
            "address_line_1": "1 Example Row",
            "postcode": "LS1 4AP",
            "latitude": Decimal("53.80"),
            "longitude": Decimal("-1.55"),
        },
    )
    planning.delivery_day_plan(actor=users["manager"], date=stop.date, seconds=0.2, iterations=50)
    instalment.refresh_from_db()
    assert instalment.not_delivered_by_service == ""
