"""delivery endpoints of the JSON API: the controlled-drug register.

Thin, like the pages: parse (schemas.py), check `delivery.keep_register`, call a selector
or service, return. Records load through the token user's provider: another provider's
entry is never listed, and a correction naming it is a 422 on `corrects_id`. Reads are
audited here; writes by the services.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from beacon.core.audit import Action, audit_record
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED
from beacon.delivery import selectors, services, setup_services
from beacon.delivery.models import register_unit
from beacon.delivery.schemas import (
    BalanceOut,
    CorrectionIn,
    MovementIn,
    ReconciliationOut,
    RegisterEntryOut,
)
from beacon.delivery.setup_schemas import (
    DeliveryDetailsIn,
    DeliveryDetailsOut,
    ShiftIn,
    ShiftOut,
    VehicleIn,
    VehicleOut,
)
from beacon.prescribing.medicines import Medicine, medicine_get

router = Router(tags=["delivery"])

KEEP = "delivery.keep_register"


def _medicine(request: HttpRequest, code: str) -> Medicine:
    ensure_can(request.user, KEEP)
    medicine = medicine_get(code)
    if medicine is None:
        raise Http404
    return medicine


def _viewed(request: HttpRequest, what: str) -> None:
    audit_record(actor=request.user, action=Action.VIEW, detail=what, request=request)


@router.get(
    "/register/{str:medicine}/entries",
    response={200: list[RegisterEntryOut], **REFUSED},
    summary="A register page's entries, newest first (limit and offset page through it)",
)
def entry_list(request: HttpRequest, medicine: str, limit: int = 100, offset: int = 0):
    info = _medicine(request, medicine)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    _viewed(request, f"CD register {info.code} entries {offset}+{limit}")
    entries = selectors.register_entries(provider=request.provider, medicine=info)
    return list(entries[offset : offset + limit])


@router.get(
    "/register/{str:medicine}/balance",
    response={200: BalanceOut, **REFUSED},
    summary="The current balance of a register page",
)
def balance(request: HttpRequest, medicine: str):
    info = _medicine(request, medicine)
    _viewed(request, f"CD register {info.code} balance")
    return {
        "medicine": info.code,
        "medicine_name": info.name,
        "unit": register_unit(info),
        "balance": selectors.register_balance(provider=request.provider, medicine=info),
    }


@router.post(
    "/register/{str:medicine}/movements",
    response={201: RegisterEntryOut, **INVALID},
    summary="Record a movement: received, handed to driver, delivered, returned, destroyed",
)
def movement_create(request: HttpRequest, medicine: str, payload: MovementIn):
    info = _medicine(request, medicine)
    data = payload.model_dump(exclude={"driver_id", "client_number"})
    if timezone.is_naive(payload.occurred_at):
        data["occurred_at"] = timezone.make_aware(payload.occurred_at)
    data["driver"] = None
    if payload.driver_id is not None:
        data["driver"] = request.provider.users.filter(pk=payload.driver_id).first()
        if data["driver"] is None:
            raise ValidationError({"driver_id": "No driver with this id in your service"})
    data["client"] = None
    if payload.client_number:
        data["client"] = request.provider.clients.filter(
            client_number=payload.client_number.upper()
        ).first()
        if data["client"] is None:
            raise ValidationError({"client_number": "No client with this number in your service"})
    entry = services.register_movement_record(
        actor=request.user,
        provider=request.provider,
        medicine=info.code,
        data=data,
        request=request,
    )
    return Status(201, entry)


@router.post(
    "/register/{str:medicine}/corrections",
    response={201: RegisterEntryOut, **INVALID},
    summary="Correct an entry of this page by a new entry that refers to it",
)
def correction_create(request: HttpRequest, medicine: str, payload: CorrectionIn):
    info = _medicine(request, medicine)
    corrected = selectors.register_entry_get(
        provider=request.provider, medicine=info, entry_id=payload.corrects_id
    )
    if corrected is None:
        raise ValidationError({"corrects_id": "No entry with this id on this register page"})
    entry = services.register_correction_record(
        actor=request.user,
        provider=request.provider,
        medicine=info.code,
        data={"corrects": corrected, "adjustment": payload.adjustment, "notes": payload.notes},
        request=request,
    )
    return Status(201, entry)


@router.get(
    "/reconciliation",
    response={200: ReconciliationOut, **REFUSED},
    summary="End-of-day check: per driver and medicine, handed out = delivered + returned",
)
def reconciliation(request: HttpRequest, date: Query[datetime.date | None] = None):
    ensure_can(request.user, KEEP)
    day = date or timezone.localdate()
    rows = selectors.reconciliation(provider=request.provider, date=day)
    _viewed(request, f"CD register reconciliation {day:%Y-%m-%d}")
    return {
        "date": day,
        "discrepancies": sum(row.is_discrepancy for row in rows),
        "rows": [
            {
                "driver_id": row.driver.pk,
                "driver": row.driver.display_name,
                "medicine": row.medicine.code,
                "unit": row.unit,
                "handed": row.handed,
                "delivered": row.delivered,
                "returned": row.returned,
                "difference": row.difference,
                "is_discrepancy": row.is_discrepancy,
            }
            for row in rows
        ],
    }


# --- Delivery set-up: vehicles, drivers' shifts, a client's delivery details -------------

MANAGE = "delivery.manage_setup"
DETAILS = "delivery.edit_delivery_details"


@router.get(
    "/vehicles",
    response={200: list[VehicleOut], **REFUSED},
    summary="The service's delivery vehicles",
)
def vehicle_list(request: HttpRequest):
    ensure_can(request.user, MANAGE)
    return list(setup_services.vehicles(provider=request.provider))


@router.post(
    "/vehicles",
    response={201: VehicleOut, **INVALID},
    summary="Add a vehicle lent by a partner organisation",
)
def vehicle_create(request: HttpRequest, payload: VehicleIn):
    ensure_can(request.user, MANAGE)
    partner = request.provider.partner_organisations.filter(
        pk=payload.partner_organisation_id
    ).first()
    if partner is None:
        raise ValidationError(
            {"partner_organisation_id": "No partner organisation with this id in your service"}
        )
    data = payload.model_dump(exclude={"partner_organisation_id"})
    data["partner_organisation"] = partner
    vehicle = setup_services.vehicle_create(
        actor=request.user, provider=request.provider, data=data, request=request
    )
    return Status(201, vehicle)


@router.get(
    "/shifts",
    response={200: list[ShiftOut], **REFUSED},
    summary="Drivers' shifts on a date (today if none is given)",
)
def shift_list(request: HttpRequest, date: Query[datetime.date | None] = None):
    ensure_can(request.user, MANAGE)
    day = date or timezone.localdate()
    return list(setup_services.shifts_on(provider=request.provider, date=day))


@router.post(
    "/shifts",
    response={201: ShiftOut, **INVALID},
    summary="Add a driver's shift: one a day per driver, no vehicle on two at once",
)
def shift_create(request: HttpRequest, payload: ShiftIn):
    ensure_can(request.user, MANAGE)
    driver = setup_services.drivers(provider=request.provider).filter(pk=payload.driver_id).first()
    if driver is None:
        raise ValidationError({"driver_id": "No active driver with this id in your service"})
    vehicle = setup_services.vehicle_get(provider=request.provider, vehicle_id=payload.vehicle_id)
    if vehicle is None:
        raise ValidationError({"vehicle_id": "No vehicle with this id in your service"})
    data = payload.model_dump(exclude={"driver_id", "vehicle_id"})
    data.update(driver=driver, vehicle=vehicle)
    shift = setup_services.shift_create(
        actor=request.user, provider=request.provider, data=data, request=request
    )
    return Status(201, shift)


def _details_client(request: HttpRequest, client_number: str):
    ensure_can(request.user, DETAILS)
    client = request.provider.clients.filter(client_number=client_number.upper()).first()
    if client is None:
        raise Http404
    ensure_can(request.user, DETAILS, client)
    return client


def _details_out(client, details) -> dict:
    out = {name: getattr(details, name, None) for name in setup_services.DETAILS_FIELDS}
    texts = ("address_line_1", "address_line_2", "town", "postcode", "access_notes")
    for name in (*texts, "authorised_representatives"):
        out[name] = out[name] or ""
    out.update(
        client_number=client.client_number,
        children_in_household=client.children_in_household,
        needs_lockable_box=setup_services.needs_lockable_box(client),
    )
    return out


@router.get(
    "/clients/{str:client_number}/delivery-details",
    response={200: DeliveryDetailsOut, **REFUSED},
    summary="A client's delivery details (404 until recorded)",
)
def delivery_details_get(request: HttpRequest, client_number: str):
    client = _details_client(request, client_number)
    details = setup_services.delivery_details_get(client=client)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        client=client,
        detail="delivery details",
        request=request,
    )
    if details is None:
        raise Http404
    return _details_out(client, details)


@router.put(
    "/clients/{str:client_number}/delivery-details",
    response={200: DeliveryDetailsOut, **INVALID},
    summary="Record or replace a client's delivery details",
)
def delivery_details_put(request: HttpRequest, client_number: str, payload: DeliveryDetailsIn):
    client = _details_client(request, client_number)
    details = setup_services.delivery_details_save(
        actor=request.user, client=client, data=payload.model_dump(), request=request
    )
    return _details_out(client, details)


# --- Delivery planning: a day's rounds and stops (planning_services.py) --------------------
# No dose, medicine or diagnosis leaves through these: a stop names the client, the parcel
# and the times only.

from ninja import Schema  # noqa: E402

from beacon.delivery import planning_selectors, planning_services  # noqa: E402

PLAN = "delivery.plan_rounds"


class PlannedStopOut(Schema):
    id: int
    position: int | None
    planned_arrival: datetime.time | None
    window_start: datetime.time | None
    window_end: datetime.time | None
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
    shift_start: datetime.time
    shift_end: datetime.time
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


def _stop_out(stop) -> dict:
    details = getattr(stop.client, "delivery_details", None)
    return {
        "id": stop.pk,
        "position": stop.position,
        "planned_arrival": stop.planned_arrival,
        "window_start": stop.window_start,
        "window_end": stop.window_end,
        "client_number": stop.client.client_number,
        "client_name": stop.client.full_name,
        "postcode": details.postcode if details else "",
        "parcel_number": stop.parcel_number,
        "unassigned_reason": stop.unassigned_reason,
        "status": stop.status,
        "not_delivered_reason": stop.not_delivered_reason,
        "handed_over": stop.handed_over_entry_id is not None,
        "returned": stop.returned_entry_id is not None,
    }


def _day_out(provider, day: datetime.date) -> dict:
    plan = planning_selectors.day_plan(provider=provider, date=day)
    return {
        "date": day,
        "planned_at": plan["planned_at"],
        "rounds": [
            {
                "id": entry["round"].pk,
                "driver_id": entry["round"].shift.driver_id,
                "driver_name": entry["round"].shift.driver.display_name,
                "vehicle_registration": entry["round"].shift.vehicle.registration,
                "shift_start": entry["round"].shift.start_time,
                "shift_end": entry["round"].shift.end_time,
                "stops": [_stop_out(stop) for stop in entry["stops"]],
            }
            for entry in plan["rounds"]
        ],
        "unassigned": [_stop_out(stop) for stop in plan["unassigned"]],
    }


@router.get(
    "/days/{day}",
    response={200: DayPlanOut, **REFUSED},
    summary="A day's delivery rounds (stops in order) and unassigned stops",
)
def day_plan_get(request: HttpRequest, day: datetime.date):
    ensure_can(request.user, PLAN)
    _viewed(request, f"delivery plan for {day:%Y-%m-%d}")
    return _day_out(request.provider, day)


@router.post(
    "/days/{day}/plan",
    response={200: DayPlanOut, **INVALID},
    summary="Plan (or re-plan, replacing the earlier plan) a day's delivery rounds",
)
def day_plan_post(request: HttpRequest, day: datetime.date, seconds: float = 2.0):
    ensure_can(request.user, PLAN)
    planning_services.delivery_day_plan(
        actor=request.user, date=day, seconds=max(0.1, min(seconds, 30.0)), request=request
    )
    return _day_out(request.provider, day)


# --- The police notice of a day (police_services.py) -----------------------------------------
# Drivers, vehicles, shifts and postcode districts only: no client, address or dose.

from beacon.core.schemas import Input, text  # noqa: E402
from beacon.delivery import police_services  # noqa: E402
from beacon.delivery.models import PoliceNoticeSent  # noqa: E402

NOTICE = "delivery.police_notice"


class PoliceNoticeRowOut(Schema):
    driver: str
    organisation: str
    registration: str
    make: str
    colour: str
    shift_start: datetime.time
    shift_end: datetime.time
    areas: list[str]


class PoliceNoticeSentOut(Schema):
    id: int
    date: datetime.date
    sent_at: datetime.datetime
    sent_to: str
    method: str
    sent_by_id: int
    notes: str


class PoliceNoticeOut(Schema):
    date: datetime.date
    rows: list[PoliceNoticeRowOut]
    sendings: list[PoliceNoticeSentOut]


class PoliceNoticeSentIn(Input):
    sent_to: text(200, required=True)
    method: PoliceNoticeSent.Method
    sent_at: datetime.datetime | None = None
    notes: text(2000) = ""


@router.get(
    "/days/{day}/police-notice",
    response={200: PoliceNoticeOut, **REFUSED},
    summary="The police notice of a day: drivers, vehicles, shifts and postcode districts",
)
def police_notice_get(request: HttpRequest, day: datetime.date):
    ensure_can(request.user, NOTICE)
    rows = police_services.police_notice_rows(provider=request.provider, date=day)
    _viewed(request, f"police notice for {day:%Y-%m-%d}")
    return {
        "date": day,
        "rows": rows,
        "sendings": list(police_services.police_notices_sent(provider=request.provider, date=day)),
    }


@router.post(
    "/days/{day}/police-notice/sent",
    response={201: PoliceNoticeSentOut, **INVALID},
    summary="Record that a day's police notice was sent (sent_at defaults to now)",
)
def police_notice_sent_post(request: HttpRequest, day: datetime.date, payload: PoliceNoticeSentIn):
    ensure_can(request.user, NOTICE)
    sending = police_services.police_notice_sent_record(
        actor=request.user,
        provider=request.provider,
        date=day,
        data=payload.model_dump(),
        request=request,
    )
    return Status(201, sending)
