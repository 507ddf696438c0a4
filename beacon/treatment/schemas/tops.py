"""Shapes of the Treatment Outcomes Profile API (conventions: schemas/journey.py)."""

import datetime

from ninja import Field, Schema
from pydantic import StrictBool, conint

from beacon.core.schemas import Input, IsoDate
from beacon.treatment import codes
from beacon.treatment.codes import TopStage
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.schemas.journey import DaysIn28

# Treatment Outcomes Profile ---------------------------------------------------------------

Rating = conint(strict=True, ge=0, le=codes.TOP_RATING_MAX)


class TopIn(Input):
    """Days are in the past 28 (0 to 28); ratings run from 0 (poor) to 20 (good)."""

    episode_id: int | None = Field(
        None,
        description="The episode this TOP belongs to; defaults to the client's open episode. "
        "Send it for a post-exit TOP, after discharge.",
    )
    stage: TopStage
    completed_on: IsoDate
    alcohol_days: DaysIn28
    opiate_days: DaysIn28
    crack_days: DaysIn28
    cocaine_days: DaysIn28
    amphetamine_days: DaysIn28
    cannabis_days: DaysIn28
    other_drug_days: DaysIn28
    injecting_days: DaysIn28
    shared_equipment: StrictBool = False
    shop_theft_days: DaysIn28
    drug_selling_days: DaysIn28
    other_theft_days: DaysIn28
    assault_days: DaysIn28
    psychological_health: Rating
    physical_health: Rating
    quality_of_life: Rating
    acute_housing_problem: StrictBool = False
    at_risk_of_eviction: StrictBool = False
    paid_work_days: DaysIn28
    education_days: DaysIn28


class TopUpdateIn(Input):
    """Every field optional: only those sent are changed; none may be null."""

    stage: TopStage = None
    completed_on: IsoDate = None
    alcohol_days: DaysIn28 = None
    opiate_days: DaysIn28 = None
    crack_days: DaysIn28 = None
    cocaine_days: DaysIn28 = None
    amphetamine_days: DaysIn28 = None
    cannabis_days: DaysIn28 = None
    other_drug_days: DaysIn28 = None
    injecting_days: DaysIn28 = None
    shared_equipment: StrictBool = None
    shop_theft_days: DaysIn28 = None
    drug_selling_days: DaysIn28 = None
    other_theft_days: DaysIn28 = None
    assault_days: DaysIn28 = None
    psychological_health: Rating = None
    physical_health: Rating = None
    quality_of_life: Rating = None
    acute_housing_problem: StrictBool = None
    at_risk_of_eviction: StrictBool = None
    paid_work_days: DaysIn28 = None
    education_days: DaysIn28 = None


class TopOut(Schema):
    id: int
    episode_id: int
    stage: TopStage
    completed_on: datetime.date
    alcohol_days: int
    opiate_days: int
    crack_days: int
    cocaine_days: int
    amphetamine_days: int
    cannabis_days: int
    other_drug_days: int
    injecting_days: int
    shared_equipment: bool
    shop_theft_days: int
    drug_selling_days: int
    other_theft_days: int
    assault_days: int
    psychological_health: int
    physical_health: int
    quality_of_life: int
    acute_housing_problem: bool
    at_risk_of_eviction: bool
    paid_work_days: int
    education_days: int
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(top: TreatmentOutcomesProfile) -> str | None:
        return top.recorded_by.username if top.recorded_by_id else None
