"""Reads of delivery planning: what is due for home delivery on a day, the day's plan, the
depot rounds start from, and the loaders of a round and of a stop.

Everything loads through the provider, so another provider's rounds, stops and instalments
are never seen.
"""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from beacon.core.models import Provider, User
from beacon.core.permissions import ensure_can
from beacon.delivery.models import DeliveryRound, DeliveryStop
from beacon.delivery.routing import Place
from beacon.delivery.selectors.register import delivery_stock_site
from beacon.prescribing.models import Instalment, Prescription

KEEP = "delivery.keep_register"
# Leeds city centre, near the demo service's Harbour Street hub (LS1), used when the
# BEACON_DELIVERY_DEPOT_LAT/LON settings are absent.
DEFAULT_DEPOT = (53.7997, -1.5492)


def depot_name(*, provider: Provider) -> str:
    """What the round map calls the depot: the site holding the delivery stock, whose
    cabinet the parcels leave from, or "Depot" while that is not clear."""
    site = delivery_stock_site(provider=provider)
    return site.name if site is not None else "Depot"


def depot() -> Place:
    return Place(
        lat=float(getattr(settings, "BEACON_DELIVERY_DEPOT_LAT", DEFAULT_DEPOT[0])),
        lon=float(getattr(settings, "BEACON_DELIVERY_DEPOT_LON", DEFAULT_DEPOT[1])),
    )


def instalments_for_delivery(*, provider: Provider, date: datetime.date) -> QuerySet[Instalment]:
    """The provider's instalments due on `date` that a driver takes to the client's home:
    the prescription dispenses by home delivery, it supplies that day (not over, not
    suspended: `PrescriptionQuerySet.supplying`), the
    instalment is not supervised in clinic, has no outcome yet and was not held back."""
    return (
        provider.ost_instalments.filter(
            date=date,
            supervised=False,
            outcome=Instalment.Outcome.PENDING,
            prescription__home_delivery=True,
            # Supplying on the day (started, not over, not suspended): prescribing's rule.
            prescription__in=Prescription.objects.supplying(on=date),
        )
        .exclude(delivery_stop__status="held_back")
        .select_related("prescription__client")
        .order_by("prescription__client__client_number", "id")
    )


def rounds_on(*, provider: Provider, date: datetime.date) -> QuerySet[DeliveryRound]:
    return (
        provider.delivery_rounds.filter(date=date)
        .select_related("shift__driver", "shift__vehicle", "planned_by")
        .order_by("shift__start_time", "id")
    )


def stops_on(*, provider: Provider, date: datetime.date) -> QuerySet[DeliveryStop]:
    return (
        provider.delivery_stops.filter(date=date)
        .select_related("client__delivery_details", "round", "instalment__prescription")
        .order_by("round_id", "position", "id")
    )


def stop_get(*, user: User, stop_id: int, permission: str = KEEP) -> DeliveryStop:
    """One stop of the user's provider (the coordinator's view of a parcel), or 404."""
    ensure_can(user, permission)
    stop = user.provider.delivery_stops.filter(pk=stop_id).select_related("round").first()
    if stop is None:
        raise Http404("No such stop")
    return stop


def round_get(*, user: User, round_id: int, permission: str = KEEP) -> DeliveryRound:
    """One round of the user's provider, or 404."""
    ensure_can(user, permission)
    delivery_round = user.provider.delivery_rounds.filter(pk=round_id).first()
    if delivery_round is None:
        raise Http404("No such round")
    return delivery_round


def day_is_handed_over(*, provider: Provider, date: datetime.date) -> bool:
    """Whether a parcel of the day is already with a driver: its plan can no longer change."""
    return stops_on(provider=provider, date=date).filter(handed_over_entry__isnull=False).exists()


def day_plan(*, provider: Provider, date: datetime.date) -> dict:
    """The day's rounds, each with its stops in order, and the unassigned stops."""
    rounds = list(rounds_on(provider=provider, date=date))
    stops = list(stops_on(provider=provider, date=date))
    by_round: dict[int, list] = {r.pk: [] for r in rounds}
    unassigned = []
    for stop in stops:
        if stop.round_id is None:
            unassigned.append(stop)
        else:
            by_round.setdefault(stop.round_id, []).append(stop)
    return {
        "rounds": [{"round": r, "stops": by_round[r.pk]} for r in rounds],
        "unassigned": unassigned,
        "planned_at": max((r.planned_at for r in rounds), default=None),
        "has_plan": bool(rounds or stops),
    }
