"""Prescribing endpoints of the JSON API: prescriptions, dose changes, end, instalments.

Thin, like the pages: parse (schemas.py), check the role against the client, call a
selector or service, return. Records load through their selectors, scoped to the token
user's provider, so another provider's record is a 404. The safety rules live in
safety.py, run by the services, whose ValidationError core/api.py answers as 422 naming
the field. Reads are audited here; writes by the services.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from beacon.clients import selectors as client_selectors
from beacon.clients import services as client_services
from beacon.clients.models import Client
from beacon.core.api import api_write, role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.core.schemas import INVALID, REFUSED
from beacon.prescribing import selectors, services
from beacon.prescribing.rules import ENDING_SOON, REVIEW, VIEW, WRITE
from beacon.prescribing.schemas import (
    ContinueIn,
    DoseChangeIn,
    DoseChangeOut,
    EndIn,
    InstalmentOut,
    MissedDoseReviewIn,
    MissedDoseReviewOut,
    OutcomeIn,
    PrescriptionIn,
    PrescriptionOut,
)

router = Router(tags=["prescribing"])


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    client_services.client_record_viewed(
        actor=request.user, client=client, origin=audit_origin(request), what=what
    )


def _client_get(request: HttpRequest, client_number: str, permission: str) -> Client:
    """The client of the number, for `permission`: the role is checked first, so a role
    without it gets 403 whether or not the number exists."""
    ensure_can(request.user, permission)
    return client_selectors.client_get(
        user=request.user, client_number=client_number, permission=permission
    )


def _prescription_data(request: HttpRequest, payload: PrescriptionIn) -> dict:
    data = payload.model_dump(exclude={"pharmacy_id", "prescriber_id"})
    if payload.wording is None:
        data.pop("wording")
    data["supervised_days"] = "".join(str(day) for day in sorted(set(payload.supervised_days)))
    data["pharmacy"] = None
    if payload.pharmacy_id is not None:
        data["pharmacy"] = request.provider.partner_organisations.filter(
            pk=payload.pharmacy_id, kind="pharmacy"
        ).first()
        if data["pharmacy"] is None:
            raise ValidationError({"pharmacy_id": "No pharmacy with this id in your service"})
    data["prescriber"] = None
    if payload.prescriber_id is not None:
        data["prescriber"] = request.provider.users.filter(
            pk=payload.prescriber_id, role=Role.PRESCRIBER, is_active=True
        ).first()
        if data["prescriber"] is None:
            raise ValidationError({"prescriber_id": "No active prescriber with this id"})
    return data


@router.get(
    "/clients/{str:client_number}/prescriptions",
    response={200: list[PrescriptionOut], **REFUSED},
    summary="List a client's OST prescriptions with their dose changes",
)
def prescription_list(request: HttpRequest, client_number: str):
    client = _client_get(request, client_number, VIEW)
    _viewed(request, client, "OST prescriptions")
    return list(selectors.client_prescriptions(client=client).select_related("client"))


@router.post(
    "/clients/{str:client_number}/prescriptions",
    response={201: PrescriptionOut, **INVALID},
    summary="Write an OST prescription (its instalments are made with it)",
    auth=role_gate(WRITE),
)
def prescription_create(request: HttpRequest, client_number: str, payload: PrescriptionIn):
    client = _client_get(request, client_number, WRITE)
    prescription = services.prescription_create(
        actor=request.user,
        client=client,
        data=_prescription_data(request, payload),
        origin=audit_origin(request),
    )
    return Status(201, prescription)


@router.get(
    "/prescriptions/{int:prescription_id}",
    response={200: PrescriptionOut, **REFUSED},
    summary="Read an OST prescription",
)
def prescription_read(request: HttpRequest, prescription_id: int):
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=VIEW
    )
    _viewed(request, prescription.client, f"OST prescription {prescription.pk}")
    return prescription


@router.post(
    "/prescriptions/{int:prescription_id}/dose-changes",
    response={201: DoseChangeOut, **INVALID},
    summary="Change the dose from a date (an increase above usual limits needs `reason`)",
    auth=role_gate(WRITE),
)
def dose_change(request: HttpRequest, prescription_id: int, payload: DoseChangeIn):
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    change = api_write(
        request, services.prescription_change_dose, payload, prescription=prescription
    )
    return Status(201, change)


@router.post(
    "/prescriptions/{int:prescription_id}/end",
    response={200: PrescriptionOut, **INVALID},
    summary="End a prescription",
    auth=role_gate(WRITE),
)
def prescription_end(request: HttpRequest, prescription_id: int, payload: EndIn):
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    api_write(request, services.prescription_end, payload, prescription=prescription)
    return selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )


@router.get(
    "/prescriptions/{int:prescription_id}/instalments",
    response={200: list[InstalmentOut], **REFUSED},
    summary="The instalment schedule of a prescription, with outcomes",
)
def instalment_list(request: HttpRequest, prescription_id: int):
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=VIEW
    )
    _viewed(request, prescription.client, f"instalments of OST prescription {prescription.pk}")
    return list(selectors.prescription_instalments(prescription=prescription))


@router.post(
    "/instalments/{int:instalment_id}/outcome",
    response={200: InstalmentOut, **INVALID},
    summary="Record an instalment collected, delivered or missed (missed is never supplied later)",
    auth=role_gate(WRITE),
)
def instalment_outcome(request: HttpRequest, instalment_id: int, payload: OutcomeIn):
    instalment = selectors.instalment_get(
        user=request.user, instalment_id=instalment_id, permission=WRITE
    )
    return api_write(request, services.instalment_record_outcome, payload, instalment=instalment)


@router.post(
    "/prescriptions/{int:prescription_id}/reviews",
    response={201: MissedDoseReviewOut, **INVALID},
    summary="A prescriber's review after consecutive missed doses: resume or end",
    auth=role_gate(REVIEW),
)
def missed_dose_review(request: HttpRequest, prescription_id: int, payload: MissedDoseReviewIn):
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=REVIEW
    )
    review = api_write(
        request, services.missed_dose_review_record, payload, prescription=prescription
    )
    return Status(201, review)


@router.post(
    "/prescriptions/{int:prescription_id}/continue",
    response={201: PrescriptionOut, **INVALID},
    summary="Continue a prescription: the next one from the day after its end, same medicine, "
    "dose, instalments, supervised days and supply, every safety rule checked again",
    auth=role_gate(WRITE),
)
def prescription_continue(request: HttpRequest, prescription_id: int, payload: ContinueIn):
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    continued = services.prescription_continue(
        actor=request.user,
        prescription=prescription,
        origin=audit_origin(request),
        reason=payload.reason,
        days=payload.days,
    )
    return Status(201, continued)


@router.get(
    "/prescriptions/ending-soon",
    response={200: list[PrescriptionOut], **REFUSED},
    summary="Prescriptions ending within BEACON_OST_ENDING_SOON_DAYS (3) days with nothing "
    "to follow them",
)
def ending_soon(request: HttpRequest, q: str = ""):
    ensure_can(request.user, ENDING_SOON)
    prescriptions = selectors.prescriptions_ending_soon(
        user=request.user, today=timezone.localdate(), query=q[:100]
    )
    audit_request(
        request,
        action=Action.VIEW,
        detail=f"OST prescriptions ending soon, {len(prescriptions)} shown",
    )
    return prescriptions
