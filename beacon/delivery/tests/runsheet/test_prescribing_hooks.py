"""Delivery's answers to prescribing's questions (beacon/prescribing/hooks.py): which
instalments are out with a driver, which must be kept when a prescription ends early, and
who is told when a dose changes over today's parcel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from beacon.core.models import Alert
from beacon.delivery.selectors.runsheet import instalments_out_for_supply, instalments_to_keep
from beacon.delivery.services import runsheet
from beacon.delivery.services.runsheet import prescription_dose_changed_today
from beacon.delivery.tests.factories import round_today
from beacon.prescribing import hooks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


def pending(stop):
    return stop.instalment.prescription.instalments.filter(outcome="")


def handed_over_round(users, provider, team, make_user):
    """A second driver's round of today, its parcel handed over and confirmed."""
    driver = make_user("driver", username="driver-hooks")
    return round_today(users=users, provider=provider, team=team, driver=driver, handed_over=True)


def test_delivery_answers_every_prescribing_hook():
    assert instalments_out_for_supply in hooks.instalments_out_for_supply
    assert instalments_to_keep in hooks.instalments_to_keep
    assert prescription_dose_changed_today in hooks.dose_changed_today


def test_a_parcel_is_out_for_supply_from_hand_over_until_it_comes_back(
    users, provider, team, make_user
):
    cabinet = round_today(users=users, provider=provider, team=team)[0]
    assert list(instalments_out_for_supply(pending(cabinet))) == []
    [stop] = handed_over_round(users, provider, team, make_user)
    assert list(instalments_out_for_supply(pending(stop))) == [stop.instalment]
    held = runsheet.stop_hold_back(
        actor=users["manager"], stop=stop, data={"reason": "Client in hospital"}
    )
    # Held back with the driver (its dose now recorded as missed, so no longer pending):
    # still out until it is back in the cabinet.
    every = held.instalment.prescription.instalments.all()
    assert list(instalments_out_for_supply(every)) == [stop.instalment]
    runsheet.stop_returned(actor=users["manager"], stop=held)
    assert list(instalments_out_for_supply(every)) == []


def test_only_handed_over_instalments_are_kept_when_a_prescription_ends(
    users, provider, team, make_user
):
    cabinet = round_today(users=users, provider=provider, team=team)[0]
    assert list(instalments_to_keep(pending(cabinet))) == []
    [stop] = handed_over_round(users, provider, team, make_user)
    everything = stop.instalment.prescription.instalments.all()
    assert list(instalments_to_keep(everything)) == [stop.instalment]


def test_a_dose_change_today_alerts_the_coordinator_with_a_link_to_the_day(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]  # still in the cabinet
    prescription = stop.instalment.prescription
    prescription_dose_changed_today(prescription=prescription, dose=Decimal(35), on=stop.date)
    alert = Alert.objects.get(kind=Alert.Kind.PARCEL_CHANGED)
    assert alert.recipient == users["manager"]
    assert alert.title == f"Parcel {stop.parcel_number}: the dose changed today"
    assert "35 mg" in alert.message
    assert alert.link == reverse("delivery:day", kwargs={"day": stop.date.isoformat()})
    assert alert.client == prescription.client


def test_a_later_dose_change_or_a_parcel_with_the_driver_alerts_nobody(
    users, provider, team, make_user
):
    stop = round_today(users=users, provider=provider, team=team)[0]
    tomorrow = stop.date + datetime.timedelta(days=1)
    prescription_dose_changed_today(
        prescription=stop.instalment.prescription, dose=Decimal(40), on=tomorrow
    )
    [out] = handed_over_round(users, provider, team, make_user)
    prescription_dose_changed_today(
        prescription=out.instalment.prescription, dose=Decimal(40), on=out.date
    )
    assert not Alert.objects.filter(kind=Alert.Kind.PARCEL_CHANGED).exists()
