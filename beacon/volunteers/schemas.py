"""Shapes of the volunteers API: a volunteer with their training and supervision, shifts,
contacts (what was given) and referrals. Names carry the app's prefix (unique in OpenAPI)."""

import datetime

from ninja import Schema
from pydantic import Field

from beacon.core.schemas import DateTime, Input, IsoDate, LocalTime, choice, text
from beacon.volunteers.models import Concern, ReferralOutcome, ReferralTo


class VolunteerTrainingOut(Schema):
    course: str
    completed_on: datetime.date
    refresh_by: datetime.date


class VolunteerSupervisionOut(Schema):
    """When supervision was and is next due; what was said (the wellbeing check, the
    notes) stays the supervisor's record, as on the pages."""

    held_on: datetime.date
    next_due_on: datetime.date


class VolunteerOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    started_on: datetime.date
    training: list[VolunteerTrainingOut]
    supervision: list[VolunteerSupervisionOut]


class VolunteerShiftOut(Schema):
    id: int
    on: datetime.date
    area: str
    starts_at: LocalTime
    ends_at: LocalTime
    ends_on: datetime.date = Field(
        description="The day the shift ends: the next day when it runs past midnight"
    )
    volunteer_ids: list[int]


class VolunteerCheckInOut(Schema):
    shift_id: int
    checked_in_at: datetime.datetime
    check_out_due_at: datetime.datetime
    checked_out_at: datetime.datetime | None


class VolunteerContactIn(Input):
    at: DateTime | None = None
    initials: text(2) = ""
    date_of_birth: IsoDate | None = None
    sex: text(1) = ""
    advice: list[str] = Field(default_factory=list, max_length=20)
    water: bool = False
    food: bool = False
    leaflet: bool = False
    naloxone: bool = False
    naloxone_trained: bool = False
    nsp_items: dict[str, int] = Field(default_factory=dict, max_length=20)
    concern: choice(Concern)
    concern_notes: text(1000) = ""
    referral_to: choice(ReferralTo) | None = None
    referral_notes: text(1000) = ""


class VolunteerContactOut(Schema):
    id: int
    shift_id: int
    at: datetime.datetime
    attributor: str
    advice: list[str]
    water: bool
    food: bool
    leaflet: bool
    naloxone_supply_id: int | None
    nsp_transaction_id: int | None
    concern: str
    referral_ids: list[int]


class VolunteerReferralOut(Schema):
    id: int
    contact_id: int
    to: str
    notes: str
    made_at: datetime.datetime
    picked_up_at: datetime.datetime | None
    outcome: str


class VolunteerReferralOutcomeIn(Input):
    outcome: choice(ReferralOutcome)
    outcome_notes: text(1000) = ""
