"""Travel times between the depot and the stops of a delivery day, in whole seconds."""

import math

from beacon.delivery.routing.problem import DeliveryProblem, Place, TravelSpeed

EARTH_RADIUS_METRES = 6_371_008.8  # mean radius (IUGG)


def haversine_metres(a: Place, b: Place) -> float:
    lat_a, lat_b = math.radians(a.lat), math.radians(b.lat)
    half_chord = (
        math.sin((lat_b - lat_a) / 2) ** 2
        + math.cos(lat_a) * math.cos(lat_b) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, half_chord)))


def travel_seconds_matrix(problem: DeliveryProblem) -> list[list[int]]:
    """Seconds from place i to place j; index 0 is the depot, then the stops in order.

    Expects a valid problem (see DeliveryProblem.errors). The diagonal is always 0.
    """
    size = len(problem.stops) + 1
    if problem.duration_matrix_seconds is not None:
        given = problem.duration_matrix_seconds
        return [[0 if i == j else int(given[i][j]) for j in range(size)] for i in range(size)]
    assert problem.depot is not None
    places = [problem.depot] + [stop.place for stop in problem.stops]
    travel = problem.travel or TravelSpeed()
    metres_per_second = travel.speed_kmh * 1000 / 3600
    matrix = [[0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            metres = haversine_metres(places[i], places[j]) * travel.road_factor
            matrix[i][j] = matrix[j][i] = round(metres / metres_per_second)
    return matrix
