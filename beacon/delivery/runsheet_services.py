"""Writes of a delivery round on the day: parcels handed to the driver, each stop's
outcome, undelivered parcels returned to the cabinet.

Every parcel is accounted for in the controlled-drug register (services.py): the
coordinator hands a round's parcels to its driver (one "handed to driver" entry each);
the driver records each stop as delivered (a "delivered" entry naming who received it and
whether identity was asked for and shown, reg 19) or not delivered (not in, refused,
unsafe, wrong address); the coordinator records an undelivered parcel back in the cabinet
("returned undelivered"). End-of-day reconciliation then balances per driver.

A stop's outcome is also the instalment's outcome (prescribing.services), so a missed
delivery counts toward the missed-doses rule and a blocked prescription is never handed
over; a missed delivery alerts the client's keyworker and the prescriber at once.

Status moves only through STOP_TRANSITIONS. Each function is keyword-only, atomic,
raises a ValidationError naming the field, and audits.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.core.audit import Action, audit_record
from beacon.core.models import Alert
from beacon.core.services import alert_raise
from beacon.delivery import services as register
from beacon.delivery.models import DeliveryRound, DeliveryStop, RegisterEntry
from beacon.prescribing import services as prescribing
from beacon.prescribing.models import Instalment, Prescription

Status = DeliveryStop.Status
Kind = RegisterEntry.Kind

# The stop state machine: from each status, where it may go next.
STOP_TRANSITIONS = {
    Status.PLANNED: {Status.DELIVERED, Status.NOT_DELIVERED},
    Status.DELIVERED: set(),
    Status.NOT_DELIVERED: set(),
}

# What the driver answers about proof of identity → (asked for, shown), reg 19.
IDENTITY = {
    "shown": (True, True),
    "not_shown": (True, False),
    "not_asked": (False, False),
}


def delivery_today() -> datetime.date:
    """The day a driver's run sheet shows: today in the service's time zone."""
    return timezone.localdate()


def stop_move(stop: DeliveryStop, to: str) -> None:
    if to not in STOP_TRANSITIONS[stop.status]:
        raise ValidationError(
            f"Parcel {stop.parcel_number} is already recorded as "
            f"{stop.get_status_display().lower()}"
        )
    stop.status = to


def parcel_quantity(instalment: Instalment) -> Decimal:
    """The instalment in the register's unit: ml of a solution, tablets of a tablet."""
    medicine = instalment.prescription.medicine_info
    quantity = instalment.quantity / medicine.strength
    return quantity.quantize(Decimal("0.01"))


def _locked_stop(stop: DeliveryStop) -> DeliveryStop:
    return (
        DeliveryStop.objects.select_for_update()
        .select_related(
            "round__shift__driver",
            "round__planned_by",
            "client__keyworker",
            "instalment__prescription__prescriber",
        )
        .get(pk=stop.pk)
    )


def _audit(actor, stop: DeliveryStop, detail: str, request) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=stop,
        client=stop.client,
        detail=f"parcel {stop.parcel_number}: {detail}",
        request=request,
    )


def _check_on_drivers_round(actor, stop: DeliveryStop) -> None:
    if stop.round is None or stop.round.shift.driver_id != actor.pk:
        raise ValidationError("This parcel is not on your round")
    if stop.date != delivery_today():
        raise ValidationError("This parcel is not for today: a driver records today's round only")
    if stop.handed_over_entry_id is None:
        raise ValidationError(
            "This parcel has not been handed to you in the register: ask the coordinator"
        )


@transaction.atomic
def round_hand_over(*, actor, delivery_round: DeliveryRound, request=None) -> dict:
    """Record that the round's parcels left the cabinet with its driver, on the day.

    A parcel whose prescription is no longer active (suspended after missed doses, ended)
    stays in the cabinet and is named in `held_back`."""
    delivery_round = DeliveryRound.objects.select_for_update().get(pk=delivery_round.pk)
    if delivery_round.provider_id != actor.provider_id:
        raise ValidationError("This round belongs to another service")
    if delivery_round.date != delivery_today():
        raise ValidationError("Parcels are handed to the driver on the day of the round")
    driver = delivery_round.shift.driver
    stops = delivery_round.stops.filter(
        status=Status.PLANNED, handed_over_entry__isnull=True
    ).select_related("instalment__prescription")
    handed, held_back = [], []
    for stop in stops.order_by("position", "id"):
        prescription = stop.instalment.prescription
        if prescription.status != Prescription.Status.ACTIVE:
            held_back.append(stop.parcel_number)
            continue
        stop.handed_over_entry = register.register_movement_record(
            actor=actor,
            provider=actor.provider,
            medicine=prescription.medicine,
            data={
                "kind": Kind.HANDED_TO_DRIVER,
                "quantity": parcel_quantity(stop.instalment),
                "occurred_at": timezone.now(),
                "driver": driver,
                "notes": f"Parcel {stop.parcel_number}",
            },
            request=request,
        )
        stop.save(update_fields=["handed_over_entry"])
        handed.append(stop.parcel_number)
    if not handed and not held_back:
        raise ValidationError("Every parcel of this round is already handed over")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=delivery_round,
        detail=f"round {delivery_round.pk} handed to {driver.username}: {len(handed)} parcels"
        + (f", held back {', '.join(held_back)}" if held_back else ""),
        request=request,
    )
    return {"handed": handed, "held_back": held_back}


@transaction.atomic
def stop_delivered(*, actor, stop: DeliveryStop, data: dict, request=None) -> DeliveryStop:
    """The driver hands the parcel over: to the client or a named representative."""
    stop = _locked_stop(stop)
    _check_on_drivers_round(actor, stop)
    stop_move(stop, Status.DELIVERED)
    recipient = data.get("recipient") or ""
    if recipient not in RegisterEntry.Recipient.values:
        raise ValidationError({"recipient": "Say who received the parcel"})
    name = (data.get("representative_name") or "").strip()
    if recipient == RegisterEntry.Recipient.REPRESENTATIVE and not name:
        raise ValidationError({"representative_name": "Enter the name of the representative"})
    if data.get("identity") not in IDENTITY:
        raise ValidationError({"identity": "Say whether proof of identity was asked for and shown"})
    asked, shown = IDENTITY[data["identity"]]
    instalment = stop.instalment
    prescribing.instalment_record_outcome(
        actor=actor,
        instalment=instalment,
        data={
            "outcome": Instalment.Outcome.DELIVERED,
            "outcome_notes": f"Parcel {stop.parcel_number}",
        },
        request=request,
    )
    stop.delivered_entry = register.register_movement_record(
        actor=actor,
        provider=actor.provider,
        medicine=instalment.prescription.medicine,
        data={
            "kind": Kind.DELIVERED,
            "quantity": parcel_quantity(instalment),
            "occurred_at": timezone.now(),
            "driver": actor,
            "client": stop.client,
            "recipient": recipient,
            "representative_name": name
            if recipient == RegisterEntry.Recipient.REPRESENTATIVE
            else "",
            "identity_requested": asked,
            "identity_provided": shown,
            "notes": f"Parcel {stop.parcel_number}",
        },
        request=request,
    )
    stop.outcome_notes = (data.get("notes") or "").strip()
    stop.outcome_recorded_at = timezone.now()
    stop.outcome_recorded_by = actor
    stop.full_clean()
    stop.save()
    _audit(actor, stop, f"delivered to {RegisterEntry.Recipient(recipient).label.lower()}", request)
    return stop


def _missed_alerts(stop: DeliveryStop, reason_text: str, suspended: bool) -> list:
    client = stop.client
    prescription = stop.instalment.prescription
    title = f"Missed delivery: {client.full_name} ({client.client_number})"
    message = (
        f"Parcel {stop.parcel_number} was not delivered on {stop.date:%d %B %Y}: "
        f"{reason_text.lower()}. The dose counts as missed and is not supplied later."
    )
    if suspended:
        message += " Supply is now suspended until a prescriber reviews the prescription."
    # Without a keyworker, the coordinator who planned the round follows it up.
    keyworker = client.keyworker or stop.round.planned_by
    sent = alert_raise(
        provider=stop.provider,
        recipients=[keyworker],
        kind=Alert.Kind.MISSED_DELIVERY,
        title=title,
        message=message,
        client=client,
        link=reverse("clients:detail", kwargs={"client_number": client.client_number}),
    )
    if prescription.prescriber_id != keyworker.pk:
        sent += alert_raise(
            provider=stop.provider,
            recipients=[prescription.prescriber],
            kind=Alert.Kind.MISSED_DELIVERY,
            title=title,
            message=message,
            client=client,
            link=reverse("prescribing:detail", kwargs={"prescription_id": prescription.pk}),
        )
    return sent


@transaction.atomic
def stop_not_delivered(*, actor, stop: DeliveryStop, data: dict, request=None) -> DeliveryStop:
    """The driver could not hand the parcel over: the dose is missed, staff are alerted,
    the parcel goes back to the cabinet (stop_returned)."""
    stop = _locked_stop(stop)
    _check_on_drivers_round(actor, stop)
    stop_move(stop, Status.NOT_DELIVERED)
    reason = data.get("reason") or ""
    if reason not in DeliveryStop.NotDeliveredReason.values:
        raise ValidationError({"reason": "Say why the parcel was not delivered"})
    reason_text = DeliveryStop.NotDeliveredReason(reason).label
    notes = (data.get("notes") or "").strip()
    instalment = prescribing.instalment_record_outcome(
        actor=actor,
        instalment=stop.instalment,
        data={
            "outcome": Instalment.Outcome.MISSED,
            "outcome_notes": f"Home delivery not delivered ({reason_text.lower()})"
            + (f": {notes}" if notes else ""),
        },
        request=request,
    )
    stop.not_delivered_reason = reason
    stop.outcome_notes = notes
    stop.outcome_recorded_at = timezone.now()
    stop.outcome_recorded_by = actor
    stop.full_clean()
    stop.save()
    _audit(actor, stop, f"not delivered ({reason_text.lower()})", request)
    suspended = (
        Prescription.objects.filter(pk=instalment.prescription_id)
        .values_list("status", flat=True)
        .get()
        == Prescription.Status.SUSPENDED
    )
    _missed_alerts(stop, reason_text, suspended)
    return stop


@transaction.atomic
def stop_returned(*, actor, stop: DeliveryStop, request=None) -> DeliveryStop:
    """The coordinator takes an undelivered parcel back into the cabinet."""
    stop = _locked_stop(stop)
    if stop.provider_id != actor.provider_id:
        raise ValidationError("This parcel belongs to another service")
    if stop.status != Status.NOT_DELIVERED:
        raise ValidationError("Only an undelivered parcel comes back to the cabinet")
    if stop.returned_entry_id is not None:
        raise ValidationError(f"Parcel {stop.parcel_number} is already back in the cabinet")
    stop.returned_entry = register.register_movement_record(
        actor=actor,
        provider=actor.provider,
        medicine=stop.instalment.prescription.medicine,
        data={
            "kind": Kind.RETURNED,
            "quantity": parcel_quantity(stop.instalment),
            "occurred_at": timezone.now(),
            "driver": stop.round.shift.driver,
            "notes": f"Parcel {stop.parcel_number} "
            f"({stop.get_not_delivered_reason_display().lower()})",
        },
        request=request,
    )
    stop.save(update_fields=["returned_entry"])
    _audit(actor, stop, "returned to the cabinet", request)
    return stop
