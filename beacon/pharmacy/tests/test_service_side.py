"""The service may not change the dose or end a prescription over an instalment the
pharmacy already supplied or recorded (issue 14: an instalment already supplied can no
longer be changed); both refusals name the date field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.pharmacy.models import Supply
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of, record
from beacon.prescribing.services import prescription_end
from beacon.prescribing.tests.factories import change_dose

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplied_today(pharmacy, pharmacist, client_in_treatment, users):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    record(pharmacist, instalment_of(prescription), Supply.SUPERVISED)
    return prescription


def test_a_dose_change_over_an_instalment_supplied_at_the_pharmacy_is_refused(
    supplied_today, users
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        change_dose(supplied_today, users["prescriber"], Decimal(40), today, reason="Cravings")
    assert refused.value.message_dict == {
        "effective_date": ["Instalments from this date are already supplied or missed"]
    }
    assert instalment_of(supplied_today).quantity == Decimal(30)
    # From tomorrow, nothing recorded yet: the change is made and reaches the pharmacy.
    change_dose(
        supplied_today,
        users["prescriber"],
        Decimal(40),
        today + datetime.timedelta(days=1),
        reason="Cravings",
    )
    tomorrow = instalment_of(supplied_today, today + datetime.timedelta(days=1))
    assert tomorrow.quantity == Decimal(40)


def test_ending_a_prescription_before_an_instalment_the_pharmacy_recorded_is_refused(
    supplied_today, users
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        prescription_end(
            actor=users["prescriber"],
            prescription=supplied_today,
            data={"ended_on": today - datetime.timedelta(days=1), "end_reason": "Moved away"},
        )
    assert refused.value.message_dict == {
        "ended_on": ["Instalments after this day are already recorded"]
    }
    supplied_today.refresh_from_db()
    assert supplied_today.status != "ended"
