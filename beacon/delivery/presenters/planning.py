"""How a delivery day is shown: the round map's data, a parcel's contents, the rows of the
day page's tables."""

import datetime

from django.utils.html import format_html

from beacon.clients.validators import postcode_district
from beacon.core.presenters import quantity_text
from beacon.delivery.models import DeliveryStop, parcel_quantity, register_unit
from beacon.delivery.selectors.planning import depot


def parcel_contents_text(stop: DeliveryStop) -> str:
    """What the coordinator puts in the parcel, e.g. '30 ml Methadone 1mg/ml …'."""
    medicine = stop.instalment.prescription.medicine_info
    quantity = parcel_quantity(stop.instalment)
    return f"{quantity_text(quantity, register_unit(medicine))} {medicine.name}"


def _postcode(stop: DeliveryStop) -> str:
    details = getattr(stop.client, "delivery_details", None)
    return details.postcode if details else ""


ROUND_HEAD = ["Order", "Arrival", "Client", "Postcode", "Parcel", "Progress"]


def round_stop_rows(stops: list[DeliveryStop]) -> list[dict]:
    """The cells of a round's table on the day page but its last (the parcel's progress,
    with the coordinator's buttons, which the template draws), and the stop itself."""
    return [
        {
            "stop": stop,
            "cells": [
                {"text": str(stop.position)},
                {
                    "text": stop.planned_arrival.strftime("%H:%M")
                    if stop.planned_arrival
                    else "Not timed: plan again"
                },
                {"text": stop.client.full_name},
                {"text": _postcode(stop)},
                {
                    "html": format_html(
                        '{}<br><span class="nhsuk-body-s">{}</span>',
                        stop.parcel_number,
                        parcel_contents_text(stop),
                    )
                },
            ],
        }
        for stop in stops
    ]


UNASSIGNED_HEAD = ["Client", "Parcel", "Reason"]


def unassigned_rows(stops: list[DeliveryStop]) -> list[list[dict]]:
    return [
        [
            {"text": stop.client.full_name},
            {"text": stop.parcel_number},
            {"text": stop.unassigned_reason},
        ]
        for stop in stops
    ]


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


def _map_stop(stop: DeliveryStop) -> dict | None:
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


def _districts(stops: list[dict]) -> list[dict]:
    """Each postcode district of the mapped stops (LS6 from LS6 2AB) at the middle of its
    stops, so a map without tiles still says roughly where things are."""
    places: dict[str, list[dict]] = {}
    for stop in stops:
        if district := postcode_district(stop["postcode"]):
            places.setdefault(district, []).append(stop)
    return [
        {
            "name": name,
            "lat": round(sum(s["lat"] for s in group) / len(group), 6),
            "lon": round(sum(s["lon"] for s in group) / len(group), 6),
        }
        for name, group in sorted(places.items())
    ]


def day_map(*, plan: dict, depot_name: str = "Depot") -> dict:
    """The day's plan (from `day_plan`) as plain data for the round map: the depot and its
    name, each round with its colour and its stops in order, the unassigned stops, and the
    postcode districts they are in. Stops whose home has no coordinates are left out (the
    list below the map still has them)."""
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
    mapped = [stop for entry in rounds for stop in entry["stops"]] + unassigned
    return {
        "depot": {"lat": start.lat, "lon": start.lon, "name": depot_name},
        "rounds": rounds,
        "unassigned": {"colour": UNASSIGNED_COLOUR, "stops": unassigned},
        "districts": _districts(mapped),
    }


def stop_times_data(stop: DeliveryStop) -> dict:
    """A stop's place in its round and its times, as every API answer about a stop starts."""
    return {
        "id": stop.pk,
        "position": stop.position,
        "planned_arrival": stop.planned_arrival,
        "window_start": stop.window_start,
        "window_end": stop.window_end,
    }


def stop_data(stop: DeliveryStop) -> dict:
    """A stop as the planning API answers it."""
    details = getattr(stop.client, "delivery_details", None)
    return {
        **stop_times_data(stop),
        "client_number": stop.client.client_number,
        "client_name": stop.client.full_name,
        "postcode": details.postcode if details else "",
        "parcel_number": stop.parcel_number,
        "unassigned_reason": stop.unassigned_reason,
        "status": stop.status,
        "not_delivered_reason": stop.not_delivered_reason,
        "handed_over": stop.handed_over_entry_id is not None,
        "returned": stop.returned_entry_id is not None,
    }


def day_plan_data(plan: dict, day: datetime.date) -> dict:
    """A day's plan (from selectors/planning.day_plan) as the planning API answers it."""
    return {
        "date": day,
        "planned_at": plan["planned_at"],
        "rounds": [
            {
                "id": entry["round"].pk,
                "driver_id": entry["round"].shift.driver_id,
                "driver_name": entry["round"].shift.driver.display_name,
                "vehicle_registration": entry["round"].shift.vehicle.registration,
                "shift_start": entry["round"].shift.start_time,
                "shift_end": entry["round"].shift.end_time,
                "stops": [stop_data(stop) for stop in entry["stops"]],
            }
            for entry in plan["rounds"]
        ],
        "unassigned": [stop_data(stop) for stop in plan["unassigned"]],
    }
