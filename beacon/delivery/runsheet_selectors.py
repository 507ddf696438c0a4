"""Reads of a driver's run sheet: their own round of one day, and its stops.

Everything loads through the driver's own shift: another driver's round, another day or
another provider's stop is never found (a view then answers 404).
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from beacon.delivery.models import DeliveryRound, DeliveryStop


def delivery_today() -> datetime.date:
    """The day a driver's run sheet shows: today in the service's time zone."""
    return timezone.localdate()


def driver_round(*, user, date: datetime.date) -> DeliveryRound | None:
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


def driver_stop_get(*, user, date: datetime.date, stop_id: int) -> DeliveryStop | None:
    delivery_round = driver_round(user=user, date=date)
    if delivery_round is None:
        return None
    return driver_stops(delivery_round=delivery_round).filter(pk=stop_id).first()


def round_progress(stops) -> dict:
    """Counts for the top of the run sheet."""
    stops = list(stops)
    done = [s for s in stops if s.status != DeliveryStop.Status.PLANNED]
    return {"total": len(stops), "done": len(done), "left": len(stops) - len(done)}
