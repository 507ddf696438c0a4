"""Shapes of the delivery set-up API: vehicles, drivers' shifts, a client's delivery details.

The set-up rules stay in services/setup.py, whose ValidationError core/api.py answers as a
422 naming the field.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, StrictBool

from beacon.core.schemas import Input, IsoDate, LocalTime, text

Coordinate = Annotated[Decimal, Field(max_digits=9, decimal_places=6)]


class VehicleIn(Input):
    partner_organisation_id: int = Field(description="The partner organisation lending it")
    registration: text(10, required=True) = Field(description="UK registration, e.g. AB12 CDE")
    make: text(60) = ""
    colour: text(30) = ""
    active: StrictBool = True


class VehicleOut(Schema):
    id: int
    partner_organisation_id: int
    registration: str
    make: str
    colour: str
    active: bool


class ShiftIn(Input):
    driver_id: int
    vehicle_id: int
    date: IsoDate
    start_time: LocalTime
    end_time: LocalTime


class ShiftOut(Schema):
    id: int
    driver_id: int
    vehicle_id: int
    date: datetime.date
    start_time: LocalTime
    end_time: LocalTime


class DeliveryDetailsIn(Input):
    address_line_1: text(100, required=True)
    address_line_2: text(100) = ""
    town: text(60) = ""
    postcode: text(8, required=True)
    access_notes: text(500) = Field("", description="For example: ring twice, side door")
    authorised_representatives: text(500) = Field(
        "", description="One name a line: who may take a parcel for the client"
    )
    usually_in_from: LocalTime | None = None
    usually_in_to: LocalTime | None = None
    lockable_box_recorded_on: IsoDate | None = None
    latitude: Coordinate | None = Field(None, ge=-90, le=90)
    longitude: Coordinate | None = Field(None, ge=-180, le=180)
    window_text_agreed: bool = Field(
        False, description="Agreed to a text with the delivery window on the morning"
    )


class DeliveryDetailsOut(Schema):
    client_number: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    access_notes: str
    authorised_representatives: str
    usually_in_from: LocalTime | None
    usually_in_to: LocalTime | None
    children_in_household: bool
    lockable_box_recorded_on: datetime.date | None
    needs_lockable_box: bool
    latitude: Decimal | None
    longitude: Decimal | None
    window_text_agreed: bool
