"""Reads of a driver's run sheet: their own round of one day, its stops, and the loader of
one of them; and delivery's answers to prescribing's questions about parcels.

Everything a driver reads loads through their own shift: another driver's round, another
day or another provider's stop is never found (a view then answers 404).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.models import User
from beacon.core.permissions import ensure_can
from beacon.delivery.models import DeliveryRound, DeliveryStop
from beacon.prescribing.models import Instalment, Prescription

DRIVE = "delivery.drive_round"


def delivery_today() -> datetime.date:
    """The day a driver's run sheet shows: today in the service's time zone."""
    return timezone.localdate()


def driver_round(*, user: User, date: datetime.date) -> DeliveryRound | None:
    if user.provider_id is None:
        return None
    return (
        user.provider.delivery_rounds.filter(date=date, shift__driver=user)
        .select_related("shift__vehicle")
        .first()
    )


def driver_stops(*, delivery_round: DeliveryRound) -> QuerySet[DeliveryStop]:
    """The round's stops the driver sees: not those held back before they left the base."""
    return (
        delivery_round.stops.exclude(
            Q(status=DeliveryStop.Status.HELD_BACK) & Q(handed_over_entry__isnull=True)
        )
        .select_related("client__delivery_details")
        .order_by("position", "id")
    )


def driver_stop_get(*, user: User, stop_id: int, permission: str = DRIVE) -> DeliveryStop:
    """A stop of the driver's own round of today, or 404 (another driver's, another day's,
    another provider's or a stop held back before they left are never found)."""
    ensure_can(user, permission)
    delivery_round = driver_round(user=user, date=delivery_today())
    stop = (
        driver_stops(delivery_round=delivery_round).filter(pk=stop_id).first()
        if delivery_round
        else None
    )
    if stop is None:
        raise Http404("No such stop on your round today")
    return stop


def handed_over_count(delivery_round: DeliveryRound) -> int:
    return delivery_round.stops.filter(handed_over_entry__isnull=False).count()


def round_progress(stops: Iterable[DeliveryStop]) -> dict:
    """Counts for the top of the run sheet."""
    stops = list(stops)
    done = [s for s in stops if s.status != DeliveryStop.Status.PLANNED]
    return {"total": len(stops), "done": len(done), "left": len(stops) - len(done)}


# --- Delivery's answers to prescribing's questions (beacon/prescribing/hooks.py) ----------


def instalments_out_for_supply(instalments: QuerySet[Instalment]) -> QuerySet[Instalment]:
    """Those of `instalments` whose parcel has left the cabinet with a driver and is not
    back: handed over, and still to deliver or held back and not yet returned."""
    return instalments.filter(
        Q(delivery_stop__status=DeliveryStop.Status.PLANNED)
        | Q(
            delivery_stop__status=DeliveryStop.Status.HELD_BACK,
            delivery_stop__returned_entry__isnull=True,
        ),
        delivery_stop__handed_over_entry__isnull=False,
    )


def instalments_to_keep(instalments: QuerySet[Instalment]) -> QuerySet[Instalment]:
    """Those of `instalments` whose record stays when a prescription ends early: a parcel
    was handed to a driver (and came back), so the register refers to its stop."""
    return instalments.filter(delivery_stop__handed_over_entry__isnull=False)


def parcels_to_make_up_again(
    *, prescription: Prescription, date: datetime.date
) -> list[tuple[str, User]]:
    """The prescription's parcels of `date` on a round and still in the cabinet (planned,
    not handed over), each with the coordinator who planned its round."""
    stops = DeliveryStop.objects.filter(
        instalment__prescription=prescription,
        instalment__outcome="",
        date=date,
        status=DeliveryStop.Status.PLANNED,
        handed_over_entry__isnull=True,
        round__isnull=False,
    ).select_related("round__planned_by")
    return [(stop.parcel_number, stop.round.planned_by) for stop in stops.order_by("id")]


def client_stops_on(*, client: Client, day: datetime.date) -> list[DeliveryStop]:
    """The client's delivery stops of `day` with their round's driver and their
    instalment's prescription (one query)."""
    return list(
        client.delivery_stops.filter(date=day)
        .select_related("round__shift__driver", "instalment__prescription")
        .order_by("id")
    )
