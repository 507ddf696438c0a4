"""Shapes of the naloxone API: what a caller sends, and gets back.

Sizes and choices are checked here; the rules (expiry on receipt, stock, dates, training)
are the services', whose ValidationError core/api.py answers as a 422 naming the field.
Figures carry counts only, never a person.
"""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, conint

from beacon.core.schemas import Input, IsoDate, choice, text
from beacon.naloxone.models import (
    DeclineReason,
    KitType,
    OfferOutcome,
    PackItem,
    Recipient,
    ReportKind,
    TrainingTopic,
    UsedOn,
    UseOutcome,
)

Id = conint(strict=True, ge=1, le=2**31 - 1)


class StockReceiptIn(Input):
    date: IsoDate
    kit_type: choice(KitType)
    batch: text(40, required=True)
    expiry: IsoDate
    quantity: conint(strict=True, ge=1, le=100000)
    site_id: Id
    pack_contents: list[choice(PackItem)] = Field(default_factory=list, max_length=10)


class KitBatchOut(Schema):
    """Reads a kit's `kit_type`, `batch` and `expiry` from its batch, for the answers that
    name those fields (each declares them, in its own order)."""

    @staticmethod
    def resolve_kit_type(obj) -> str:
        return obj.batch.kit_type

    @staticmethod
    def resolve_batch(obj) -> str:
        return obj.batch.batch_number

    @staticmethod
    def resolve_expiry(obj) -> datetime.date:
        return obj.batch.expires_on


class StockEntryOut(KitBatchOut):
    id: int
    site_id: int
    kit_type: str
    batch: str
    expiry: datetime.date
    kind: str
    change: int
    balance_after: int


class TrainingIn(Input):
    trained_by_id: Id | None = Field(None, description="Who trained them; the caller by default")
    topics: list[choice(TrainingTopic)] = Field(..., max_length=10)


class OfferIn(Input):
    date: IsoDate
    outcome: choice(OfferOutcome)
    decline_reason: choice(DeclineReason) | None = None
    # "holds_kit" is a kit seen: only in person (true), with its printed expiry when read.
    in_person: bool | None = None
    seen_kit_expiry: IsoDate | None = None
    # "supplied" is the kit given to the client there and then: which kit, and the training.
    kit_type: choice(KitType) | None = Field(None, description='With "supplied": the kit given')
    batch: text(40) | None = Field(None, description='With "supplied": its batch number')
    site_id: Id | None = Field(
        None, description="Where the kit came from; the only site with the batch by default"
    )
    training: TrainingIn | None = Field(None, description='With "supplied": the training')


class OfferOut(Schema):
    id: int
    client_number: str
    date: datetime.date
    moment: str
    outcome: str
    decline_reason: str
    seen_kit_expiry: datetime.date | None
    supply_id: int | None

    @staticmethod
    def resolve_seen_kit_expiry(obj) -> datetime.date | None:
        return obj.seen_kit_expires_on

    @staticmethod
    def resolve_client_number(obj) -> str:
        return obj.client.client_number

    @staticmethod
    def resolve_date(obj) -> datetime.date:
        return obj.on


class SupplyIn(Input):
    date: IsoDate
    kit_type: choice(KitType)
    batch: text(40, required=True)
    site_id: Id | None = Field(
        None, description="Where the kit came from; the only site with the batch by default"
    )
    client_number: text(20) | None = Field(
        None, description="The client, or the client a friend or family member is linked to"
    )
    recipient: choice(Recipient)
    recipient_name: text(200) = ""
    training: TrainingIn


class NaloxoneKitSupplyOut(KitBatchOut):
    """What every answer about a supply says of the kit (no schema of its own)."""

    id: int
    date: datetime.date
    kit_type: str
    batch: str
    expiry: datetime.date
    recipient: str

    @staticmethod
    def resolve_date(obj) -> datetime.date:
        return obj.supplied_on


class SupplyOut(NaloxoneKitSupplyOut):
    site_id: int
    client_number: str | None

    @staticmethod
    def resolve_client_number(obj) -> str | None:
        return obj.client.client_number if obj.client_id else None


class ReportIn(Input):
    date: IsoDate
    kind: choice(ReportKind)
    used_on: choice(UsedOn) | None = None
    outcome: choice(UseOutcome) | None = None
    ambulance_called: bool | None = None


class ReportOut(Schema):
    id: int
    supply_id: int
    date: datetime.date
    kind: str
    used_on: str
    outcome: str
    ambulance_called: bool | None

    @staticmethod
    def resolve_date(obj) -> datetime.date:
        return obj.on


# For a commissioner a count from 1 to 4 is "fewer than 5", and a count or percentage that
# would give one away "not shown" (H-146).
SmallCount = int | Literal["fewer than 5", "not shown"]
SMALL_NOTE = (
    'A count from 1 to 4 is "fewer than 5" (one giving it away "not shown"), but to a manager'
)


class CoverageRowOut(Schema):
    label: str
    holding: SmallCount = Field(description=SMALL_NOTE)
    total: SmallCount = Field(description=SMALL_NOTE)
    percent: int | Literal["not shown"] | None = Field(description=SMALL_NOTE)


class CoverageOut(Schema):
    date: datetime.date
    overall: CoverageRowOut
    by_site: list[CoverageRowOut]
    by_team: list[CoverageRowOut]
    by_keyworker: list[CoverageRowOut] | None
    trend: list[CoverageRowOut]


# At a partner pharmacy: a pharmacy's own system, with the pharmacist's token --------------


class NaloxonePharmacySupplyIn(Input):
    kit_type: choice(KitType)
    batch: text(40, required=True)
    recipient: choice(Recipient)
    recipient_name: text(200) = ""
    instalment_id: Id | None = Field(
        None,
        description="For a client dispensing at the pharmacy: one of their instalments on "
        "the due list (the pharmacy knows them by it, not by a client number)",
    )
    training_topics: list[choice(TrainingTopic)] = Field(..., max_length=10)


class NaloxonePharmacySupplyOut(NaloxoneKitSupplyOut):
    client_linked: bool

    @staticmethod
    def resolve_client_linked(obj) -> bool:
        return obj.client_id is not None


class NaloxonePharmacyStockOut(Schema):
    kit_type: str
    batch: str
    expiry: datetime.date
    kits: int


class NaloxonePharmacyOut(Schema):
    stock: list[NaloxonePharmacyStockOut]
    supplies: list[NaloxonePharmacySupplyOut]
