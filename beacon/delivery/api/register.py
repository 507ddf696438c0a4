"""Register endpoints of the JSON API, under /api/v1/delivery/: the controlled-drug register.

Thin, like the pages: parse (schemas/register.py), check `delivery.keep_register`, call a selector
or service, return. Records load through the token user's provider: another provider's
entry is never listed, and a correction naming it is a 422 on `corrects_id`. Reads are
audited here; writes by the services.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from beacon.core.audit import Action, audit_origin, audit_record
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, MAX_OFFSET, REFUSED, IsoDate
from beacon.delivery.models import register_unit
from beacon.delivery.schemas.register import (
    BalanceOut,
    CorrectionIn,
    MovementIn,
    ReconciliationOut,
    RegisterEntryOut,
)
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services

router = Router(tags=["delivery"])

KEEP = "delivery.keep_register"


def viewed(request: HttpRequest, what: str) -> None:
    """Audit a read of the delivery API (not of one client's record)."""
    audit_record(actor=request.user, action=Action.VIEW, detail=what, origin=audit_origin(request))


@router.get(
    "/register/{str:medicine}/entries",
    response={200: list[RegisterEntryOut], **REFUSED},
    summary="A register page's entries, newest first (limit and offset page through it)",
)
def entry_list(
    request: HttpRequest,
    medicine: str,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
    viewed(request, f"CD register {info.code} entries {offset}+{limit}")
    entries = selectors.register_entries(provider=request.provider, medicine=info)
    return list(entries[offset : offset + limit])


@router.get(
    "/register/{str:medicine}/balance",
    response={200: BalanceOut, **REFUSED},
    summary="The current balance of a register page",
)
def balance(request: HttpRequest, medicine: str):
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
    viewed(request, f"CD register {info.code} balance")
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
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
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
        origin=audit_origin(request),
    )
    return Status(201, entry)


@router.post(
    "/register/{str:medicine}/corrections",
    response={201: RegisterEntryOut, **INVALID},
    summary="Correct an entry of this page by a new entry that refers to it",
)
def correction_create(request: HttpRequest, medicine: str, payload: CorrectionIn):
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
    try:
        corrected = selectors.register_entry_get(
            user=request.user, medicine=info, entry_id=payload.corrects_id
        )
    except Http404:
        raise ValidationError(
            {"corrects_id": "No entry with this id on this register page"}
        ) from None
    entry = services.register_correction_record(
        actor=request.user,
        provider=request.provider,
        medicine=info.code,
        data={"corrects": corrected, "adjustment": payload.adjustment, "notes": payload.notes},
        origin=audit_origin(request),
    )
    return Status(201, entry)


@router.get(
    "/reconciliation",
    response={200: ReconciliationOut, **REFUSED},
    summary="End-of-day check: per driver and medicine, handed out = delivered + returned",
)
def reconciliation(request: HttpRequest, date: Query[IsoDate | None] = None):
    ensure_can(request.user, KEEP)
    day = date or timezone.localdate()
    rows = selectors.reconciliation(provider=request.provider, date=day)
    viewed(request, f"CD register reconciliation {day:%Y-%m-%d}")
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
