"""Pharmacy endpoints of the JSON API: a pharmacist's token reads the instalments due at
their pharmacy, records what happened to one, and leaves the prescriber a message, so a
pharmacy's own patient medication record system can integrate.

The same rules as the pages: the selectors (another pharmacy's instalment is a 404), the
services (prescribing's one path for the outcome), the same audit.
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from beacon.core.api import role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.schemas import INVALID, REFUSED
from beacon.pharmacy import presenters, selectors, services
from beacon.pharmacy.rules import DISPENSE
from beacon.pharmacy.schemas import (
    DueListOut,
    DueOut,
    MessageIn,
    MessageOut,
    PharmacySupplyIn,
    PharmacySupplyOut,
)
from beacon.prescribing.medicines import Form
from beacon.prescribing.models import Prescription

router = Router(tags=["pharmacy"])


def _due_out(row: selectors.DueInstalment) -> DueOut:
    instalment = row.instalment
    prescription = instalment.prescription
    medicine = prescription.medicine_info
    return DueOut(
        id=instalment.pk,
        date=instalment.date,
        covers_days=instalment.covers_days,
        client_name=prescription.client.full_name,
        date_of_birth=prescription.client.date_of_birth,
        medicine=medicine.name,
        form=Form(medicine.form).label,
        strength=medicine.strength_text,
        quantity=instalment.quantity,
        quantity_unit=instalment.quantity_unit,
        amount=presenters.amount_text(instalment),
        supervised=instalment.supervised,
        instalment_wording=presenters.wording(instalment),
        do_not_supply=row.do_not_supply and not instalment.outcome,
        status=presenters.status_text(row),
    )


@router.get(
    "/due",
    response={200: DueListOut, **REFUSED},
    summary="The instalments due at the pharmacist's pharmacy today and in the next days",
)
def due(request: HttpRequest):
    pharmacy = selectors.user_pharmacy(user=request.user)
    rows = selectors.instalments_due(user=request.user, today=timezone.localdate())
    audit_request(request, action=Action.VIEW, detail=f"instalments due at {pharmacy}")
    return DueListOut(
        pharmacy=pharmacy.name,
        identity_prompt=presenters.IDENTITY_PROMPT,
        instalments=[_due_out(row) for row in rows],
    )


@router.post(
    "/instalments/{int:instalment_id}/supply",
    response={201: PharmacySupplyOut, **INVALID},
    summary="What happened to an instalment: supplied (supervised, take home, to a named "
    "representative, remaining days), not collected, or refused with a reason",
    auth=role_gate(DISPENSE),
)
def supply(request: HttpRequest, instalment_id: int, payload: PharmacySupplyIn):
    instalment = selectors.pharmacy_instalment_get(user=request.user, instalment_id=instalment_id)
    record = services.pharmacy_supply_record(
        actor=request.user,
        instalment=instalment,
        data=payload.model_dump(),
        origin=audit_origin(request),
    )
    # The instalment prescribing returned carries its prescription as the outcome left it.
    status = record.instalment.prescription.status
    return Status(
        201,
        PharmacySupplyOut(
            id=record.pk,
            instalment_id=instalment.pk,
            supply=record.supply,
            outcome=record.instalment.outcome,
            prescription_suspended=status == Prescription.Status.SUSPENDED,
        ),
    )


@router.post(
    "/instalments/{int:instalment_id}/messages",
    response={201: MessageOut, **INVALID},
    summary="A message to the prescriber about an instalment",
    auth=role_gate(DISPENSE),
)
def message(request: HttpRequest, instalment_id: int, payload: MessageIn):
    instalment = selectors.pharmacy_instalment_get(user=request.user, instalment_id=instalment_id)
    sent = services.pharmacy_message_leave(
        actor=request.user,
        instalment=instalment,
        data=payload.model_dump(),
        origin=audit_origin(request),
    )
    return Status(201, MessageOut(id=sent.pk, instalment_id=instalment.pk))
