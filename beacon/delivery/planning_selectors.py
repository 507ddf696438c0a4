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
    instalment is not supervised in clinic, has no outcome yet and was not held back."""
    return (
        provider.ost_instalments.filter(
            date=date,
            supervised=False,
            outcome=Instalment.Outcome.PENDING,
            prescription__home_delivery=True,
            prescription__status=Prescription.Status.ACTIVE,
        )
        .exclude(delivery_stop__status="held_back")
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
        .select_related("client__delivery_details", "round", "instalment__prescription")
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


# Route colours, one per round in order, then again from the start (past eight rounds).
# Mostly NHS.UK colours, each dark enough for a white position number on it (contrast
# 4.5:1 or more), neighbours unlike for colour-blind eyes; a key names each round's colour.
ROUND_COLOURS = (
    "#005EB8",  # blue
    "#A65300",  # dark orange
    "#007F3B",  # green
    "#AE2573",  # pink
    "#330072",  # purple
    "#00718F",  # teal
    "#D5281B",  # red
    "#231F20",  # black
)
UNASSIGNED_COLOUR = "#4C6272"  # grey


def _map_stop(stop) -> dict | None:
    """A stop as the map shows it, or None when its home has no coordinates. Only what
    the day page already shows: no dose, no medicine, no diagnosis."""
    details = getattr(stop.client, "delivery_details", None)
    if details is None or details.latitude is None or details.longitude is None:
        return None
    return {
        "lat": float(details.latitude),
        "lon": float(details.longitude),
        "parcel_number": stop.parcel_number,
        "position": stop.position,
        "arrival": stop.planned_arrival.strftime("%H:%M") if stop.planned_arrival else None,
        "name": stop.client.known_as,
        "postcode": details.postcode,
    }


def day_map(*, plan: dict) -> dict:
    """The day's plan (from `day_plan`) as plain data for the round map: the depot, each
    round with its colour and its stops in order, and the unassigned stops. Stops whose
    home has no coordinates are left out (the list below the map still has them)."""
    # planning_services imports this module; importing it here avoids the cycle.
    from beacon.delivery.planning_services import depot

    start = depot()
    rounds = []
    for index, entry in enumerate(plan["rounds"]):
        shift = entry["round"].shift
        stops = [mapped for stop in entry["stops"] if (mapped := _map_stop(stop))]
        rounds.append(
            {
                "id": entry["round"].pk,
                "driver": shift.driver.display_name,
                "vehicle": shift.vehicle.registration,
                "colour": ROUND_COLOURS[index % len(ROUND_COLOURS)],
                "stops": stops,
            }
        )
    unassigned = [mapped for stop in plan["unassigned"] if (mapped := _map_stop(stop))]
    return {
        "depot": {"lat": start.lat, "lon": start.lon},
        "rounds": rounds,
        "unassigned": {"colour": UNASSIGNED_COLOUR, "stops": unassigned},
    }
