"""Shapes of the delivery planning API: a day's rounds and stops. No dose, medicine or
diagnosis leaves through these: a stop names the client, the parcel and the times only."""

import datetime

from ninja import Schema

from beacon.core.schemas import LocalTime


class PlannedStopOut(Schema):
    id: int
    position: int | None
    planned_arrival: LocalTime | None
    window_start: LocalTime | None
    window_end: LocalTime | None
    client_number: str
    client_name: str
    postcode: str
    parcel_number: str
    unassigned_reason: str
    status: str
    not_delivered_reason: str
    handed_over: bool
    returned: bool


class PlannedRoundOut(Schema):
    id: int
    driver_id: int
    driver_name: str
    vehicle_registration: str
    shift_start: LocalTime
    shift_end: LocalTime
    stops: list[PlannedStopOut]


class DayPlanOut(Schema):
    date: datetime.date
    planned_at: datetime.datetime | None
    rounds: list[PlannedRoundOut]
    unassigned: list[PlannedStopOut]


class PlanSummaryOut(Schema):
    rounds: int
    stops: int
    unassigned: int
