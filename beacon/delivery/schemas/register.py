"""Shapes of the controlled-drug register API: what a caller sends, and gets back.

The register rules (balance never negative, drivers of the service, reg 19 headings,
corrections of the same page) stay in services/register.py, whose ValidationError
core/api.py answers as a 422 naming the field.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, StrictBool

from beacon.core.schemas import DateTime, Input, choice, text
from beacon.delivery.models import RegisterEntry

Quantity = Annotated[Decimal, Field(max_digits=10, decimal_places=2)]


class MovementIn(Input):
    kind: choice(RegisterEntry.Kind)
    quantity: Quantity
    occurred_at: DateTime = Field(
        description="When it happened; without a UTC offset it is read as UK time"
    )
    supplier: text(200) = Field("", description="Received: the supplier or pharmacy")
    driver_id: int | None = Field(None, description="Handed to driver, delivered, returned")
    client_number: text(20) = Field("", description="Delivered: the client")
    recipient: choice(RegisterEntry.Recipient) | None = Field(
        None, description="Delivered: who received"
    )
    representative_name: text(200) = ""
    identity_requested: StrictBool | None = Field(None, description="Delivered: ID asked for?")
    identity_provided: StrictBool | None = Field(None, description="Delivered: ID shown?")
    witness: text(200) = Field("", description="Destroyed: the witness")
    notes: text(2000) = ""


class CorrectionIn(Input):
    corrects_id: int
    adjustment: Quantity = Field(description="Signed change to the corrected entry's quantity")
    notes: text(2000, required=True) = Field(description="The reason for the correction")


class RegisterEntryOut(Schema):
    id: int
    medicine: str
    kind: choice(RegisterEntry.Kind)
    quantity: Decimal | None
    adjustment: Decimal | None
    unit: str
    balance_after: Decimal
    occurred_at: datetime.datetime
    supplier: str
    driver_id: int | None
    client_number: str | None
    recipient: str
    representative_name: str
    identity_requested: bool | None
    identity_provided: bool | None
    witness: str
    corrects_id: int | None
    notes: str
    entered_by: str
    entered_at: datetime.datetime

    @staticmethod
    def resolve_client_number(entry: RegisterEntry) -> str | None:
        return entry.client.client_number if entry.client_id else None

    @staticmethod
    def resolve_entered_by(entry: RegisterEntry) -> str:
        return entry.entered_by.username


class BalanceOut(Schema):
    medicine: str
    medicine_name: str
    unit: str
    balance: Decimal


class DriverDayOut(Schema):
    driver_id: int
    driver: str
    medicine: str
    unit: str
    handed: Decimal
    delivered: Decimal
    returned: Decimal
    difference: Decimal
    is_discrepancy: bool


class ReconciliationOut(Schema):
    date: datetime.date
    rows: list[DriverDayOut]
    discrepancies: int
