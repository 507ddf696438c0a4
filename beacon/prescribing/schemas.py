"""Shapes of the prescribing API: what a caller sends, and gets back.

Sizes are the models'; the clinical rules (known medicine, dose above 0, dates, 14 days,
no Buvidal take-home, overlap, reasons for large increases) stay in safety.py, run by the
services the pages share, whose ValidationError core/api.py answers as a 422 naming the
field.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AwareDatetime, Field, StrictBool, conint

from beacon.core.presenters import quantity_text
from beacon.core.schemas import Input, IsoDate, choice, text
from beacon.prescribing.models import DoseChange, Instalment, MissedDoseReview, Prescription
from beacon.prescribing.presenters import first_week_extra_doses
from beacon.prescribing.services import CONTINUE_MOST_DAYS
from beacon.prescribing.wording import ApprovedWording

Dose = Annotated[Decimal, Field(max_digits=7, decimal_places=2)]
Weekday = conint(strict=True, ge=0, le=6)


class PrescriptionIn(Input):
    medicine: text(60, required=True)
    dose: Dose
    start_date: IsoDate
    end_date: IsoDate
    pattern: choice(Prescription.Pattern)
    supervised_days: list[Weekday] = Field(
        default_factory=list, description="Weekdays of supervised consumption, Monday 0"
    )
    pharmacy_id: int | None = None
    home_delivery: StrictBool = False
    prescriber_id: int | None = Field(None, description="Needed when a manager writes it")
    reason: text(2000) = Field("", description="Needed when the dose is above usual limits")
    wording: list[ApprovedWording] | None = Field(
        None,
        description="Home Office approved instalment wording to print (codes); "
        "missed_collection and consult_after_3_days when left out",
    )

    uses_alcohol_or_sedatives: StrictBool | None = Field(
        None,
        description="Required at a methadone start (no methadone the day before): does the "
        "client also use alcohol or sedatives (for example benzodiazepines or "
        "gabapentinoids)? Never assumed; ignored for any other prescription",
    )
    cross_titration_until: IsoDate | None = Field(
        None,
        description="Required when the prescription overlaps the client's current "
        "prescription of the other OST substance (methadone and buprenorphine): the last day "
        "of the overlap. A reason is needed too",
    )
    test_dose_given_at: AwareDatetime | None = Field(
        None,
        description="Before a first prolonged-release buprenorphine injection for someone new "
        "to buprenorphine: when the sublingual test dose was given (ISO 8601 with offset)",
    )
    test_dose_observation: text(2000) = Field(
        "", description="With the test dose: what the hour's observation found"
    )
    first_week_extra_dates: list[IsoDate] = Field(
        default_factory=list,
        max_length=7,
        description="Weekly Buvidal 16 mg only: up to two extra 8 mg doses within its first "
        "week, at least a day apart",
    )


class ContinueIn(Input):
    days: conint(strict=True, ge=1, le=CONTINUE_MOST_DAYS) | None = Field(
        None, description="Length of the next prescription; the same as this one when left out"
    )
    reason: text(2000) = ""


class DoseChangeIn(Input):
    dose: Dose
    effective_date: IsoDate
    reason: text(2000) = ""


class EndIn(Input):
    ended_on: IsoDate
    end_reason: text(2000, required=True)


class OutcomeIn(Input):
    outcome: choice(Instalment.Outcome)
    outcome_notes: text(1000) = ""
    collected_on: IsoDate | None = Field(
        None,
        description="The day a multi-day instalment was collected, when after its day "
        "(needs the remaining-days wording); only the remaining days are supplied",
    )


class MissedDoseReviewIn(Input):
    decision: choice(MissedDoseReview.Decision)
    notes: text(2000, required=True)
    resume_dose: Dose | None = Field(None, description="Needed to resume: the dose to resume at")
    reason: text(2000) = Field("", description="Needed when the dose is above usual limits")


class DoseChangeOut(Schema):
    id: int
    from_dose: Decimal
    to_dose: Decimal
    effective_date: datetime.date
    reason: str
    overridden_warnings: str
    changed_by: str

    @staticmethod
    def resolve_changed_by(change: DoseChange) -> str:
        return change.changed_by.username


class PrescriptionOut(Schema):
    id: int
    client_number: str
    medicine: str
    medicine_name: str
    dose: Decimal
    dose_unit: str
    dose_text: str = Field(description='The dose as written, e.g. "400 mg a day"')
    start_date: datetime.date
    end_date: datetime.date
    pattern: choice(Prescription.Pattern)
    supervised_days: list[int]
    pharmacy_id: int | None
    home_delivery: bool
    wording_missed_collection_remaining_days: bool
    prescriber: str
    status: choice(Prescription.Status) = Field(
        description="The stored decision (ended, suspended)"
    )
    state: choice(Prescription.State) = Field(
        description="What the prescription is today, from its dates"
    )
    last_day: datetime.date
    instalment_wording: str
    reason: str
    overridden_warnings: str
    ended_on: datetime.date | None
    end_reason: str
    cross_titration_until: datetime.date | None
    uses_alcohol_or_sedatives: bool | None = Field(
        description="The answer at a methadone start; null where it was not asked"
    )
    test_dose_given_at: datetime.datetime | None
    test_dose_observation: str
    first_week_extra_dates: list[datetime.date] = Field(
        description="Weekly Buvidal 16 mg: the days of the first week's extra 8 mg doses"
    )
    dose_changes: list[DoseChangeOut]

    @staticmethod
    def resolve_state(prescription: Prescription) -> str:
        return prescription.state_on(timezone.localdate())

    @staticmethod
    def resolve_client_number(prescription: Prescription) -> str:
        return prescription.client.client_number

    @staticmethod
    def resolve_supervised_days(prescription: Prescription) -> list[int]:
        return [int(day) for day in prescription.supervised_days]

    @staticmethod
    def resolve_prescriber(prescription: Prescription) -> str:
        return prescription.prescriber.username

    @staticmethod
    def resolve_first_week_extra_dates(prescription: Prescription) -> list[datetime.date]:
        extras = first_week_extra_doses(prescription, prescription.instalments.all())
        return [instalment.date for instalment in extras]

    @staticmethod
    def resolve_dose_changes(prescription: Prescription) -> list[DoseChange]:
        return list(prescription.dose_changes.all())


class InstalmentOut(Schema):
    id: int
    prescription_id: int
    date: datetime.date
    covers_days: int
    quantity: Decimal
    quantity_unit: str
    quantity_text: str = Field(description='The amount as written, e.g. "70 mg"')
    supervised: bool
    outcome: choice(Instalment.Outcome)
    outcome_notes: str
    days_missed: int
    not_delivered_by_service: str

    @staticmethod
    def resolve_quantity_text(instalment: Instalment) -> str:
        return quantity_text(instalment.quantity, instalment.quantity_unit)


class MissedDoseReviewOut(Schema):
    id: int
    prescription_id: int
    decision: choice(MissedDoseReview.Decision)
    resume_dose: Decimal | None
    notes: str
    covers_up_to: datetime.date
    reviewed_by: str

    @staticmethod
    def resolve_reviewed_by(review: MissedDoseReview) -> str:
        return review.reviewed_by.username
