"""plan_day: assign a day's stops to drivers and order each round, with reasons for any left out."""

import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time

from pyvrp import Client, Depot, Location, ProblemData, Route, Solution, VehicleType

from beacon.delivery.routing.problem import (
    DeliveryInputError,
    DeliveryProblem,
    Driver,
    DriverId,
    Stop,
    StopId,
)
from beacon.delivery.routing.solver import solve_routing
from beacon.delivery.routing.travel import travel_seconds_matrix

# Kept back from the search for turning its solution into the plan.
FINISHING_SECONDS = 0.02
NOT_ENOUGH_TIME = "not enough time in the drivers' shifts to fit it in with the other stops"


@dataclass(frozen=True)
class PlannedVisit:
    """arrival is when the handover starts: a driver who comes early waits for the window."""

    stop_id: StopId
    arrival: time


@dataclass(frozen=True)
class PlannedRoute:
    driver_id: DriverId
    leave_depot: time
    back_at_depot: time
    travel_seconds: int
    visits: tuple[PlannedVisit, ...]


@dataclass(frozen=True)
class UnassignedStop:
    stop_id: StopId
    reason: str


@dataclass(frozen=True)
class DeliveryPlan:
    """Routes of the drivers used, in the order the drivers were given; unused drivers have none."""

    routes: tuple[PlannedRoute, ...]
    unassigned: tuple[UnassignedStop, ...]
    total_travel_seconds: int


def plan_day(
    problem: DeliveryProblem,
    *,
    seconds: float,
    seed: int = 1,
    iterations: int | None = None,
    progress: Callable[[str], None] | None = None,
    searches: int | None = None,
) -> DeliveryPlan:
    """Plan the day's rounds, minimising total travel time; serve as many stops as the shifts allow.

    The plan is ready within `seconds` (travel times and search together), or sooner once
    the search has made `iterations` if that comes first. On a large day one search runs
    per core (at most two; `searches` overrides), each with its own seed, and the best plan
    wins. The same problem, seed, iteration limit and number of searches give the same
    plan on any machine; with a time limit alone a slower machine searches less, so a
    large day may come out differently.
    `progress`, if given, is called with a line of text at each phase of a long plan.
    Raises DeliveryInputError for a problem with errors().
    """
    started = clock.monotonic()
    if errors := problem.errors():
        raise DeliveryInputError(errors)
    report = progress or (lambda message: None)
    matrix = travel_seconds_matrix(problem)
    report(f"Travel times worked out between the depot and {len(problem.stops)} stops")

    reasons: dict[int, str] = {}
    for index, stop in enumerate(problem.stops):
        if reason := _why_no_driver_can_serve(stop, matrix, index + 1, problem.drivers):
            reasons[index] = reason
    servable = [index for index in range(len(problem.stops)) if index not in reasons]
    if reasons:
        report(
            f"{len(reasons)} stops cannot be served by any driver; "
            f"planning the other {len(servable)}"
        )

    routes: list[PlannedRoute] = []
    if servable:
        data, drivers_by_type = _routing_data(problem, matrix, servable)
        report(
            f"Searching for up to {seconds:g} s (seed {seed}): {len(servable)} stops, "
            f"{len(problem.drivers)} drivers"
        )
        solution = solve_routing(
            data,
            seconds=max(0.0, seconds - (clock.monotonic() - started) - FINISHING_SECONDS),
            seed=seed,
            iterations=iterations,
            progress=progress,
            searches=searches,
        )
        pyvrp_routes, dropped = _without_time_warp(data, solution)
        for client in dropped:
            reasons[servable[client]] = NOT_ENOUGH_TIME
        routes = _planned_routes(problem, servable, pyvrp_routes, drivers_by_type)
        served = {
            servable[a.idx] for route in pyvrp_routes for a in route.schedule() if a.is_client()
        }
        for index in servable:
            if index not in served:
                reasons.setdefault(index, NOT_ENOUGH_TIME)

    plan = DeliveryPlan(
        routes=tuple(routes),
        unassigned=tuple(
            UnassignedStop(stop_id=problem.stops[index].id, reason=reasons[index])
            for index in sorted(reasons)
        ),
        total_travel_seconds=sum(route.travel_seconds for route in routes),
    )
    report(
        f"Planned {len(plan.routes)} rounds, {len(plan.unassigned)} stops unassigned, "
        f"total travel {plan.total_travel_seconds // 3600} h "
        f"{plan.total_travel_seconds % 3600 // 60:02d} min"
    )
    return plan


def _why_no_driver_can_serve(
    stop: Stop, matrix: list[list[int]], place: int, drivers: Sequence[Driver]
) -> str | None:
    """Why no driver could serve this stop even on a round of its own; None if one could."""
    opens, closes = _seconds(stop.window_start), _seconds(stop.window_end)
    out, back = matrix[0][place], matrix[place][0]
    faults = set()
    for driver in drivers:
        start, end = _seconds(driver.shift_start), _seconds(driver.shift_end)
        if closes < start or opens > end:
            faults.add("outside shift")
        elif start + out > closes:
            faults.add("too late")
        elif max(start + out, opens) + stop.service_minutes * 60 + back > end:
            faults.add("no time to return")
        else:
            return None
    window = f"window {_clock(opens)}–{_clock(closes)}"
    if faults == {"outside shift"}:
        return f"{window} is outside every driver's shift"
    if "no time to return" not in faults:
        earliest = min(_seconds(driver.shift_start) for driver in drivers) + out
        return f"{window} closes before any driver can arrive (earliest {_clock(earliest)})"
    if "too late" not in faults:
        return f"no driver can deliver in {window} and be back at the depot before their shift ends"
    return f"no driver can reach it in {window} and be back at the depot within their shift"


def _routing_data(
    problem: DeliveryProblem, matrix: list[list[int]], servable: list[int]
) -> tuple[ProblemData, list[list[Driver]]]:
    """PyVRP's view of the day: location 0 the depot, then the servable stops in order.

    Drivers with the same shift share a vehicle type, so the search need not tell them apart.
    """
    places = [0] + [index + 1 for index in servable]
    travel = [[matrix[i][j] for j in places] for i in places]
    # A stop is worth more than any possible saving in travel, so the search leaves one out
    # only when the shifts cannot hold it.
    prize = (len(places) + len(problem.drivers)) * max(1, max(max(row) for row in travel))
    locations = [Location(x=0, y=0) for _ in places]
    clients = [
        Client(
            location=position + 1,
            service_duration=problem.stops[index].service_minutes * 60,
            tw_early=_seconds(problem.stops[index].window_start),
            tw_late=_seconds(problem.stops[index].window_end),
            required=False,
            prize=prize,
            name=str(problem.stops[index].id),
        )
        for position, index in enumerate(servable)
    ]
    shifts: dict[tuple[time, time], list[Driver]] = {}
    for driver in problem.drivers:
        shifts.setdefault((driver.shift_start, driver.shift_end), []).append(driver)
    vehicle_types = [
        VehicleType(num_available=len(drivers), tw_early=_seconds(start), tw_late=_seconds(end))
        for (start, end), drivers in shifts.items()
    ]
    data = ProblemData(locations, clients, [Depot(location=0)], vehicle_types, [travel], [travel])
    return data, list(shifts.values())


def _without_time_warp(data: ProblemData, solution: Solution) -> tuple[list[Route], list[int]]:
    """The solution's routes, dropping visits from any route that would run late.

    The search almost always returns a plan without lateness (leaving a stop out is always
    possible); this guards the promise that every arrival is inside its window.
    """
    routes, dropped = [], []
    for route in solution.routes():
        visits = [activity.idx for activity in route.schedule() if activity.is_client()]
        while visits and route.has_time_warp():
            schedule = route.schedule()
            worst = max(range(len(schedule)), key=lambda position: schedule[position].time_warp)
            client = schedule[worst].idx if schedule[worst].is_client() else visits[-1]
            visits.remove(client)
            dropped.append(client)
            route = Route(data, visits, route.vehicle_type())
        if visits:
            routes.append(route)
    return routes, dropped


def _planned_routes(
    problem: DeliveryProblem,
    servable: list[int],
    routes: list[Route],
    drivers_by_type: list[list[Driver]],
) -> list[PlannedRoute]:
    free_drivers = [list(drivers) for drivers in drivers_by_type]
    planned: dict[DriverId, PlannedRoute] = {}
    for route in routes:
        driver = free_drivers[route.vehicle_type()].pop(0)
        planned[driver.id] = PlannedRoute(
            driver_id=driver.id,
            leave_depot=_time(route.start_time()),
            back_at_depot=_time(route.end_time()),
            travel_seconds=route.distance(),
            visits=tuple(
                PlannedVisit(
                    stop_id=problem.stops[servable[activity.idx]].id,
                    arrival=_time(activity.start_time),
                )
                for activity in route.schedule()
                if activity.is_client()
            ),
        )
    return [planned[driver.id] for driver in problem.drivers if driver.id in planned]


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _time(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
