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
from beacon.delivery.models import PatientReturn, RegisterEntry

Quantity = Annotated[Decimal, Field(max_digits=10, decimal_places=2)]


class MovementIn(Input):
    kind: choice(RegisterEntry.Kind)
    quantity: Quantity
    occurred_at: DateTime = Field(
        description="When it happened; without a UTC offset it is read as UK time"
    )
    supplier: text(200) = Field("", description="Received: the supplier or pharmacy")
    supplier_address: text(300) = Field("", description="Received: the supplier's address")
    driver_id: int | None = Field(None, description="Handed to driver, delivered, returned")
    client_number: text(20) = Field("", description="Delivered: the client supplied")
    prescriber_id: int | None = Field(None, description="Delivered: the prescriber (a user)")
    recipient: choice(RegisterEntry.Recipient) | None = Field(
        None, description="Delivered: who collected"
    )
    representative_name: text(200) = ""
    professional_name: text(200) = Field("", description="Collected by a healthcare professional")
    professional_address: text(300) = ""
    identity_requested: StrictBool | None = Field(None, description="Delivered: ID asked for?")
    identity_provided: StrictBool | None = Field(None, description="Delivered: ID shown?")
    witness_id: int | None = Field(
        None, description="Destroyed: the witness, a user allowed to witness (not you)"
    )
    notes: text(2000) = ""


class CorrectionIn(Input):
    corrects_id: int
    adjustment: Quantity = Field(description="Signed change to the corrected entry's quantity")
    notes: text(2000, required=True) = Field(description="The reason for the correction")


class RegisterEntryOut(Schema):
    id: int
    site_id: int
    site: str
    medicine: str
    kind: choice(RegisterEntry.Kind)
    quantity: Decimal | None
    adjustment: Decimal | None
    unit: str
    balance_after: Decimal
    occurred_at: datetime.datetime
    supplier: str
    supplier_address: str
    driver_id: int | None
    client_number: str | None
    supplied_name: str
    supplied_address: str
    prescriber_id: int | None
    prescriber_name: str
    prescriber_address: str
    recipient: str
    representative_name: str
    professional_name: str
    professional_address: str
    identity_requested: bool | None
    identity_provided: bool | None
    witness_id: int | None
    witness: str
    corrects_id: int | None
    notes: str
    entered_by: str
    entered_at: datetime.datetime

    @staticmethod
    def resolve_site(entry: RegisterEntry) -> str:
        return entry.site.name

    @staticmethod
    def resolve_witness_id(entry: RegisterEntry) -> int | None:
        return entry.witnessed_by_id

    @staticmethod
    def resolve_client_number(entry: RegisterEntry) -> str | None:
        return entry.client.client_number if entry.client_id else None

    @staticmethod
    def resolve_entered_by(entry: RegisterEntry) -> str:
        return entry.entered_by.username


class BalanceOut(Schema):
    site_id: int
    medicine: str
    medicine_name: str
    unit: str
    balance: Decimal


class DriverDayOut(Schema):
    site_id: int
    site: str
    driver_id: int
    driver: str
    medicine: str
    unit: str
    handed: Decimal
    delivered: Decimal
    returned: Decimal
    difference: Decimal
    shift_ends_at: datetime.datetime | None = Field(
        description="When the driver's shift of the day ends; null without a shift"
    )
    is_still_out: bool = Field(
        description="Not all accounted for yet, but the driver's shift has not ended"
    )
    is_discrepancy: bool


class ReconciliationOut(Schema):
    date: datetime.date
    rows: list[DriverDayOut]
    discrepancies: int
    still_out: int


class PatientReturnIn(Input):
    medicine: str
    client_number: text(20, required=True)
    quantity: Quantity = Field(description="In the medicine's unit")
    returned_by: text(200, required=True) = Field(description="Who brought it in")
    occurred_at: DateTime = Field(
        description="When it was handed back; without a UTC offset it is read as UK time"
    )
    notes: text(2000) = ""


class PatientReturnDestroyIn(Input):
    witness_id: int = Field(description="The witness, a user allowed to witness (not you)")
    occurred_at: DateTime
    notes: text(2000) = ""


class PatientReturnOut(Schema):
    id: int
    site_id: int
    kind: choice(PatientReturn.Kind)
    medicine: str
    quantity: Decimal
    unit: str
    occurred_at: datetime.datetime
    client_number: str | None
    client_name: str
    returned_by: str
    destroys_id: int | None
    witness_id: int | None
    witness: str
    notes: str
    entered_by: str
    entered_at: datetime.datetime

    @staticmethod
    def resolve_client_number(item: PatientReturn) -> str | None:
        return item.client.client_number if item.client_id else None

    @staticmethod
    def resolve_witness_id(item: PatientReturn) -> int | None:
        return item.witnessed_by_id

    @staticmethod
    def resolve_entered_by(item: PatientReturn) -> str:
        return item.entered_by.username
