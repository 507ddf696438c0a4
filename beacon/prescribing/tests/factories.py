"""Test data for prescribing (synthetic only): pharmacies, and prescriptions made by the service.

    prescription = prescribe(client=client, prescriber=prescriber)   # methadone 30 mg daily
    prescribe(client=client, prescriber=prescriber, dose=Decimal(40), reason="Stable")

`prescribe` goes through prescription_create, so instalments exist as they would in use;
the client gets an open episode first if they have none.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.core.models import PartnerOrganisation
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.prescribing.medicines import medicine_get
from beacon.prescribing.services import (
    instalment_record_outcome,
    prescription_change_dose,
    prescription_create,
)
from beacon.treatment.selectors.journey import open_episode
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

METHADONE = "methadone-1mg-ml-oral-solution-sf"
BUPRENORPHINE_8 = "buprenorphine-8mg-sublingual-tablets"
BUVIDAL_WEEKLY_16 = "buvidal-16mg-weekly"
BUVIDAL_MONTHLY_64 = "buvidal-64mg-monthly"
# One 8 mg sublingual tablet a day: overrides of `prescription_data` for buprenorphine.
BUPRENORPHINE_8_MG = {"medicine": BUPRENORPHINE_8, "dose": Decimal(8)}
# One 16 mg injection a week: overrides of `prescription_data` for weekly Buvidal.
WEEKLY_BUVIDAL = {"medicine": BUVIDAL_WEEKLY_16, "dose": Decimal(16), "pattern": "weekly"}


TAKE_HOME_REASON = "Stable on this dose for a year with take-home doses at the last service"
TEST_DOSE_OBSERVATION = "Observed for an hour after 4 mg: no precipitated withdrawal"


def given_test_dose_at(start: datetime.date) -> datetime.datetime:
    day = start - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def pharmacy_for(provider) -> PartnerOrganisation:
    existing = provider.partner_organisations.filter(name="Test Pharmacy").first()
    return existing or PartnerOrganisationFactory(
        provider=provider, kind=PartnerOrganisation.Kind.PHARMACY, name="Test Pharmacy"
    )


def prescription_data(client, **overrides) -> dict:
    start = overrides.pop("start_date", days_from_today(-5))
    data = {
        "medicine": METHADONE,
        "dose": Decimal(30),
        "start_date": start,
        "end_date": start + datetime.timedelta(days=13),
        "pattern": "daily",
        "supervised_days": "0123456",
        "pharmacy": pharmacy_for(client.provider),
        "home_delivery": False,
        "reason": "",
        # Asked at a methadone start (H-40); ignored for any other prescription.
        "uses_alcohol_or_sedatives": False,
    }
    data.update(overrides)
    if medicine_get(data["medicine"]) and medicine_get(data["medicine"]).is_injection:
        # Someone new to buprenorphine has a test dose before a first injection (H-37).
        data.setdefault("test_dose_given_at", given_test_dose_at(data["start_date"]))
        data.setdefault("test_dose_observation", TEST_DOSE_OBSERVATION)
    return data


def create_prescription(client, prescriber, *, actor=None, **overrides):
    """prescription_create with `prescription_data`, as it stands: no episode is made."""
    return prescription_create(
        actor=actor or prescriber,
        client=client,
        data=prescription_data(client, prescriber=prescriber, **overrides),
    )


def date_fields(name: str, day: datetime.date) -> dict:
    """A date as the pages' day, month and year boxes send it."""
    return {f"{name}[day]": day.day, f"{name}[month]": day.month, f"{name}[year]": day.year}


def prescription_page_fields(client, *, start: datetime.date, **overrides) -> dict:
    """What the new-prescription page sends for methadone 30 mg daily for 14 days from
    `start`, supervised every day at the test pharmacy, "no" to alcohol or sedatives."""
    data = {
        "medicine": METHADONE,
        "dose": "30",
        **date_fields("start_date", start),
        **date_fields("end_date", start + datetime.timedelta(days=13)),
        "pattern": "daily",
        "supervised_days": [str(day) for day in range(7)],
        "pharmacy": pharmacy_for(client.provider).pk,
        "uses_alcohol_or_sedatives": "no",
        "reason": "",
    }
    data.update(overrides)
    return data


def prescription_api_fields(client, *, start: datetime.date, **overrides) -> dict:
    """The same prescription as a JSON body of the API."""
    data = {
        "medicine": METHADONE,
        "dose": "30",
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=13)).isoformat(),
        "pattern": "daily",
        "supervised_days": list(range(7)),
        "pharmacy_id": pharmacy_for(client.provider).pk,
        "uses_alcohol_or_sedatives": False,
    }
    data.update(overrides)
    return data


def prescribe(*, client, prescriber, actor=None, **overrides):
    if open_episode(client=client) is None:
        TreatmentEpisodeFactory(client=client)
    return create_prescription(client, prescriber, actor=actor, **overrides)


def change_dose(prescription, actor, dose: Decimal, effective_date: datetime.date, reason=""):
    """prescription_change_dose by `actor` to `dose` from `effective_date`."""
    return prescription_change_dose(
        actor=actor,
        prescription=prescription,
        data={"dose": dose, "effective_date": effective_date, "reason": reason},
    )


def collected_until_today(prescription, actor) -> None:
    """Every instalment before today recorded as collected: a client who has kept coming
    (past days left unrecorded would count as missed, H-50)."""
    today = days_from_today(0)
    for instalment in prescription.instalments.filter(date__lt=today, outcome="").order_by("date"):
        record_outcome(instalment, "collected", actor)


def record_outcome(instalment, outcome: str, actor, **data):
    """instalment_record_outcome by `actor`: `outcome`, and any other field in `data`."""
    return instalment_record_outcome(
        actor=actor, instalment=instalment, data={"outcome": outcome, **data}
    )


def outcome_refused(instalment, outcome: str, actor, **data) -> dict[str, list[str]]:
    """What recording `outcome` is refused with, field by field; `instalment` is then read
    again, to show what stayed."""
    with pytest.raises(ValidationError) as exc:
        record_outcome(instalment, outcome, actor, **data)
    instalment.refresh_from_db()
    return exc.value.message_dict
