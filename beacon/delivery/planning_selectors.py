"""Reads of delivery planning: what is due for home delivery on a day, and the day's plan.

Everything loads through the provider, so another provider's rounds, stops and instalments
are never seen.
"""

import datetime

from django.db.models import QuerySet

from beacon.prescribing.models import Instalment, Prescription


def instalments_for_delivery(*, provider, date: datetime.date) -> QuerySet:
    """The provider's instalments due on `date` that a driver takes to the client's home:
    the prescription dispenses by home delivery, it is not ended or suspended, the
    instalment is not supervised in clinic and has no outcome yet."""
    return (
        provider.ost_instalments.filter(
            date=date,
            supervised=False,
            outcome=Instalment.Outcome.PENDING,
            prescription__home_delivery=True,
            prescription__status=Prescription.Status.ACTIVE,
        )
        .select_related("prescription__client")
        .order_by("prescription__client__client_number", "id")
    )


def rounds_on(*, provider, date: datetime.date) -> QuerySet:
    return (
        provider.delivery_rounds.filter(date=date)
        .select_related("shift__driver", "shift__vehicle", "planned_by")
        .order_by("shift__start_time", "id")
    )


def stops_on(*, provider, date: datetime.date) -> QuerySet:
    return (
        provider.delivery_stops.filter(date=date)
        .select_related("client__delivery_details", "round")
        .order_by("round_id", "position", "id")
    )


def stop_get(*, provider, stop_id: int):
    return provider.delivery_stops.filter(pk=stop_id).select_related("round").first()


def round_get(*, provider, round_id: int):
    return provider.delivery_rounds.filter(pk=round_id).first()


def day_plan(*, provider, date: datetime.date) -> dict:
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
