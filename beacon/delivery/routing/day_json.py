"""The JSON form of a delivery day (read into a DeliveryProblem) and of its plan.

A day:
    {"depot": {"lat", "lon"},
     "drivers": [{"id", "shift_start": "HH:MM", "shift_end": "HH:MM"}],
     "stops": [{"id", "lat", "lon", "window_start": "HH:MM", "window_end": "HH:MM",
                "service_minutes"}],
     "travel": {"speed_kmh", "road_factor"}}
or, instead of coordinates and "travel", "duration_matrix_seconds": row and column 0 the
depot, then the stops in input order. "travel" and "service_minutes" may be left out
(defaults: 30 km/h, road factor 1.3, 0 minutes).

A plan:
    {"routes": [{"driver", "leave_depot", "back_at_depot", "travel_seconds",
                 "stops": [{"id", "arrival": "HH:MM:SS"}]}],
     "unassigned": [{"id", "reason"}],
     "total_travel_seconds"}
"""

import json
import math
import re
from datetime import time
from typing import Any

from beacon.delivery.routing.planner import DeliveryPlan
from beacon.delivery.routing.problem import (
    DeliveryInputError,
    DeliveryProblem,
    Driver,
    Place,
    Stop,
    TravelSpeed,
)

CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
DAY_FIELDS = {"depot", "drivers", "stops", "travel", "duration_matrix_seconds"}
DRIVER_FIELDS = {"id", "shift_start", "shift_end"}
STOP_FIELDS = {"id", "lat", "lon", "window_start", "window_end", "service_minutes"}
TRAVEL_FIELDS = {"speed_kmh", "road_factor"}


def problem_from_json(data: Any) -> DeliveryProblem:
    """Read a day decoded from JSON; raises DeliveryInputError naming every bad field."""
    reader = _Reader()
    problem = reader.day(data)
    if reader.errors:
        raise DeliveryInputError(reader.errors)
    assert problem is not None
    if errors := problem.errors():
        raise DeliveryInputError(errors)
    return problem


def plan_to_json(plan: DeliveryPlan) -> dict:
    return {
        "routes": [
            {
                "driver": route.driver_id,
                "leave_depot": route.leave_depot.isoformat(),
                "back_at_depot": route.back_at_depot.isoformat(),
                "travel_seconds": route.travel_seconds,
                "stops": [
                    {"id": visit.stop_id, "arrival": visit.arrival.isoformat()}
                    for visit in route.visits
                ],
            }
            for route in plan.routes
        ],
        "unassigned": [{"id": stop.stop_id, "reason": stop.reason} for stop in plan.unassigned],
        "total_travel_seconds": plan.total_travel_seconds,
    }


class _Reader:
    """Checks types and formats field by field, collecting (field, message) errors."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append((field, message))

    def day(self, data: Any) -> DeliveryProblem | None:
        if not self.is_object(data, "day", DAY_FIELDS):
            return None
        depot = None
        if "depot" in data and self.is_object(data["depot"], "depot", {"lat", "lon"}):
            depot = self.place(data["depot"], "depot")
        drivers = [
            self.driver(item, f"drivers[{index}]")
            for index, item in enumerate(self.array(data, "drivers"))
        ]
        stops = [
            self.stop(item, f"stops[{index}]")
            for index, item in enumerate(self.array(data, "stops"))
        ]
        travel = None
        if "travel" in data and self.is_object(data["travel"], "travel", TRAVEL_FIELDS):
            defaults = TravelSpeed()
            travel = TravelSpeed(
                speed_kmh=self.number(data["travel"], "speed_kmh", "travel", defaults.speed_kmh),
                road_factor=self.number(
                    data["travel"], "road_factor", "travel", defaults.road_factor
                ),
            )
        matrix = None
        if "duration_matrix_seconds" in data:
            matrix = self.matrix(data["duration_matrix_seconds"], "duration_matrix_seconds")
        if self.errors:
            return None
        return DeliveryProblem(
            drivers=drivers,
            stops=stops,
            depot=depot,
            travel=travel,
            duration_matrix_seconds=matrix,
        )

    def driver(self, item: Any, path: str) -> Driver | None:
        if not self.is_object(item, path, DRIVER_FIELDS):
            return None
        return Driver(
            id=self.identifier(item, path),
            shift_start=self.clock(item, "shift_start", path),
            shift_end=self.clock(item, "shift_end", path),
        )

    def stop(self, item: Any, path: str) -> Stop | None:
        if not self.is_object(item, path, STOP_FIELDS):
            return None
        service = self.number(item, "service_minutes", path, 0)
        if service != int(service):
            self.error(f"{path}.service_minutes", f"{service} is not a whole number of minutes")
        return Stop(
            id=self.identifier(item, path),
            window_start=self.clock(item, "window_start", path),
            window_end=self.clock(item, "window_end", path),
            service_minutes=int(service),
            place=self.place(item, path) if "lat" in item or "lon" in item else None,
        )

    def place(self, item: dict, path: str) -> Place:
        return Place(lat=self.number(item, "lat", path), lon=self.number(item, "lon", path))

    def matrix(self, value: Any, path: str) -> list[list[int]] | None:
        if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
            self.error(path, "is not a list of rows (lists of seconds)")
            return None
        matrix = []
        for row_index, row in enumerate(value):
            values = []
            for column, seconds in enumerate(row):
                if not _is_number(seconds):
                    self.error(
                        f"{path}[{row_index}][{column}]", f"{_show(seconds)} is not a number"
                    )
                    continue
                values.append(round(seconds))
            matrix.append(values)
        return matrix

    def is_object(self, value: Any, path: str, fields: set[str]) -> bool:
        if not isinstance(value, dict):
            self.error(path, f"{_show(value)} is not an object")
            return False
        for key in sorted(set(value) - fields):
            self.error(f"{path}.{key}" if path != "day" else key, f"is not one of {sorted(fields)}")
        return True

    def array(self, data: dict, key: str) -> list:
        if key not in data:
            self.error(key, "is missing")
            return []
        if not isinstance(data[key], list):
            self.error(key, f"{_show(data[key])} is not a list")
            return []
        return data[key]

    def identifier(self, item: dict, path: str) -> str | int:
        value = item.get("id")
        if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
            self.error(
                f"{path}.id",
                "is missing"
                if value is None
                else f"{_show(value)} is not a text or whole-number id",
            )
            return ""
        return value

    def clock(self, item: dict, key: str, path: str) -> time:
        value = item.get(key)
        match = CLOCK.fullmatch(value) if isinstance(value, str) else None
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.error(
                f"{path}.{key}",
                "is missing" if value is None else f"{_show(value)} is not a time HH:MM",
            )
            return time(0)
        return time(int(match[1]), int(match[2]))

    def number(self, item: dict, key: str, path: str, default: float | None = None) -> float:
        value = item.get(key, default)
        if not _is_number(value):
            self.error(
                f"{path}.{key}",
                "is missing" if value is None else f"{_show(value)} is not a number",
            )
            return 0.0
        return value


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:40]
