"""Shapes of the pharmacy API: the due list a pharmacy's own system reads, and what it
sends to record an instalment or message the prescriber. Only what the pages show a
pharmacist: no diagnosis, no notes, no other client."""

import datetime
from decimal import Decimal

from ninja import Schema

from beacon.core.schemas import Input, choice, text
from beacon.pharmacy.models import RefusalReason, Supply


class DueOut(Schema):
    id: int
    date: datetime.date
    covers_days: int
    client_name: str
    date_of_birth: datetime.date
    medicine: str
    form: str
    strength: str
    quantity: Decimal
    quantity_unit: str
    amount: str
    supervised: bool
    instalment_wording: list[str]
    do_not_supply: bool
    status: str


class DueListOut(Schema):
    pharmacy: str
    identity_prompt: str
    instalments: list[DueOut]


class PharmacySupplyIn(Input):
    supply: choice(Supply)
    representative_name: text(200) = ""
    refusal_reason: choice(RefusalReason) | None = None
    notes: text(1000) = ""
    # The amount the system read before supplying: refused if the dose changed since.
    quantity_shown: Decimal | None = None


class PharmacySupplyOut(Schema):
    id: int
    instalment_id: int
    supply: str
    outcome: str
    prescription_suspended: bool


class MessageIn(Input):
    text: text(1000, required=True)


class MessageOut(Schema):
    id: int
    instalment_id: int
