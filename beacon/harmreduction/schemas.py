"""Shapes of the harm reduction API: what a caller sends, and gets back.

Shapes and choices are checked here; the rules (no future date, no negative count, a real
date of birth, something given or returned, a result not before its sample, dose
intervals) are the services', whose ValidationError core/api.py answers as a 422 naming
the field.
"""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictInt, conint

from beacon.clients.codes import Sex
from beacon.core.schemas import Input, IsoDate, choice, text
from beacon.harmreduction.codes import (
    HepatitisBOffer,
    HepatitisBSchedule,
    TestKind,
    TestOffer,
    TestResult,
    Virus,
)
from beacon.harmreduction.models import NspItem

Id = conint(strict=True, ge=1, le=2**31 - 1)


class AttributorIn(Input):
    initials: text(2, required=True) = Field(description="Initials of first and last name")
    date_of_birth: IsoDate
    sex: choice(Sex)


class NspTransactionIn(Input):
    date: IsoDate
    site_id: Id | None = Field(
        None, description="The site; by default the site of the caller's team"
    )
    attributor: AttributorIn | None = Field(
        None, description="Who, when the person is not a client (give this or client_number)"
    )
    client_number: text(20) | None = Field(
        None, description="The client, when the person is one: the attributor is derived"
    )
    items_out: dict[choice(NspItem), StrictInt] = Field(
        default_factory=dict,
        max_length=len(NspItem.values),
        description="How many of each item: " + ", ".join(NspItem.values),
    )
    bins_out: StrictInt = 0
    bins_returned: StrictInt = 0


class NspTransactionOut(Schema):
    id: int
    date: datetime.date
    site_id: int
    attributor: str
    client_number: str | None = Field(
        None, description="Only for a caller who may open the client's record"
    )
    items_out: dict[str, int]
    bins_out: int
    bins_returned: int


SmallCount = int | Literal["fewer than 5"]
SMALL_COUNT_NOTE = 'A count below 5 is "fewer than 5" unless the caller is a manager'


class NspFiguresOut(Schema):
    first: datetime.date
    last: datetime.date
    transactions: SmallCount = Field(description=SMALL_COUNT_NOTE)
    people: SmallCount = Field(description=SMALL_COUNT_NOTE)
    items_out: int
    return_rate: Decimal | None = Field(description="Bins returned ÷ bins out; null if none out")
    by_item: dict[str, int]
    linked_to_clients: SmallCount = Field(description=SMALL_COUNT_NOTE)


class NspYearOnYearOut(Schema):
    this_year: NspFiguresOut
    year_before: NspFiguresOut


class FiguresQuery(Schema):
    first: IsoDate | None = Field(None, description="First day; the month's first by default")
    last: IsoDate | None = Field(None, description="Last day; today by default")
    site_id: Id | None = None


class BbvTestIn(Input):
    virus: choice(Virus)
    offered_on: IsoDate
    offer: choice(TestOffer)
    kind: choice(TestKind) | None = None
    tested_on: IsoDate | None = None
    result: choice(TestResult) | None = None
    result_on: IsoDate | None = None


class BbvResultIn(Input):
    kind: choice(TestKind)
    tested_on: IsoDate
    result: choice(TestResult)
    result_on: IsoDate


class BbvTestOut(Schema):
    id: int
    virus: str
    offered_on: datetime.date
    offer: str
    kind: str
    tested_on: datetime.date | None
    result: str
    result_on: datetime.date | None


class HepatitisBCourseIn(Input):
    offered_on: IsoDate
    offer: choice(HepatitisBOffer)
    schedule: choice(HepatitisBSchedule) | None = None


class HepatitisBDoseIn(Input):
    given_on: IsoDate


class HepatitisBDoseOut(Schema):
    number: int
    given_on: datetime.date


class HepatitisBCourseOut(Schema):
    id: int
    offered_on: datetime.date
    offer: str
    schedule: str
    doses: list[HepatitisBDoseOut]
    completed: bool
    ndtms_hepbvac: str = Field(description="HEPBVAC: 1, 2, 3, C (completed) or empty")


class ClientBbvOut(Schema):
    client_number: str
    tests: list[BbvTestOut]
    hepatitis_b: list[HepatitisBCourseOut]
