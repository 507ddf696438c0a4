"""Run-sheet endpoints of the JSON API, under /api/v1/delivery/ (runsheet_services.py).

A driver's token reads and records only their own round of today: client name, address,
access notes, parcel, window; no dose, medicine or diagnosis. Any other stop is a 404,
and a parcel whose supply stopped answers only "do not deliver". The coordinator
(`delivery.keep_register`) hands a round over, holds a parcel back and takes one back.
Reading the run sheet is audited one entry per client shown; writes by the services.
"""

import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED, Input, text
from beacon.delivery import planning_selectors, runsheet_selectors, runsheet_services
from beacon.delivery.models import DeliveryStop, RegisterEntry

router = Router(tags=["delivery: run sheets"])

DRIVE = "delivery.drive_round"
KEEP = "delivery.keep_register"


class RunSheetStopOut(Schema):
    id: int
    position: int | None
    planned_arrival: datetime.time | None
    window_start: datetime.time | None
    window_end: datetime.time | None
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
    shift_start: datetime.time | None
    shift_end: datetime.time | None
    stops: list[RunSheetStopOut]


class StopDeliveredIn(Input):
    recipient: RegisterEntry.Recipient
    representative_name: text(200) = ""
    identity: Literal["shown", "not_shown", "not_asked"]
    notes: text(900) = ""


class StopNotDeliveredIn(Input):
    reason: DeliveryStop.NotDeliveredReason
    notes: text(900) = ""


class HoldBackIn(Input):
    reason: text(300, required=True)


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


def _run_sheet_stop_out(stop) -> dict:
    details = getattr(stop.client, "delivery_details", None)
    return {
        "id": stop.pk,
        "position": stop.position,
        "planned_arrival": stop.planned_arrival,
        "window_start": stop.window_start,
        "window_end": stop.window_end,
        "client_name": stop.client.full_name,
        "address_line_1": details.address_line_1 if details else "",
        "address_line_2": details.address_line_2 if details else "",
        "town": details.town if details else "",
        "postcode": details.postcode if details else "",
        "access_notes": details.access_notes if details else "",
        "authorised_representatives": details.representative_names if details else [],
        "parcel_number": stop.parcel_number,
        "handed_over": stop.handed_over_entry_id is not None,
        # Held back is said to the driver only as "do not deliver", never why.
        "status": "do_not_deliver" if stop.status == DeliveryStop.Status.HELD_BACK else stop.status,
        "not_delivered_reason": stop.not_delivered_reason,
        "do_not_deliver": stop.status == DeliveryStop.Status.HELD_BACK,
    }


def _parcel_out(stop) -> dict:
    return {
        "id": stop.pk,
        "parcel_number": stop.parcel_number,
        "client_number": stop.client.client_number,
        "status": stop.status,
        "handed_over": stop.handed_over_entry_id is not None,
        "returned": stop.returned_entry_id is not None,
        "not_delivered_reason": stop.not_delivered_reason,
        "held_back_reason": stop.held_back_reason,
    }


def _own_stop(request: HttpRequest, stop_id: int):
    ensure_can(request.user, DRIVE)
    stop = runsheet_selectors.driver_stop_get(
        user=request.user, date=runsheet_selectors.delivery_today(), stop_id=stop_id
    )
    if stop is None:
        raise Http404
    return stop


def _coordinators_stop(request: HttpRequest, stop_id: int):
    ensure_can(request.user, KEEP)
    stop = planning_selectors.stop_get(provider=request.provider, stop_id=stop_id)
    if stop is None:
        raise Http404
    return stop


@router.get(
    "/my-round",
    response={200: RunSheetOut, **REFUSED},
    summary="The driver's own round of today (drivers only): stops in order, no clinical detail",
)
def my_round_get(request: HttpRequest):
    ensure_can(request.user, DRIVE)
    today = runsheet_selectors.delivery_today()
    delivery_round = runsheet_selectors.driver_round(user=request.user, date=today)
    stops = (
        list(runsheet_selectors.driver_stops(delivery_round=delivery_round))
        if delivery_round
        else []
    )
    runsheet_services.run_sheet_read_record(
        actor=request.user, stops=stops, date=today, request=request
    )
    shift = delivery_round.shift if delivery_round else None
    return {
        "date": today,
        "round_id": delivery_round.pk if delivery_round else None,
        "confirmed_parcels": delivery_round.receipt_confirmed_parcels if delivery_round else 0,
        "vehicle_registration": shift.vehicle.registration if shift else "",
        "shift_start": shift.start_time if shift else None,
        "shift_end": shift.end_time if shift else None,
        "stops": [_run_sheet_stop_out(stop) for stop in stops],
    }


class ReceiptIn(Input):
    parcels: list[text(20, required=True)]


class ReceiptOut(Schema):
    confirmed_parcels: int


@router.post(
    "/my-round/confirm",
    response={200: ReceiptOut, **INVALID},
    summary="The driver confirms the parcel numbers they checked are every parcel handed "
    "to them so far",
)
def my_round_confirm(request: HttpRequest, payload: ReceiptIn):
    ensure_can(request.user, DRIVE)
    delivery_round = runsheet_selectors.driver_round(
        user=request.user, date=runsheet_selectors.delivery_today()
    )
    if delivery_round is None:
        raise Http404
    count = runsheet_services.round_receipt_confirm(
        actor=request.user,
        delivery_round=delivery_round,
        data=payload.model_dump(),
        request=request,
    )
    return {"confirmed_parcels": count}


@router.post(
    "/my-round/stops/{int:stop_id}/delivered",
    response={200: RunSheetStopOut, **INVALID},
    summary="Record a stop of the driver's own round as delivered",
)
def my_stop_delivered(request: HttpRequest, stop_id: int, payload: StopDeliveredIn):
    stop = runsheet_services.stop_delivered(
        actor=request.user,
        stop=_own_stop(request, stop_id),
        data=payload.model_dump(),
        request=request,
    )
    return _run_sheet_stop_out(stop)


@router.post(
    "/my-round/stops/{int:stop_id}/not-delivered",
    response={200: RunSheetStopOut, **INVALID},
    summary="Record a stop of the driver's own round as not delivered (alerts staff)",
)
def my_stop_not_delivered(request: HttpRequest, stop_id: int, payload: StopNotDeliveredIn):
    stop = runsheet_services.stop_not_delivered(
        actor=request.user,
        stop=_own_stop(request, stop_id),
        data=payload.model_dump(),
        request=request,
    )
    return _run_sheet_stop_out(stop)


@router.post(
    "/rounds/{int:round_id}/hand-over",
    response={200: HandOverOut, **INVALID},
    summary="Record a round's parcels as handed to its driver (register entries), on the day",
)
def round_hand_over(request: HttpRequest, round_id: int):
    ensure_can(request.user, KEEP)
    delivery_round = planning_selectors.round_get(provider=request.provider, round_id=round_id)
    if delivery_round is None:
        raise Http404
    return runsheet_services.round_hand_over(
        actor=request.user, delivery_round=delivery_round, request=request
    )


@router.post(
    "/stops/{int:stop_id}/hold-back",
    response={200: ParcelOut, **INVALID},
    summary="Hold a parcel back (kept in the cabinet, or recalled from the driver)",
)
def stop_hold_back(request: HttpRequest, stop_id: int, payload: HoldBackIn):
    stop = runsheet_services.stop_hold_back(
        actor=request.user,
        stop=_coordinators_stop(request, stop_id),
        data=payload.model_dump(),
        request=request,
    )
    return _parcel_out(stop)


@router.post(
    "/stops/{int:stop_id}/returned",
    response={200: ParcelOut, **INVALID},
    summary="Record a parcel that was not delivered as returned to the cabinet",
)
def stop_returned(request: HttpRequest, stop_id: int):
    stop = runsheet_services.stop_returned(
        actor=request.user, stop=_coordinators_stop(request, stop_id), request=request
    )
    return _parcel_out(stop)
