"""A synthetic home-delivery day (made-up places in a city-sized area), the same for a seed.

Run as a script to write the day as JSON for `manage.py plan_rounds`:
    python bench/synthetic_day.py > day.json
"""

import json
import math
import random

# A made-up depot near the middle of England; every stop is generated around it.
DEPOT_LAT, DEPOT_LON = 52.95, -1.15
KM_PER_DEGREE_LAT = 111.2
CITY_RADIUS_KM = 9.0
NEIGHBOURHOODS = 7
SHIFTS = [("08:00", "16:00"), ("09:00", "17:00")]
WINDOW_STARTS = ["08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]
WINDOW_HOURS = 2


def synthetic_day(*, stops: int = 200, drivers: int = 8, seed: int = 2024) -> dict:
    """A day in the JSON form plan_rounds reads: half the drivers on each shift, 2-hour windows."""
    rng = random.Random(seed)  # noqa: S311 (a repeatable made-up day, not a secret)
    centres = [_point_in_city(rng, CITY_RADIUS_KM * 0.8) for _ in range(NEIGHBOURHOODS)]
    day_stops = []
    for number in range(1, stops + 1):
        # Most clients live in a few estates; the rest anywhere in the city.
        if rng.random() < 0.7:
            centre_x, centre_y = rng.choice(centres)
            x, y = centre_x + rng.gauss(0, 0.8), centre_y + rng.gauss(0, 0.8)
        else:
            x, y = _point_in_city(rng, CITY_RADIUS_KM)
        lat, lon = _lat_lon(x, y)
        opens = rng.choice(WINDOW_STARTS)
        closes = f"{int(opens[:2]) + WINDOW_HOURS:02d}:00"
        day_stops.append(
            {
                "id": f"S{number:03d}",
                "lat": round(lat, 6),
                "lon": round(lon, 6),
                "window_start": opens,
                "window_end": closes,
                "service_minutes": rng.choice([4, 5, 5, 6, 8]),
            }
        )
    return {
        "depot": {"lat": DEPOT_LAT, "lon": DEPOT_LON},
        "drivers": [
            {
                "id": f"D{number}",
                "shift_start": SHIFTS[number % len(SHIFTS)][0],
                "shift_end": SHIFTS[number % len(SHIFTS)][1],
            }
            for number in range(1, drivers + 1)
        ],
        "stops": day_stops,
        "travel": {"speed_kmh": 25, "road_factor": 1.3},
    }


def _point_in_city(rng: random.Random, radius_km: float) -> tuple[float, float]:
    distance = radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    return distance * math.cos(angle), distance * math.sin(angle)


def _lat_lon(x_km: float, y_km: float) -> tuple[float, float]:
    lat = DEPOT_LAT + y_km / KM_PER_DEGREE_LAT
    lon = DEPOT_LON + x_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(DEPOT_LAT)))
    return lat, lon


if __name__ == "__main__":
    print(json.dumps(synthetic_day(), indent=2))
