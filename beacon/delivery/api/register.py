"""Register endpoints of the JSON API, under /api/v1/delivery/: the controlled-drug register
(one per site, a page per medicine) and each site's patient returns.

Thin, like the pages: parse (schemas/register.py), check `delivery.keep_register`, call a selector
or service, return. Records load through the token user's provider: another provider's
site is a 404, its entry is never listed, and a correction naming it is a 422 on
`corrects_id`. Reads are audited here; writes by the services.
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from beacon.core.api import role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, MAX_OFFSET, REFUSED, IsoDate
from beacon.delivery.models import register_unit
from beacon.delivery.schemas.register import (
    BalanceOut,
    CorrectionIn,
    MovementIn,
    PatientReturnDestroyIn,
    PatientReturnIn,
    PatientReturnOut,
    ReconciliationOut,
    RegisterEntryOut,
)
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services

router = Router(tags=["delivery"])

KEEP = "delivery.keep_register"


def viewed(request: HttpRequest, what: str) -> None:
    """Audit a read of the delivery API (not of one client's record)."""
    audit_request(request, action=Action.VIEW, detail=what)


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _user(request: HttpRequest, user_id: int | None, field: str, what: str):
    if user_id is None:
        return None
    user = request.provider.users.filter(pk=user_id).first()
    if user is None:
        raise ValidationError({field: f"No {what} with this id in your service"})
    return user


def _client(request: HttpRequest, number: str):
    if not number:
        return None
    client = selectors.register_client(provider=request.provider, client_number=number)
    if client is None:
        raise ValidationError({"client_number": selectors.NO_CLIENT})
    return client


def _service_data(request: HttpRequest, payload, *, users: tuple[str, ...] = ()) -> dict:
    """A register write's payload as its service takes it: each of `users` and the client
    loaded by id and number from the user's provider, and the time made aware."""
    ids = {f"{name}_id" for name in users}
    data = payload.model_dump(exclude=ids | {"client_number"})
    data["occurred_at"] = _aware(payload.occurred_at)
    for name in users:
        data[name] = _user(request, getattr(payload, f"{name}_id"), f"{name}_id", name)
    if "client_number" in type(payload).model_fields:
        data["client"] = _client(request, payload.client_number)
    return data


@router.get(
    "/register/{int:site_id}/{str:medicine}/entries",
    response={200: list[RegisterEntryOut], **REFUSED},
    summary="A register page's entries, newest first or (order=oldest) oldest first as a paper "
    "register reads; limit and offset page through it",
)
def entry_list(
    request: HttpRequest,
    site_id: int,
    medicine: str,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    order: Literal["newest", "oldest"] = "newest",
):
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    viewed(request, f"CD register {site.name} {info.code} entries {offset}+{limit} ({order})")
    entries = selectors.register_entries(site=site, medicine=info, order=order)
    return list(entries[offset : offset + limit])


@router.get(
    "/register/{int:site_id}/{str:medicine}/balance",
    response={200: BalanceOut, **REFUSED},
    summary="The current balance of a register page (a site and a medicine)",
)
def balance(request: HttpRequest, site_id: int, medicine: str):
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    viewed(request, f"CD register {site.name} {info.code} balance")
    return {
        "site_id": site.pk,
        "medicine": info.code,
        "medicine_name": info.name,
        "unit": register_unit(info),
        "balance": selectors.register_balance(site=site, medicine=info),
    }


@router.post(
    "/register/{int:site_id}/{str:medicine}/movements",
    response={201: RegisterEntryOut, **INVALID},
    summary="Record a movement: received, handed to driver, delivered, returned, destroyed",
    auth=role_gate(KEEP),
)
def movement_create(request: HttpRequest, site_id: int, medicine: str, payload: MovementIn):
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    entry = services.register_movement_record(
        actor=request.user,
        provider=request.provider,
        site=site,
        medicine=info.code,
        data=_service_data(request, payload, users=("driver", "prescriber", "witness")),
        origin=audit_origin(request),
    )
    return Status(201, entry)


@router.post(
    "/register/{int:site_id}/{str:medicine}/corrections",
    response={201: RegisterEntryOut, **INVALID},
    summary="Correct an entry of this page by a new entry that refers to it",
    auth=role_gate(KEEP),
)
def correction_create(request: HttpRequest, site_id: int, medicine: str, payload: CorrectionIn):
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    try:
        corrected = selectors.register_entry_get(
            user=request.user, site=site, medicine=info, entry_id=payload.corrects_id
        )
    except Http404:
        raise ValidationError(
            {"corrects_id": "No entry with this id on this register page"}
        ) from None
    entry = services.register_correction_record(
        actor=request.user,
        provider=request.provider,
        site=site,
        medicine=info.code,
        data={"corrects": corrected, "adjustment": payload.adjustment, "notes": payload.notes},
        origin=audit_origin(request),
    )
    return Status(201, entry)


@router.get(
    "/reconciliation",
    response={200: ReconciliationOut, **REFUSED},
    summary="End-of-day check: per site, driver and medicine, handed out = delivered + returned",
)
def reconciliation(request: HttpRequest, date: Query[IsoDate | None] = None):
    ensure_can(request.user, KEEP)
    day = date or timezone.localdate()
    rows = selectors.reconciliation(provider=request.provider, date=day)
    viewed(request, f"CD register reconciliation {day:%Y-%m-%d}")
    return {
        "date": day,
        "discrepancies": sum(row.is_discrepancy for row in rows),
        "still_out": sum(row.is_still_out for row in rows),
        "rows": [
            {
                "site_id": row.site.pk,
                "site": row.site.name,
                "driver_id": row.driver.pk,
                "driver": row.driver.display_name,
                "medicine": row.medicine.code,
                "unit": row.unit,
                "handed": row.handed,
                "delivered": row.delivered,
                "returned": row.returned,
                "difference": row.difference,
                "shift_ends_at": row.shift_ends_at,
                "is_still_out": row.is_still_out,
                "is_discrepancy": row.is_discrepancy,
            }
            for row in rows
        ],
    }


@router.get(
    "/register/{int:site_id}/returns",
    response={200: list[PatientReturnOut], **REFUSED},
    summary="A site's patient returns and their destructions, newest first (apart from stock)",
)
def return_list(request: HttpRequest, site_id: int, limit: int = 100, offset: int = 0):
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    viewed(request, f"patient returns {site.name} {offset}+{limit}")
    return list(selectors.patient_returns(site=site)[offset : offset + limit])


@router.post(
    "/register/{int:site_id}/returns",
    response={201: PatientReturnOut, **INVALID},
    summary="Record a controlled drug a client handed back: kept apart, never in the balance",
    auth=role_gate(KEEP),
)
def return_create(request: HttpRequest, site_id: int, payload: PatientReturnIn):
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    data = _service_data(request, payload)
    returned = services.patient_return_record(
        actor=request.user,
        provider=request.provider,
        site=site,
        medicine=data.pop("medicine"),
        data=data,
        origin=audit_origin(request),
    )
    return Status(201, returned)


@router.post(
    "/register/{int:site_id}/returns/{int:return_id}/destruction",
    response={201: PatientReturnOut, **INVALID},
    summary="Record the witnessed destruction of a patient return",
    auth=role_gate(KEEP),
)
def return_destroy(
    request: HttpRequest, site_id: int, return_id: int, payload: PatientReturnDestroyIn
):
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    returned = selectors.patient_return_get(user=request.user, site=site, return_id=return_id)
    destruction = services.patient_return_destroy(
        actor=request.user,
        provider=request.provider,
        patient_return=returned,
        data=_service_data(request, payload, users=("witness",)),
        origin=audit_origin(request),
    )
    return Status(201, destruction)
