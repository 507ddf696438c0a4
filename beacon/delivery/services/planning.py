"""Plan a delivery day: gather the day's home-delivery instalments and drivers' shifts,
ask the planner (beacon/delivery/routing) for rounds, and store them as DeliveryRound and
DeliveryStop rows, replacing any earlier plan of that day in one transaction.

A stop is left unassigned, with its reason, when the client has no delivery details or
no coordinates, or has children at home and no lockable box recorded
(selectors/setup.needs_lockable_box): those never reach the planner. The planner's own
reasons (no driver's shift can reach the window, not enough time) are stored too.

Parcel numbers are `YYMMDD-NNN`, unique per provider and date; an instalment keeps its
parcel number when the day is planned again. Re-planning discards a coordinator's
moves, and is refused once a parcel of the day has been handed to a driver
(services/runsheet.py).
Every write is audited.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import Alert, Provider, User
from beacon.core.services import alert_raise
from beacon.delivery.models import (
    ClientDeliveryDetails,
    DeliveryRound,
    DeliveryStop,
    DriverShift,
)
from beacon.delivery.routing import DeliveryProblem, Driver, Place, Stop, plan_day
from beacon.delivery.selectors import planning as selectors
from beacon.delivery.selectors.planning import depot
from beacon.delivery.selectors.setup import needs_lockable_box, shifts_on
from beacon.prescribing import services as prescribing
from beacon.prescribing.models import Instalment

SERVICE_MINUTES = 5
ANY_TIME = (datetime.time(0, 0), datetime.time(23, 59))

NO_DETAILS = "No delivery details recorded for this client"
NO_COORDINATES = "The client's delivery address has no map coordinates"
NO_LOCKABLE_BOX = "Children live at the home and no lockable box has been recorded"
NO_SHIFTS = "No driver has a shift on this day"
HANDED_OVER = "Parcels of this day are already handed to drivers: the plan can no longer change"


def why_not_deliverable(client: Client) -> str:
    """The reason this client's parcel cannot go on a round, or '' if it can."""
    details = ClientDeliveryDetails.objects.filter(client=client).first()
    if details is None:
        return NO_DETAILS
    if details.latitude is None or details.longitude is None:
        return NO_COORDINATES
    if needs_lockable_box(client):
        return NO_LOCKABLE_BOX
    return ""


def alert_staff(
    stop: DeliveryStop,
    *,
    title: str,
    message: str,
    kind: str = Alert.Kind.MISSED_DELIVERY,
    coordinator: User | None = None,
) -> list[Alert]:
    """Alert the client's keyworker (or, with none active, the coordinator who planned the
    round) and the prescriber, each with a link to the record they work from."""
    client = stop.client
    prescription = stop.instalment.prescription
    keyworker = client.keyworker
    if keyworker is None or not keyworker.is_active:
        keyworker = coordinator or stop.round.planned_by
    common: dict[str, Any] = {
        "provider": stop.provider,
        "kind": kind,
        "title": f"{title}: {client.full_name} ({client.client_number})",
        "message": message,
        "client": client,
    }
    sent = alert_raise(
        recipients=[keyworker],
        link=reverse("clients:detail", kwargs={"client_number": client.client_number}),
        **common,
    )
    if prescription.prescriber_id != keyworker.pk:
        sent += alert_raise(
            recipients=[prescription.prescriber],
            link=reverse("prescribing:detail", kwargs={"prescription_id": prescription.pk}),
            **common,
        )
    return sent


NOT_DELIVERED_BY_SERVICE = (
    "This is the service's failure, not the client's missed dose: it does not count toward "
    "their missed days. The dose can still be collected today at the base or a pharmacy: "
    "record it as collected on the prescription."
)


def alert_not_delivered_by_service(
    actor: User, stop: DeliveryStop, reason: str, origin: AuditOrigin | None
) -> None:
    """Mark the stop's dose as not delivered by the service (prescribing keeps it pending,
    suppliable today another way) and alert the keyworker and prescriber the same day."""
    prescribing.instalment_mark_not_delivered_by_service(
        actor=actor, instalment=stop.instalment, reason=reason, origin=origin
    )
    alert_staff(
        stop,
        title="Dose not delivered by the service",
        message=f"Parcel {stop.parcel_number} of {stop.date:%d %B %Y} will not be delivered: "
        f"{reason}. {NOT_DELIVERED_BY_SERVICE}",
        kind=Alert.Kind.NOT_DELIVERED_BY_SERVICE,
        coordinator=actor,
    )


@dataclass
class _Candidate:
    instalment: Instalment
    client: Client
    window: tuple[datetime.time, datetime.time]
    place: Place | None
    reason: str


def _candidates(provider: Provider, date: datetime.date) -> list[_Candidate]:
    found = []
    for instalment in selectors.instalments_for_delivery(provider=provider, date=date):
        client = instalment.prescription.client
        reason = why_not_deliverable(client)
        window, place = ANY_TIME, None
        if not reason:
            details = client.delivery_details
            window = (
                details.usually_in_from or ANY_TIME[0],
                details.usually_in_to or ANY_TIME[1],
            )
            place = Place(lat=float(details.latitude), lon=float(details.longitude))
        found.append(_Candidate(instalment, client, window, place, reason))
    return found


def _plan(
    candidates: list[_Candidate],
    shifts: list[DriverShift],
    *,
    seconds: float,
    iterations: int | None,
) -> tuple[dict[int | str, tuple[int | str, int, datetime.time]], dict[int | str, str]]:
    """{instalment id: (shift id, position, arrival)} and {instalment id: reason}."""
    # The planner names stops and drivers as it was given them (instalment and user ids).
    placed: dict[int | str, tuple[int | str, int, datetime.time]] = {}
    reasons: dict[int | str, str] = {c.instalment.pk: c.reason for c in candidates if c.reason}
    plannable = [c for c in candidates if not c.reason]
    if plannable and not shifts:
        reasons.update({c.instalment.pk: NO_SHIFTS for c in plannable})
    elif plannable:
        problem = DeliveryProblem(
            drivers=[
                Driver(id=s.pk, shift_start=s.start_time, shift_end=s.end_time) for s in shifts
            ],
            stops=[
                Stop(
                    id=c.instalment.pk,
                    window_start=c.window[0],
                    window_end=c.window[1],
                    service_minutes=SERVICE_MINUTES,
                    place=c.place,
                )
                for c in plannable
            ],
            depot=depot(),
        )
        plan = plan_day(problem, seconds=seconds, iterations=iterations)
        for route in plan.routes:
            for position, visit in enumerate(route.visits, start=1):
                placed[visit.stop_id] = (route.driver_id, position, visit.arrival)
        for left in plan.unassigned:
            reasons[left.stop_id] = left.reason
    return placed, reasons


def _unassigned_told(actor: User, stop: DeliveryStop, origin: AuditOrigin | None) -> None:
    """A stop the plan leaves unassigned is a dose the service fails to deliver: marked so
    (never the client's miss) and alerted when the plan is made, the same day or before;
    a re-plan alerts only a new reason, and clears the mark of a stop now on a round."""
    instalment = stop.instalment
    if stop.round_id is not None:
        if instalment.not_delivered_by_service:
            prescribing.instalment_mark_not_delivered_by_service(
                actor=actor, instalment=instalment, reason="", origin=origin
            )
        return
    reason = (
        f"not on a delivery round: {stop.unassigned_reason[:1].lower()}{stop.unassigned_reason[1:]}"
    )
    if instalment.not_delivered_by_service != reason[:300]:
        alert_not_delivered_by_service(actor, stop, reason, origin)


@transaction.atomic
def delivery_day_plan(
    *,
    actor: User,
    date: datetime.date,
    seconds: float = 2.0,
    iterations: int | None = None,
    origin: AuditOrigin | None = None,
) -> dict:
    """Plan (or re-plan) the actor's provider's deliveries on `date`; returns counts."""
    provider = Provider.objects.select_for_update().get(pk=actor.provider_id)
    if selectors.day_is_handed_over(provider=provider, date=date):
        raise ValidationError(HANDED_OVER)
    shifts = list(shifts_on(provider=provider, date=date))
    candidates = _candidates(provider, date)
    placed, reasons = _plan(candidates, shifts, seconds=seconds, iterations=iterations)

    previous = selectors.stops_on(provider=provider, date=date)
    parcel_numbers = dict(previous.values_list("instalment_id", "parcel_number"))
    # A parcel the coordinator held back stays held back, off any round.
    for held in previous.filter(status=DeliveryStop.Status.HELD_BACK):
        held.round, held.position, held.planned_arrival = None, None, None
        held.unassigned_reason = f"Held back: {held.held_back_reason}"[:300]
        held.save(update_fields=["round", "position", "planned_arrival", "unassigned_reason"])
    previous.exclude(status=DeliveryStop.Status.HELD_BACK).delete()
    selectors.rounds_on(provider=provider, date=date).delete()

    now = timezone.now()
    rounds: dict[int | str, DeliveryRound] = {}
    for shift in shifts:
        if any(p[0] == shift.pk for p in placed.values()):
            rounds[shift.pk] = DeliveryRound.objects.create(
                provider=provider, date=date, shift=shift, planned_at=now, planned_by=actor
            )
    used = {int(n.rsplit("-", 1)[1]) for n in parcel_numbers.values() if "-" in n}
    next_number = max(used, default=0) + 1
    for candidate in candidates:
        instalment_id = candidate.instalment.pk
        number = parcel_numbers.get(instalment_id)
        if number is None:
            number = f"{date:%y%m%d}-{next_number:03d}"
            next_number += 1
        shift_id, position, arrival = placed.get(instalment_id, (None, None, None))
        stop = DeliveryStop.objects.create(
            provider=provider,
            date=date,
            round=rounds.get(shift_id),
            instalment=candidate.instalment,
            client=candidate.client,
            position=position,
            planned_arrival=arrival,
            window_start=None if candidate.reason else candidate.window[0],
            window_end=None if candidate.reason else candidate.window[1],
            parcel_number=number,
            unassigned_reason="" if shift_id else reasons.get(instalment_id, NO_SHIFTS),
        )
        _unassigned_told(actor, stop, origin)
    summary = {
        "rounds": len(rounds),
        "stops": len(placed),
        "unassigned": len(candidates) - len(placed),
    }
    audit_record(
        actor=actor,
        action=Action.CREATE,
        detail=f"delivery plan for {date:%Y-%m-%d}: {summary['rounds']} rounds, "
        f"{summary['stops']} stops, {summary['unassigned']} unassigned",
        origin=origin,
    )
    return summary


@transaction.atomic
def delivery_stop_move(
    *,
    actor: User,
    stop: DeliveryStop,
    to_round: DeliveryRound,
    origin: AuditOrigin | None = None,
) -> DeliveryStop:
    """Move a stop to the end of another round of the same day. Its planned arrival is
    cleared (plan the day again to re-time it). A stop left out for safety or missing
    details cannot be put on a round."""
    provider_id = actor.provider_id
    # The same lock as planning and hand-over: the stop is read again under it.
    Provider.objects.select_for_update().filter(pk=provider_id).first()
    stop = (
        DeliveryStop.objects.select_for_update(of=("self",)).select_related("round").get(pk=stop.pk)
    )
    if stop.provider_id != provider_id or to_round.provider_id != provider_id:
        raise ValidationError("This stop or round belongs to another service")
    if to_round.date != stop.date:
        raise ValidationError({"round": "Choose a round on the same day as the stop"})
    if stop.handed_over_entry_id is not None or stop.status != DeliveryStop.Status.PLANNED:
        raise ValidationError(
            {"stop": "This parcel is already handed over or recorded: it cannot move"}
        )
    if to_round.pk == stop.round_id:
        raise ValidationError({"round": "The stop is already on this round"})
    if reason := why_not_deliverable(stop.client):
        raise ValidationError({"round": f"This stop cannot go on a round: {reason}"})
    DeliveryRound.objects.select_for_update().filter(pk=to_round.pk).first()
    last = to_round.stops.order_by("-position").values_list("position", flat=True).first()
    from_round = stop.round
    stop.round = to_round
    stop.position = (last or 0) + 1
    stop.planned_arrival = None
    stop.unassigned_reason = ""
    stop.save(update_fields=["round", "position", "planned_arrival", "unassigned_reason"])
    if from_round is not None:
        for position, other in enumerate(from_round.stops.order_by("position", "id"), start=1):
            if other.position != position:
                other.position = position
                other.save(update_fields=["position"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=stop,
        client=stop.client,
        detail=f"delivery stop {stop.parcel_number} moved to round {to_round.pk}",
        origin=origin,
    )
    return stop
