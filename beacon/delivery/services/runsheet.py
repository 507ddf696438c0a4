"""Writes of a delivery round on the day: parcels handed to the driver, each stop's
outcome, parcels held back, undelivered parcels returned to the cabinet.

Every parcel is accounted for in the controlled-drug register (services/register.py): the
coordinator hands a round's parcels to its driver (one "handed to driver" entry each);
the driver records each stop as delivered (a "delivered" entry naming who received it and
whether identity was asked for and shown, reg 19) or not delivered (not in, refused,
unsafe, wrong address); the coordinator records an undelivered parcel back in the cabinet
("returned undelivered", the quantity handed out). End-of-day reconciliation then
balances per driver.

A parcel whose supply has stopped (prescription ended or suspended after missed doses,
the dose already recorded, no lockable box in a home with children, part tablets) is
**held back**: at hand-over it stays in the cabinet; at the door the driver is told only
not to deliver it and to bring it back (never why: drivers see no clinical detail). The
coordinator can also hold back a parcel (a driver off sick, a client in hospital). Staff
are alerted either way.

A stop's outcome is also the instalment's outcome (prescribing.services), so a missed
delivery counts toward the missed-doses rule; a missed delivery alerts the client's
keyworker and the prescriber at once.

Status moves only through STOP_STATES. Each function is keyword-only, atomic, raises a
ValidationError naming the field, and audits. `prescription_dose_changed_today` is
delivery's answer to prescribing's `dose_changed_today` hook (registered in apps.py).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import Alert, Provider, User
from beacon.core.presenters import quantity_text
from beacon.core.services import alert_raise
from beacon.core.states import StateMachine
from beacon.delivery.models import DeliveryRound, DeliveryStop, RegisterEntry, parcel_quantity
from beacon.delivery.selectors.register import delivery_stock_site
from beacon.delivery.selectors.runsheet import (
    delivery_today,
    handed_over_count,
    parcels_to_make_up_again,
)
from beacon.delivery.services import register
from beacon.delivery.services.planning import (
    alert_not_delivered_by_service,
    alert_staff,
    why_not_deliverable,
)
from beacon.prescribing import safety
from beacon.prescribing import services as prescribing
from beacon.prescribing.medicines import Form
from beacon.prescribing.models import Instalment, Prescription

Status = DeliveryStop.Status
Kind = RegisterEntry.Kind


def _already_recorded(stop: DeliveryStop, to: str) -> str:
    return f"Parcel {stop.parcel_number} is already recorded as {stop.get_status_display().lower()}"


# The stop state machine: an outcome is recorded once.
STOP_STATES = StateMachine(
    Status,
    {
        Status.PLANNED: {Status.DELIVERED, Status.NOT_DELIVERED, Status.HELD_BACK},
        Status.DELIVERED: set(),
        Status.NOT_DELIVERED: set(),
        Status.HELD_BACK: set(),
    },
    refusal=_already_recorded,
)

# What the driver answers about proof of identity → (asked for, shown), reg 19.
IDENTITY = {
    "shown": (True, True),
    "not_shown": (True, False),
    "not_asked": (False, False),
}

# Who may take a parcel at the door: the client or a named representative (a healthcare
# professional collecting is recorded on the register page, with their name and address).
DOOR_RECIPIENTS = (RegisterEntry.Recipient.CLIENT, RegisterEntry.Recipient.REPRESENTATIVE)

# A refusal or an unsafe doorstep may be a safeguarding matter: the driver says what
# happened, and the alert is marked urgent.
NEEDS_NOTES: dict[str, str] = {
    DeliveryStop.NotDeliveredReason.REFUSED: "Say what happened when the parcel was refused",
    DeliveryStop.NotDeliveredReason.UNSAFE: "Say what made it unsafe to deliver",
}

DO_NOT_DELIVER = (
    "Do not deliver this parcel: bring it back to the base. The coordinator has been told."
)


def stop_move(stop: DeliveryStop, to: str) -> None:
    """Move the stop's status (saved later, with its outcome, by _outcome_saved)."""
    STOP_STATES.move(stop, to, save=False)


def supply_stopped_reason(stop: DeliveryStop) -> str:
    """Why this parcel must not go out (for staff, never for the driver), or ''."""
    return supply_stopped_clinically(stop) or service_cannot_deliver(stop)


def supply_stopped_clinically(stop: DeliveryStop) -> str:
    """The prescription no longer allows this supply (not active, missed days, the dose
    already recorded), or ''."""
    instalment = stop.instalment
    prescription = instalment.prescription
    state = prescription.state_on(instalment.date)
    if state != Prescription.State.ACTIVE:
        return f"the prescription is {state.label.lower()}"
    try:
        safety.check_outcome(instalment, Instalment.Outcome.DELIVERED, today=delivery_today())
    except ValidationError as exc:
        return " ".join(exc.messages).lower()
    return ""


def service_cannot_deliver(stop: DeliveryStop) -> str:
    """The service cannot deliver this parcel safely (no lockable box, part tablets), or ''.
    Its failure, not the client's miss (hazard log H-53)."""
    instalment = stop.instalment
    if reason := why_not_deliverable(stop.client):
        return reason.lower()
    quantity = parcel_quantity(instalment)
    if (
        instalment.prescription.medicine_info.form == Form.SUBLINGUAL_TABLET
        and quantity != quantity.to_integral_value()
    ):
        return "the dose is not a whole number of tablets"
    return ""


def _locked_stop(stop: DeliveryStop) -> DeliveryStop:
    return (
        DeliveryStop.objects.select_for_update(of=("self",))
        .select_related(
            "round__shift__driver",
            "round__planned_by",
            "client__keyworker",
            "instalment__prescription__prescriber",
            "handed_over_entry__site",
        )
        .get(pk=stop.pk)
    )


def recorded_at(stop: DeliveryStop, data: dict) -> datetime.datetime:
    """When the driver recorded the outcome at the door (H-283): `data["recorded_at"]`, the
    time the phone kept while the outcome waited for a signal (core/offline.js), so the
    register's entry and the stop say when the parcel was handed over, not when the signal
    came back. A phone's clock is believed only between the parcel's hand-over and now;
    outside that (or without one) the time is taken as now, or the hand-over's."""
    now = timezone.now()
    at = data.get("recorded_at")
    if not isinstance(at, datetime.datetime):
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    handed_over = stop.handed_over_entry.occurred_at if stop.handed_over_entry_id else None
    if handed_over is not None and at < handed_over:
        at = handed_over
    return min(at, now)


def _outcome_saved(
    actor: User,
    stop: DeliveryStop,
    detail: str,
    origin: AuditOrigin | None,
    at: datetime.datetime | None = None,
) -> None:
    """Save the stop's new status with who recorded it and when (`at`, now unless the
    driver's phone kept it), and audit it."""
    stop.outcome_recorded_at = at or timezone.now()
    stop.outcome_recorded_by = actor
    stop.full_clean()
    stop.save()
    _audit(actor, stop, detail, origin)


def _audit(actor: User, stop: DeliveryStop, detail: str, origin: AuditOrigin | None) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=stop,
        client=stop.client,
        detail=f"parcel {stop.parcel_number}: {detail}",
        origin=origin,
    )


def _hold_back(
    actor: User,
    stop: DeliveryStop,
    reason: str,
    origin: AuditOrigin | None,
    *,
    by_service: bool,
) -> DeliveryStop:
    """Keep the parcel back. `by_service`: the service's failure (a coordinator's recall,
    no lockable box), not counted as the client's miss; otherwise supply stopped for a
    clinical reason and a dose still due is recorded as missed."""
    stop_move(stop, Status.HELD_BACK)
    stop.held_back_reason = reason[:300]
    _outcome_saved(actor, stop, f"held back: {reason}", origin)
    with_driver = stop.handed_over_entry_id is not None
    back = " The driver is bringing it back to the base." if with_driver else ""
    if by_service:
        alert_not_delivered_by_service(actor, stop, reason + "." + back, origin)
        return stop
    missed = _record_missed(actor, stop, f"Home delivery held back: {reason}", origin)
    alert_staff(
        stop,
        title="Delivery held back",
        message=f"Parcel {stop.parcel_number} of {stop.date:%d %B %Y} will not be delivered: "
        f"{reason}."
        + back
        + (
            " The dose counts as missed and is not supplied later."
            + (
                " Supply is now suspended until a prescriber reviews."
                if missed == "suspended"
                else ""
            )
            if missed
            else ""
        ),
    )
    return stop


def _record_missed(actor: User, stop: DeliveryStop, notes: str, origin: AuditOrigin | None) -> str:
    """Record the stop's dose as missed (so it counts toward the missed-doses rule and is
    never supplied later): 'missed', 'suspended' when that suspended supply, or '' when the
    dose is no longer due (prescription ended, dose already recorded)."""
    try:
        prescribing.instalment_record_outcome(
            actor=actor,
            instalment=stop.instalment,
            data={"outcome": Instalment.Outcome.MISSED, "outcome_notes": notes[:1000]},
            origin=origin,
        )
    except ValidationError:
        return ""
    status = (
        Prescription.objects.filter(pk=stop.instalment.prescription_id)
        .values_list("status", flat=True)
        .get()
    )
    return "suspended" if status == Prescription.Status.SUSPENDED else "missed"


def _check_on_drivers_round(actor: User, stop: DeliveryStop) -> None:
    if stop.round is None or stop.round.shift.driver_id != actor.pk:
        raise ValidationError("This parcel is not on your round")
    if stop.date != delivery_today():
        raise ValidationError("This parcel is not for today: a driver records today's round only")
    if stop.handed_over_entry_id is None:
        raise ValidationError(
            "This parcel has not been handed to you in the register: ask the coordinator"
        )
    if stop.status == Status.HELD_BACK:
        raise ValidationError(DO_NOT_DELIVER)
    if stop.round.receipt_confirmed_parcels != handed_over_count(stop.round):
        raise ValidationError(
            "Check the parcels you were handed and confirm them on your round first"
        )


@transaction.atomic
def round_receipt_confirm(
    *,
    actor: User,
    delivery_round: DeliveryRound,
    data: dict,
    origin: AuditOrigin | None = None,
) -> int:
    """The driver confirms the parcels they checked (`data["parcels"]`, parcel numbers) are
    every parcel handed to them so far (the second person's check of the hand-over);
    returns how many. Parcels handed over later need confirming again."""
    delivery_round = (
        DeliveryRound.objects.select_for_update(of=("self",))
        .select_related("shift")
        .get(pk=delivery_round.pk)
    )
    if delivery_round.shift.driver_id != actor.pk:
        raise ValidationError("This is not your round")
    if delivery_round.date != delivery_today():
        raise ValidationError("Parcels are confirmed on the day of the round")
    handed = set(
        delivery_round.stops.filter(handed_over_entry__isnull=False).values_list(
            "parcel_number", flat=True
        )
    )
    count = len(handed)
    if count == 0:
        raise ValidationError("No parcels have been handed to you yet")
    if count == delivery_round.receipt_confirmed_parcels:
        raise ValidationError(f"You have already confirmed these {count} parcels")
    checked = {str(number).strip() for number in data.get("parcels") or []}
    if checked != handed:
        # Never the expected numbers: the check is worth something only if the driver
        # reads them off the parcels in their hands.
        raise ValidationError(
            {
                "parcels": "The parcels you ticked do not match the parcels handed to you: "
                f"check them again. You should have {count} parcel{'s' if count != 1 else ''}."
            }
        )
    delivery_round.receipt_confirmed_parcels = count
    delivery_round.receipt_confirmed_at = timezone.now()
    delivery_round.save(update_fields=["receipt_confirmed_parcels", "receipt_confirmed_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=delivery_round,
        detail=f"driver confirmed receipt of {count} parcels on round {delivery_round.pk}",
        origin=origin,
    )
    return count


def _parcels_chosen(data: dict | None, waiting: set[str]) -> set[str]:
    """The parcel numbers the coordinator confirmed handing over (`data["parcels"]`), each
    one still waiting for this driver; without `data`, every parcel waiting."""
    if data is None:
        return waiting
    chosen = {str(number).strip() for number in data.get("parcels") or [] if str(number).strip()}
    if not chosen:
        raise ValidationError({"parcels": "Tick each parcel as you hand it to the driver"})
    if gone := sorted(chosen - waiting):
        listed = ", ".join(gone)
        raise ValidationError(
            {
                "parcels": f"Parcel{'s' if len(gone) > 1 else ''} {listed} "
                f"{'are' if len(gone) > 1 else 'is'} no longer waiting for this driver (moved, "
                "held back or handed over meanwhile): nothing was recorded. Check the parcels "
                "on the page again."
            }
        )
    return chosen


@transaction.atomic
def round_hand_over(
    *,
    actor: User,
    delivery_round: DeliveryRound,
    data: dict | None = None,
    origin: AuditOrigin | None = None,
) -> dict:
    """Record that the round's parcels left the cabinet with its driver, on the day.

    `data["parcels"]`: the parcel numbers the coordinator ticked as they handed each over
    (the first person's check of the hand-over, as the driver's receipt is the second);
    every one must still be waiting for this driver, or nothing is recorded. Parcels not
    ticked stay in the cabinet for a later hand-over. Without `data`, every parcel waiting.
    A parcel whose supply has stopped stays in the cabinet, held back with its reason.
    The provider is locked first, as planning does, so a re-plan or a move never runs
    beside a hand-over."""
    Provider.objects.select_for_update().filter(pk=actor.provider_id).first()
    delivery_round = (
        DeliveryRound.objects.select_for_update(of=("self",))
        .select_related("shift__driver")
        .filter(pk=delivery_round.pk)
        .first()
    )
    if delivery_round is None:
        raise ValidationError("The day was planned again meanwhile: open it again")
    if delivery_round.provider_id != actor.provider_id:
        raise ValidationError("This round belongs to another service")
    if delivery_round.date != delivery_today():
        raise ValidationError("Parcels are handed to the driver on the day of the round")
    driver = delivery_round.shift.driver
    # Reg 20: the parcels leave the register of the site they are made up at.
    site = delivery_stock_site(provider=delivery_round.provider)
    if site is None:
        raise ValidationError(
            "Choose the site that holds the delivery stock in the delivery set-up first"
        )
    stops = delivery_round.stops.filter(status=Status.PLANNED, handed_over_entry__isnull=True)
    chosen = _parcels_chosen(data, set(stops.values_list("parcel_number", flat=True)))
    handed, held_back = [], []
    for stop in stops.filter(parcel_number__in=chosen).order_by("position", "id"):
        stop = _locked_stop(stop)
        if stop.status != Status.PLANNED or stop.handed_over_entry_id is not None:
            continue  # held back or handed over meanwhile
        clinical = supply_stopped_clinically(stop)
        if reason := clinical or service_cannot_deliver(stop):
            _hold_back(actor, stop, reason, origin, by_service=not clinical)
            held_back.append({"parcel_number": stop.parcel_number, "reason": reason})
            continue
        stop.handed_over_entry = register.register_movement_record(
            actor=actor,
            provider=actor.provider,
            site=site,
            medicine=stop.instalment.prescription.medicine,
            data={
                "kind": Kind.HANDED_TO_DRIVER,
                "quantity": parcel_quantity(stop.instalment),
                "occurred_at": timezone.now(),
                "driver": driver,
                "notes": f"Parcel {stop.parcel_number}",
            },
            origin=origin,
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
        + (f", {len(held_back)} held back" if held_back else ""),
        origin=origin,
    )
    return {"handed": handed, "held_back": held_back}


@transaction.atomic
def stop_hold_back(
    *, actor: User, stop: DeliveryStop, data: dict, origin: AuditOrigin | None = None
) -> DeliveryStop:
    """The coordinator stops a parcel going out (or recalls it from the driver)."""
    Provider.objects.select_for_update().filter(pk=actor.provider_id).first()
    stop = _locked_stop(stop)
    if stop.provider_id != actor.provider_id:
        raise ValidationError("This parcel belongs to another service")
    if stop.round is None:
        raise ValidationError("This stop is not on a round: it is not going out anyway")
    if stop.date != delivery_today():
        raise ValidationError(
            "A parcel is held back on its day; for a later day, the prescriber changes or "
            "ends the prescription"
        )
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the parcel is held back"})
    # A recall (a driver off sick, a round stopped) is the service's failure, unless the
    # coordinator says the reason is the client's (in hospital).
    by_client = bool(data.get("missed_by_client"))
    return _hold_back(actor, stop, reason, origin, by_service=not by_client)


def _stopped_at_the_door(
    actor: User, stop: DeliveryStop, origin: AuditOrigin | None
) -> DeliveryStop | None:
    """Supply stopped since hand-over: hold the parcel back (the driver brings it back)."""
    clinical = supply_stopped_clinically(stop)
    if reason := clinical or service_cannot_deliver(stop):
        return _hold_back(
            actor, stop, f"stopped at the door, {reason}", origin, by_service=not clinical
        )
    return None


@transaction.atomic
def stop_delivered(
    *, actor: User, stop: DeliveryStop, data: dict, origin: AuditOrigin | None = None
) -> DeliveryStop:
    """The driver hands the parcel over: to the client or a named representative. When the
    supply has stopped since hand-over, the stop is held back instead (status held_back)."""
    stop = _locked_stop(stop)
    _check_on_drivers_round(actor, stop)
    if stopped := _stopped_at_the_door(actor, stop, origin):
        return stopped
    stop_move(stop, Status.DELIVERED)
    recipient = data.get("recipient") or ""
    if recipient not in DOOR_RECIPIENTS:
        raise ValidationError({"recipient": "Say who received the parcel"})
    name = (data.get("representative_name") or "").strip()
    representative = recipient == RegisterEntry.Recipient.REPRESENTATIVE
    if representative and not name:
        raise ValidationError({"representative_name": "Enter the name of the representative"})
    details = getattr(stop.client, "delivery_details", None)
    allowed = details.representative_names if details else []
    if (
        representative
        and allowed
        and " ".join(name.split()).lower() not in {" ".join(n.split()).lower() for n in allowed}
    ):
        raise ValidationError(
            {
                "representative_name": f"{name} is not one of the people the client agreed may "
                f"take a parcel ({', '.join(allowed)}): do not hand it over; call the coordinator"
            }
        )
    if data.get("identity") not in IDENTITY:
        raise ValidationError({"identity": "Say whether proof of identity was asked for and shown"})
    asked, shown = IDENTITY[data["identity"]]
    at = recorded_at(stop, data)
    instalment = stop.instalment
    prescribing.instalment_record_outcome(
        actor=actor,
        instalment=instalment,
        data={
            "outcome": Instalment.Outcome.DELIVERED,
            "outcome_notes": f"Parcel {stop.parcel_number}",
        },
        origin=origin,
        recorded_at=at,
    )
    stop.delivered_entry = register.register_movement_record(
        actor=actor,
        provider=actor.provider,
        # The supply is entered in the register of the site the parcel left.
        site=stop.handed_over_entry.site,
        medicine=instalment.prescription.medicine,
        data={
            "kind": Kind.DELIVERED,
            # What left the cabinet is what the client received.
            "quantity": stop.handed_over_entry.quantity,
            "occurred_at": at,
            "driver": actor,
            "client": stop.client,
            "prescriber": instalment.prescription.prescriber,
            "recipient": recipient,
            "representative_name": name if representative else "",
            "identity_requested": asked,
            "identity_provided": shown,
            "notes": f"Parcel {stop.parcel_number}",
        },
        origin=origin,
    )
    stop.outcome_notes = (data.get("notes") or "").strip()
    _outcome_saved(
        actor,
        stop,
        f"delivered to {RegisterEntry.Recipient(recipient).label.lower()}",
        origin,
        at,
    )
    return stop


@transaction.atomic
def stop_not_delivered(
    *, actor: User, stop: DeliveryStop, data: dict, origin: AuditOrigin | None = None
) -> DeliveryStop:
    """The driver could not hand the parcel over: the dose is missed, staff are alerted,
    the parcel goes back to the cabinet (stop_returned)."""
    stop = _locked_stop(stop)
    _check_on_drivers_round(actor, stop)
    if stopped := _stopped_at_the_door(actor, stop, origin):
        return stopped
    stop_move(stop, Status.NOT_DELIVERED)
    reason = data.get("reason") or ""
    if reason not in DeliveryStop.NotDeliveredReason.values:
        raise ValidationError({"reason": "Say why the parcel was not delivered"})
    reason_text = DeliveryStop.NotDeliveredReason(reason).label
    notes = (data.get("notes") or "").strip()
    if reason in NEEDS_NOTES and not notes:
        raise ValidationError({"notes": NEEDS_NOTES[reason]})
    not_in = reason == DeliveryStop.NotDeliveredReason.NOT_IN
    at = recorded_at(stop, data)
    now = timezone.localtime(at).time()
    too_early = stop.window_start and now < stop.window_start
    if not_in and too_early and now < stop.round.shift.end_time:
        raise ValidationError(
            {
                "reason": f"The client is usually in from {stop.window_start:%H:%M}: "
                "try again then before recording them as not in"
            }
        )
    prescribing.instalment_record_outcome(
        actor=actor,
        instalment=stop.instalment,
        data={
            "outcome": Instalment.Outcome.MISSED,
            "outcome_notes": (
                f"Home delivery not delivered ({reason_text.lower()})"
                + (f": {notes}" if notes else "")
            )[:1000],
        },
        origin=origin,
        recorded_at=at,
    )
    stop.not_delivered_reason = reason
    stop.outcome_notes = notes
    _outcome_saved(actor, stop, f"not delivered ({reason_text.lower()})", origin, at)
    suspended = (
        Prescription.objects.filter(pk=stop.instalment.prescription_id)
        .values_list("status", flat=True)
        .get()
        == Prescription.Status.SUSPENDED
    )
    message = (
        f"Parcel {stop.parcel_number} was not delivered on {stop.date:%d %B %Y}: "
        f"{reason_text.lower()}"
        + (f" ({notes})" if notes else "")
        + ". The dose counts as missed and is not supplied later."
    )
    if suspended:
        message += " Supply is now suspended until a prescriber reviews the prescription."
    urgent = reason in NEEDS_NOTES
    alert_staff(
        stop, title="Urgent: missed delivery" if urgent else "Missed delivery", message=message
    )
    return stop


@transaction.atomic
def stop_returned(
    *, actor: User, stop: DeliveryStop, origin: AuditOrigin | None = None
) -> DeliveryStop:
    """The coordinator takes a parcel that was not delivered back into the cabinet."""
    stop = _locked_stop(stop)
    if stop.provider_id != actor.provider_id:
        raise ValidationError("This parcel belongs to another service")
    if stop.status not in (Status.NOT_DELIVERED, Status.HELD_BACK):
        raise ValidationError("Only a parcel that was not delivered comes back to the cabinet")
    if stop.handed_over_entry_id is None:
        raise ValidationError(f"Parcel {stop.parcel_number} never left the cabinet")
    if stop.returned_entry_id is not None:
        raise ValidationError(f"Parcel {stop.parcel_number} is already back in the cabinet")
    why = (
        stop.get_not_delivered_reason_display().lower()
        if stop.status == Status.NOT_DELIVERED
        else f"held back: {stop.held_back_reason}"
    )
    stop.returned_entry = register.register_movement_record(
        actor=actor,
        provider=actor.provider,
        # Back into the cabinet it left.
        site=stop.handed_over_entry.site,
        medicine=stop.instalment.prescription.medicine,
        data={
            "kind": Kind.RETURNED,
            "quantity": stop.handed_over_entry.quantity,
            "occurred_at": timezone.now(),
            "driver": stop.round.shift.driver,
            "notes": f"Parcel {stop.parcel_number} ({why})",
        },
        origin=origin,
    )
    stop.save(update_fields=["returned_entry"])
    _audit(actor, stop, "returned to the cabinet", origin)
    return stop


def run_sheet_read_record(
    *,
    actor: User,
    stops: list[DeliveryStop],
    date: datetime.date,
    origin: AuditOrigin | None = None,
) -> None:
    """Audit a driver reading their run sheet: one entry per client shown (whose name and
    address they saw), or one for an empty sheet."""
    for stop in stops:
        audit_record(
            actor=actor,
            action=Action.VIEW,
            obj=stop,
            client=stop.client,
            detail=f"run sheet {date:%Y-%m-%d}, parcel {stop.parcel_number}",
            origin=origin,
        )
    if not stops:
        audit_record(
            actor=actor, action=Action.VIEW, detail=f"run sheet {date:%Y-%m-%d}", origin=origin
        )


def prescription_dose_changed_today(
    *, prescription: Prescription, dose: Decimal, on: datetime.date
) -> None:
    """Prescribing's `dose_changed_today` hook: today's home-delivery parcel, planned but
    still in the cabinet, may already be made up at the old dose: alert the coordinator
    who planned its round to make it up again. `on` is the day the new dose starts."""
    today = timezone.localdate()
    if on > today:
        return
    for parcel_number, coordinator in parcels_to_make_up_again(
        prescription=prescription, date=today
    ):
        alert_raise(
            provider=prescription.provider,
            recipients=[coordinator],
            kind=Alert.Kind.PARCEL_CHANGED,
            title=f"Parcel {parcel_number}: the dose changed today",
            message=f"The prescriber changed the dose to {quantity_text(dose, 'mg')} from today. "
            f"If parcel {parcel_number} is already made up, make it up again before it is "
            "handed to the driver: the register records the new quantity.",
            client=prescription.client,
            link=reverse("delivery:day", kwargs={"day": today.isoformat()}),
        )
