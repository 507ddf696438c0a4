"""Run-sheet endpoints of the JSON API, under /api/v1/delivery/ (services/runsheet.py).

A driver's token reads and records only their own round of today: client name, address,
access notes, parcel, window; no dose, medicine or diagnosis. Any other stop is a 404,
and a parcel whose supply stopped answers only "do not deliver". The coordinator
(`delivery.keep_register`) hands a round over, holds a parcel back and takes one back.
Reading the run sheet is audited one entry per client shown; writes by the services.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from ninja import Router

from beacon.core.api import api_write, role_gate
from beacon.core.audit import audit_origin
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED
from beacon.delivery.models import DeliveryStop
from beacon.delivery.presenters.runsheet import parcel_data, run_sheet_stop_data
from beacon.delivery.schemas.runsheet import (
    HandOverIn,
    HandOverOut,
    HoldBackIn,
    ParcelOut,
    ReceiptIn,
    ReceiptOut,
    RunSheetOut,
    RunSheetStopOut,
    StopDeliveredIn,
    StopNotDeliveredIn,
)
from beacon.delivery.selectors import planning
from beacon.delivery.selectors import runsheet as selectors
from beacon.delivery.services import runsheet as services

router = Router(tags=["delivery: run sheets"])

DRIVE = "delivery.drive_round"
# Handing parcels over and taking them back are register movements (delivery/rules.py).
KEEP = planning.KEEP


@router.get(
    "/my-round",
    response={200: RunSheetOut, **REFUSED},
    summary="The driver's own round of today (drivers only): stops in order, no clinical detail",
)
def my_round_get(request: HttpRequest):
    ensure_can(request.user, DRIVE)
    today = selectors.delivery_today()
    delivery_round = selectors.driver_round(user=request.user, date=today)
    stops = list(selectors.driver_stops(delivery_round=delivery_round)) if delivery_round else []
    services.run_sheet_read_record(
        actor=request.user, stops=stops, date=today, origin=audit_origin(request)
    )
    shift = delivery_round.shift if delivery_round else None
    return {
        "date": today,
        "round_id": delivery_round.pk if delivery_round else None,
        "confirmed_parcels": delivery_round.receipt_confirmed_parcels if delivery_round else 0,
        "vehicle_registration": shift.vehicle.registration if shift else "",
        "shift_start": shift.start_time if shift else None,
        "shift_end": shift.end_time if shift else None,
        "stops": [run_sheet_stop_data(stop) for stop in stops],
    }


@router.post(
    "/my-round/confirm",
    response={200: ReceiptOut, **INVALID},
    summary="The driver confirms the parcel numbers they checked are every parcel handed "
    "to them so far",
    auth=role_gate(DRIVE),
)
def my_round_confirm(request: HttpRequest, payload: ReceiptIn):
    ensure_can(request.user, DRIVE)
    delivery_round = selectors.driver_round(user=request.user, date=selectors.delivery_today())
    if delivery_round is None:
        raise Http404
    count = api_write(
        request, services.round_receipt_confirm, payload, delivery_round=delivery_round
    )
    return {"confirmed_parcels": count}


def _driver_stop_record(
    request: HttpRequest, stop_id: int, record: Callable[..., DeliveryStop], payload
) -> dict:
    """Record an outcome (`record`, a service) on a stop of the driver's own round."""
    stop = api_write(
        request,
        record,
        payload,
        stop=selectors.driver_stop_get(user=request.user, stop_id=stop_id),
    )
    return run_sheet_stop_data(stop)


@router.post(
    "/my-round/stops/{int:stop_id}/delivered",
    response={200: RunSheetStopOut, **INVALID},
    summary="Record a stop of the driver's own round as delivered",
    auth=role_gate(DRIVE),
)
def my_stop_delivered(request: HttpRequest, stop_id: int, payload: StopDeliveredIn):
    return _driver_stop_record(request, stop_id, services.stop_delivered, payload)


@router.post(
    "/my-round/stops/{int:stop_id}/not-delivered",
    response={200: RunSheetStopOut, **INVALID},
    summary="Record a stop of the driver's own round as not delivered (alerts staff)",
    auth=role_gate(DRIVE),
)
def my_stop_not_delivered(request: HttpRequest, stop_id: int, payload: StopNotDeliveredIn):
    return _driver_stop_record(request, stop_id, services.stop_not_delivered, payload)


@router.post(
    "/rounds/{int:round_id}/hand-over",
    response={200: HandOverOut, **INVALID},
    summary="Record the round's parcels the coordinator checked (`parcels`) as handed to its "
    "driver (register entries), on the day",
    auth=role_gate(KEEP),
)
def round_hand_over(request: HttpRequest, round_id: int, payload: HandOverIn):
    delivery_round = planning.round_get(user=request.user, round_id=round_id)
    return services.round_hand_over(
        actor=request.user,
        delivery_round=delivery_round,
        data={"parcels": payload.parcels},
        origin=audit_origin(request),
    )


def _parcel_record(
    request: HttpRequest, stop_id: int, record: Callable[..., DeliveryStop], **data
) -> dict:
    """Record what the coordinator did with a stop's parcel (`record`, a service)."""
    stop = record(
        actor=request.user,
        stop=planning.stop_get(user=request.user, stop_id=stop_id),
        origin=audit_origin(request),
        **data,
    )
    return parcel_data(stop)


@router.post(
    "/stops/{int:stop_id}/hold-back",
    response={200: ParcelOut, **INVALID},
    summary="Hold a parcel back (kept in the cabinet, or recalled from the driver)",
    auth=role_gate(KEEP),
)
def stop_hold_back(request: HttpRequest, stop_id: int, payload: HoldBackIn):
    return _parcel_record(request, stop_id, services.stop_hold_back, data=payload.model_dump())


@router.post(
    "/stops/{int:stop_id}/returned",
    response={200: ParcelOut, **INVALID},
    summary="Record a parcel that was not delivered as returned to the cabinet",
    auth=role_gate(KEEP),
)
def stop_returned(request: HttpRequest, stop_id: int):
    return _parcel_record(request, stop_id, services.stop_returned)
