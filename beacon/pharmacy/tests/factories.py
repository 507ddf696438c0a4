"""Test data of the pharmacy tests (synthetic only): a prescription dispensed at a
pharmacy, from today, and recording at the pharmacy.

    prescription = dispensed_at(pharmacy, client=client, prescriber=users["prescriber"])
"""

import datetime

from django.utils import timezone

from beacon.pharmacy.services import pharmacy_supply_record
from beacon.prescribing.tests.factories import prescribe


def dispensed_at(pharmacy, *, client, prescriber, start=None, days=14, **overrides):
    """Methadone 30 mg daily at `pharmacy` from `start` (today), supervised every day."""
    start = start or timezone.localdate()
    return prescribe(
        client=client,
        prescriber=prescriber,
        pharmacy=pharmacy,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        **overrides,
    )


def instalment_of(prescription, day: datetime.date | None = None):
    return prescription.instalments.get(date=day or timezone.localdate())


def record(pharmacist, instalment, supply: str, **data):
    return pharmacy_supply_record(
        actor=pharmacist, instalment=instalment, data={"supply": supply, **data}
    )
