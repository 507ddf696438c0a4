"""A delivery day to plan (drivers, stops, travel) and the rules that make one valid."""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time

StopId = str | int
DriverId = str | int

# Drivers in cities rarely average more than this door to door; a faster figure is a typo.
MAX_SPEED_KMH = 130
SECONDS_IN_A_DAY = 86_400
MINUTES_IN_A_DAY = 1_440


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float


@dataclass(frozen=True)
class TravelSpeed:
    """Travel time from coordinates: straight-line (haversine) distance × road_factor ÷ speed."""

    speed_kmh: float = 30.0
    road_factor: float = 1.3


@dataclass(frozen=True)
class Driver:
    id: DriverId
    shift_start: time
    shift_end: time


@dataclass(frozen=True)
class Stop:
    """A delivery: the driver must arrive between window_start and window_end (both inclusive).

    A driver who comes early waits for the window to open; the handover then takes
    service_minutes, which may run past window_end.
    """

    id: StopId
    window_start: time
    window_end: time
    service_minutes: int = 0
    place: Place | None = None


@dataclass(frozen=True)
class DeliveryProblem:
    """One day's deliveries from one depot.

    Travel comes either from coordinates (depot and every stop have a place; `travel`
    gives speed and road factor, default TravelSpeed()) or from duration_matrix_seconds:
    row and column 0 are the depot, then the stops in order; entry [i][j] is the time
    from i to j.
    """

    drivers: Sequence[Driver]
    stops: Sequence[Stop]
    depot: Place | None = None
    travel: TravelSpeed | None = None
    duration_matrix_seconds: Sequence[Sequence[int]] | None = field(default=None, repr=False)

    def errors(self) -> list[tuple[str, str]]:
        """Every reason this problem cannot be planned, as (field, message); empty if valid."""
        errors: list[tuple[str, str]] = []
        if not self.drivers:
            errors.append(("drivers", "at least one driver is needed"))
        errors += _duplicate_ids("drivers", [driver.id for driver in self.drivers])
        for index, driver in enumerate(self.drivers):
            if driver.shift_end <= driver.shift_start:
                errors.append(
                    (
                        f"drivers[{index}].shift_end",
                        f"{driver.shift_end:%H:%M} is not after shift_start "
                        f"{driver.shift_start:%H:%M}",
                    )
                )
        errors += _duplicate_ids("stops", [stop.id for stop in self.stops])
        for index, stop in enumerate(self.stops):
            if stop.window_end < stop.window_start:
                errors.append(
                    (
                        f"stops[{index}].window_end",
                        f"{stop.window_end:%H:%M} is before window_start {stop.window_start:%H:%M}",
                    )
                )
            if stop.service_minutes < 0:
                errors.append(
                    (f"stops[{index}].service_minutes", f"{stop.service_minutes} is negative")
                )
            elif stop.service_minutes > MINUTES_IN_A_DAY:
                errors.append(
                    (
                        f"stops[{index}].service_minutes",
                        f"{stop.service_minutes} is more than a day",
                    )
                )
        if self.depot is not None:
            errors += _place_errors("depot", self.depot)
        for index, stop in enumerate(self.stops):
            if stop.place is not None:
                errors += _place_errors(f"stops[{index}]", stop.place)
        if self.duration_matrix_seconds is None:
            errors += self._coordinate_errors()
        else:
            errors += self._matrix_errors(self.duration_matrix_seconds)
        return errors

    def _coordinate_errors(self) -> list[tuple[str, str]]:
        errors = []
        if self.depot is None:
            errors.append(("depot", "needs lat and lon unless duration_matrix_seconds is given"))
        for index, stop in enumerate(self.stops):
            if stop.place is None:
                errors.append(
                    (
                        f"stops[{index}]",
                        "needs lat and lon unless duration_matrix_seconds is given",
                    )
                )
        travel = self.travel or TravelSpeed()
        if not (0 < travel.speed_kmh <= MAX_SPEED_KMH):
            errors.append(
                (
                    "travel.speed_kmh",
                    f"{travel.speed_kmh} is not a speed above 0 and at most {MAX_SPEED_KMH}",
                )
            )
        if not (travel.road_factor >= 1):
            errors.append(
                (
                    "travel.road_factor",
                    f"{travel.road_factor} is below 1 (roads are never shorter than a "
                    "straight line)",
                )
            )
        return errors

    def _matrix_errors(self, matrix: Sequence[Sequence[int]]) -> list[tuple[str, str]]:
        name = "duration_matrix_seconds"
        if self.travel is not None:
            return [("travel", f"give either travel (with coordinates) or {name}, not both")]
        size = len(self.stops) + 1
        if len(matrix) != size:
            return [
                (
                    name,
                    f"has {len(matrix)} rows; needs {size} (the depot, then "
                    f"{len(self.stops)} stops)",
                )
            ]
        errors = []
        for row_index, row in enumerate(matrix):
            if len(row) != size:
                errors.append((f"{name}[{row_index}]", f"has {len(row)} values; needs {size}"))
                continue
            for column, seconds in enumerate(row):
                if not 0 <= seconds <= SECONDS_IN_A_DAY:
                    errors.append(
                        (
                            f"{name}[{row_index}][{column}]",
                            f"{seconds} is not a travel time from 0 to {SECONDS_IN_A_DAY} seconds",
                        )
                    )
        return errors


def _duplicate_ids(name: str, ids: list) -> list[tuple[str, str]]:
    first_index: dict = {}
    errors = []
    for index, item_id in enumerate(ids):
        if item_id in first_index:
            errors.append(
                (
                    f"{name}[{index}].id",
                    f"{json.dumps(item_id)} is also the id of {name}[{first_index[item_id]}]",
                )
            )
        else:
            first_index[item_id] = index
    return errors


def _place_errors(prefix: str, place: Place) -> list[tuple[str, str]]:
    errors = []
    if not (math.isfinite(place.lat) and -90 <= place.lat <= 90):
        errors.append((f"{prefix}.lat", f"{place.lat} is not a latitude (-90 to 90)"))
    if not (math.isfinite(place.lon) and -180 <= place.lon <= 180):
        errors.append((f"{prefix}.lon", f"{place.lon} is not a longitude (-180 to 180)"))
    return errors


class DeliveryInputError(ValueError):
    """A delivery day that cannot be planned; `errors` holds (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))
