"""Shapes of the Treatment Outcomes Profile API (conventions: schemas/journey.py)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool, condecimal, conint, create_model

from beacon.core.schemas import Input, IsoDate, text
from beacon.treatment import codes
from beacon.treatment.codes import TopStage
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.models.tops import (
    CONDITIONAL_FIELDS,
    DISCLOSABLE_FIELDS,
    DRUG_AMOUNT_FIELDS,
    AmountUnit,
)
from beacon.treatment.schemas.journey import AlcoholUnits, DaysIn28
from beacon.treatment.selectors.tops import top_flags

# Treatment Outcomes Profile ---------------------------------------------------------------

Rating = conint(strict=True, ge=0, le=codes.TOP_RATING_MAX)
Amount = condecimal(ge=Decimal(0), max_digits=7, decimal_places=2)
TopItem = Literal[tuple(DISCLOSABLE_FIELDS)]  # type: ignore[valid-type]

NOT_DISCLOSED_DOC = (
    "Names of the answers the client did not disclose; each is sent as null. An answer "
    "that is null and not listed here is refused (422): nothing is read as 0 or no."
)
DAYS_DOC = "Days in the past 28 (0 to 28), or null when listed in not_disclosed"
RATING_DOC = "0 (poor) to 20 (good), or null when listed in not_disclosed"
FLAG_DOC = "true, false, or null when listed in not_disclosed"
AMOUNT_DOC = (
    "Average amount on a using day, with its unit (grams or pounds); only when the "
    "substance's days are 1 or more, else null"
)
UNITS_DOC = "Alcohol: average units on a drinking day (0 to 200); only when drinking days > 0"
OTHER_NAME_DOC = "Name of the other problem substance: needed when its days are 1 or more"
ANSWERS = {
    "alcohol_days": (DaysIn28, DAYS_DOC),
    "alcohol_units": (AlcoholUnits, UNITS_DOC),
    "opiate_days": (DaysIn28, DAYS_DOC),
    "opiate_amount": (Amount, AMOUNT_DOC),
    "opiate_amount_unit": (AmountUnit, "Unit of opiate_amount"),
    "crack_days": (DaysIn28, DAYS_DOC),
    "crack_amount": (Amount, AMOUNT_DOC),
    "crack_amount_unit": (AmountUnit, "Unit of crack_amount"),
    "cocaine_days": (DaysIn28, DAYS_DOC),
    "cocaine_amount": (Amount, AMOUNT_DOC),
    "cocaine_amount_unit": (AmountUnit, "Unit of cocaine_amount"),
    "amphetamine_days": (DaysIn28, DAYS_DOC),
    "amphetamine_amount": (Amount, AMOUNT_DOC),
    "amphetamine_amount_unit": (AmountUnit, "Unit of amphetamine_amount"),
    "cannabis_days": (DaysIn28, DAYS_DOC),
    "cannabis_amount": (Amount, AMOUNT_DOC),
    "cannabis_amount_unit": (AmountUnit, "Unit of cannabis_amount"),
    "other_drug_days": (DaysIn28, DAYS_DOC),
    "other_drug_name": (text(100), OTHER_NAME_DOC),
    "other_drug_amount": (Amount, AMOUNT_DOC),
    "other_drug_amount_unit": (AmountUnit, "Unit of other_drug_amount"),
    "tobacco_days": (DaysIn28, DAYS_DOC),
    "injecting_days": (DaysIn28, DAYS_DOC),
    "shared_equipment": (StrictBool, FLAG_DOC),
    "shop_theft_days": (DaysIn28, DAYS_DOC),
    "drug_selling_days": (DaysIn28, DAYS_DOC),
    "other_theft_days": (DaysIn28, DAYS_DOC),
    "assault_days": (DaysIn28, DAYS_DOC),
    "psychological_health": (Rating, RATING_DOC),
    "physical_health": (Rating, RATING_DOC),
    "quality_of_life": (Rating, RATING_DOC),
    "acute_housing_problem": (StrictBool, FLAG_DOC),
    "at_risk_of_eviction": (StrictBool, FLAG_DOC),
    "paid_work_days": (DaysIn28, DAYS_DOC),
    "education_days": (DaysIn28, DAYS_DOC),
}
# Asked only when another answer calls for them: they may be left out.
CONDITIONAL = {*CONDITIONAL_FIELDS, *(f"{name}_unit" for name in DRUG_AMOUNT_FIELDS)}


def _answer_fields(*, required: bool) -> dict:
    fields = {}
    for name, (kind, doc) in ANSWERS.items():
        optional = not required or name in CONDITIONAL
        fields[name] = (kind | None, Field(None if optional else ..., description=doc))
    return fields


class _TopIn(Input):
    """Every answer must be sent: a value, or null with its name in `not_disclosed`.
    Days are in the past 28 (0 to 28); ratings run from 0 (poor) to 20 (good)."""

    episode_id: int | None = Field(
        None,
        description="The episode this TOP belongs to; defaults to the client's open episode. "
        "Send it for a post-exit TOP, after discharge.",
    )
    stage: TopStage
    completed_on: IsoDate
    not_disclosed: list[TopItem] = Field(default_factory=list, description=NOT_DISCLOSED_DOC)


class _TopUpdateIn(Input):
    """Every field optional: only those sent are changed. A value sent for an answer marked
    not disclosed clears the mark; null is allowed only with the name in `not_disclosed`."""

    stage: TopStage = None
    completed_on: IsoDate = None
    not_disclosed: list[TopItem] | None = Field(None, description=NOT_DISCLOSED_DOC)


class _TopOut(Schema):
    """Answers are null when not disclosed (listed in `not_disclosed`) or, on TOPs recorded
    before an item existed, never asked."""

    id: int
    episode_id: int
    stage: TopStage
    completed_on: datetime.date
    not_disclosed: list[str]
    flags: list[str] = Field(
        description="Start TOP outside its window; review TOP with no start TOP"
    )
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(top: TreatmentOutcomesProfile) -> str | None:
        return top.recorded_by.username if top.recorded_by_id else None

    @staticmethod
    def resolve_flags(top: TreatmentOutcomesProfile) -> list[str]:
        return top_flags(top)


TopIn = create_model(
    "TopIn", __base__=_TopIn, __doc__=_TopIn.__doc__, **_answer_fields(required=True)
)
TopUpdateIn = create_model(
    "TopUpdateIn",
    __base__=_TopUpdateIn,
    __doc__=_TopUpdateIn.__doc__,
    **_answer_fields(required=False),
)
TopOut = create_model(
    "TopOut",
    __base__=_TopOut,
    __doc__=_TopOut.__doc__,
    **{
        name: ((str if name.endswith("_unit") else kind) | None, None)
        for name, (kind, _) in ANSWERS.items()
    },
)
