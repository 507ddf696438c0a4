"""Shapes of the run-sheet API: a driver's round of today (no dose, medicine or diagnosis)
and a stop's outcome; the coordinator's hand-over, hold-back and returns."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool

from beacon.core.schemas import Input, LocalTime, choice, text
from beacon.delivery.models import DeliveryStop, RegisterEntry


class RunSheetStopOut(Schema):
    id: int
    position: int | None
    planned_arrival: LocalTime | None
    window_start: LocalTime | None
    window_end: LocalTime | None
    client_name: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    access_notes: str
    authorised_representatives: list[str]
    parcel_number: str
    handed_over: bool
    status: str
    not_delivered_reason: str
    do_not_deliver: bool


class RunSheetOut(Schema):
    date: datetime.date
    round_id: int | None
    confirmed_parcels: int
    vehicle_registration: str
    shift_start: LocalTime | None
    shift_end: LocalTime | None
    stops: list[RunSheetStopOut]


class StopDeliveredIn(Input):
    recipient: choice(RegisterEntry.Recipient)
    representative_name: text(200) = ""
    identity: Literal["shown", "not_shown", "not_asked"]
    notes: text(900) = ""
    recorded_at: datetime.datetime | None = Field(
        None,
        description="When the driver recorded it at the door, if it waited on the phone for a "
        "signal: the register and the stop keep this time. Believed between the parcel's "
        "hand-over and now; otherwise the time it is received",
    )


class StopNotDeliveredIn(Input):
    reason: choice(DeliveryStop.NotDeliveredReason)
    notes: text(900) = ""
    recorded_at: datetime.datetime | None = Field(
        None,
        description="When the driver recorded it at the door, if it waited on the phone for a "
        "signal: the register and the stop keep this time. Believed between the parcel's "
        "hand-over and now; otherwise the time it is received",
    )


class HoldBackIn(Input):
    reason: text(300, required=True)
    missed_by_client: StrictBool = Field(
        False,
        description="The reason is the client's (in hospital, asked not to have it): the "
        "dose counts as their missed dose. Otherwise (a driver off sick, a round stopped) "
        "it is the service's failure: it does not count, and can be collected today",
    )


class HeldBackOut(Schema):
    parcel_number: str
    reason: str


class HandOverOut(Schema):
    handed: list[str]
    held_back: list[HeldBackOut]


class ParcelOut(Schema):
    """A stop as the coordinator follows its parcel (no dose: see the register)."""

    id: int
    parcel_number: str
    client_number: str
    status: str
    handed_over: bool
    returned: bool
    not_delivered_reason: str
    held_back_reason: str


class ReceiptIn(Input):
    parcels: list[text(20, required=True)]


class HandOverIn(Input):
    parcels: list[text(20, required=True)] = Field(
        description="The parcel numbers the coordinator checked as they handed each over "
        "(at least one); each must still be waiting for this driver, or nothing is recorded",
    )


class ReceiptOut(Schema):
    confirmed_parcels: int
