"""The delivery-round planner: windows and shifts kept, reasons for stops left out, determinism."""

import multiprocessing
from datetime import time

import pytest
from pyvrp import Solution

from beacon.delivery.routing import (
    DeliveryInputError,
    DeliveryPlan,
    DeliveryProblem,
    Driver,
    Place,
    Stop,
    TravelSpeed,
    plan_day,
    solver,
)
from beacon.delivery.routing.planner import _routing_data, _without_time_warp
from beacon.delivery.routing.travel import haversine_metres, travel_seconds_matrix

DEPOT = Place(lat=52.95, lon=-1.15)
QUICK = {"seconds": 1, "iterations": 300}


def at(clock: str) -> time:
    return time.fromisoformat(clock)


def stop(stop_id, opens, closes, *, north_km=0.0, east_km=0.0, service=5):
    place = Place(lat=DEPOT.lat + north_km / 111.2, lon=DEPOT.lon + east_km / 67.0)
    return Stop(stop_id, at(opens), at(closes), service_minutes=service, place=place)


def small_day() -> DeliveryProblem:
    return DeliveryProblem(
        drivers=[Driver("D1", at("09:00"), at("13:00")), Driver("D2", at("10:00"), at("14:00"))],
        stops=[
            stop("S1", "09:00", "10:00", north_km=2),
            stop("S2", "09:30", "11:30", north_km=3, east_km=1),
            stop("S3", "10:00", "12:00", east_km=-2),
            stop("S4", "11:00", "13:00", north_km=-3, east_km=-1),
            stop("S5", "12:00", "13:30", east_km=4, service=10),
            stop("S6", "10:00", "10:30", north_km=-1, east_km=3),
        ],
        depot=DEPOT,
        travel=TravelSpeed(speed_kmh=25, road_factor=1.3),
    )


def seconds_of(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def assert_schedule_holds(problem: DeliveryProblem, plan: DeliveryPlan) -> None:
    """Every arrival in its window, reachable from the one before, and each round in its shift."""
    matrix = travel_seconds_matrix(problem)
    position = {s.id: index + 1 for index, s in enumerate(problem.stops)}
    stops = {s.id: s for s in problem.stops}
    drivers = {d.id: d for d in problem.drivers}
    for route in plan.routes:
        driver = drivers[route.driver_id]
        assert driver.shift_start <= route.leave_depot
        assert route.back_at_depot <= driver.shift_end
        ready, here, travel = seconds_of(route.leave_depot), 0, 0
        for visit in route.visits:
            stop = stops[visit.stop_id]
            assert stop.window_start <= visit.arrival <= stop.window_end
            there = position[visit.stop_id]
            assert seconds_of(visit.arrival) >= ready + matrix[here][there]
            travel += matrix[here][there]
            ready, here = seconds_of(visit.arrival) + stop.service_minutes * 60, there
        assert seconds_of(route.back_at_depot) >= ready + matrix[here][0]
        assert route.travel_seconds == travel + matrix[here][0]
    assert plan.total_travel_seconds == sum(route.travel_seconds for route in plan.routes)


def test_feasible_day_serves_every_stop_inside_its_window_and_the_shifts():
    problem = small_day()

    plan = plan_day(problem, **QUICK)

    assert plan.unassigned == ()
    visited = [visit.stop_id for route in plan.routes for visit in route.visits]
    assert sorted(visited) == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert_schedule_holds(problem, plan)


def test_stops_no_driver_can_serve_are_unassigned_with_a_reason():
    day = small_day()
    problem = DeliveryProblem(
        drivers=day.drivers,
        stops=[
            *day.stops,
            stop("EARLY", "07:00", "08:30", north_km=1),
            stop("FAR", "09:00", "09:10", north_km=20),
            stop("LATE", "13:50", "13:59", east_km=1, service=20),
        ],
        depot=DEPOT,
        travel=day.travel,
    )

    plan = plan_day(problem, **QUICK)

    reasons = {unassigned.stop_id: unassigned.reason for unassigned in plan.unassigned}
    assert reasons == {
        "EARLY": "window 07:00–08:30 is outside every driver's shift",
        "FAR": ("window 09:00–09:10 closes before any driver can arrive (earliest 10:02:24)"),
        "LATE": (
            "no driver can deliver in window 13:50–13:59 and be back at the depot "
            "before their shift ends"
        ),
    }
    assert_schedule_holds(problem, plan)


def test_stops_beyond_the_time_in_shifts_are_left_out_for_lack_of_time():
    # One driver for an hour; stops 5 minutes apart taking 10 minutes each: three fit in
    # 50 minutes, four would need 65.
    stops = [Stop(f"S{n}", at("09:00"), at("10:00"), service_minutes=10) for n in range(5)]
    matrix = [[0 if i == j else 300 for j in range(6)] for i in range(6)]
    problem = DeliveryProblem(
        drivers=[Driver("D1", at("09:00"), at("10:00"))],
        stops=stops,
        duration_matrix_seconds=matrix,
    )

    plan = plan_day(problem, **QUICK)

    assert len(plan.routes[0].visits) == 3
    assert [u.reason for u in plan.unassigned] == [
        "not enough time in the drivers' shifts to fit it in with the other stops"
    ] * 2
    assert_schedule_holds(problem, plan)


def test_duration_matrix_gives_the_travel_times_even_when_lopsided():
    # Going out to S2 is slow (3600 s) but coming back is quick: the plan must use the matrix.
    matrix = [
        [0, 600, 3600],
        [600, 0, 300],
        [60, 300, 0],
    ]
    problem = DeliveryProblem(
        drivers=[Driver("D1", at("08:00"), at("12:00"))],
        stops=[
            Stop("S1", at("08:00"), at("12:00"), service_minutes=5),
            Stop("S2", at("08:00"), at("12:00"), service_minutes=5),
        ],
        duration_matrix_seconds=matrix,
    )

    plan = plan_day(problem, **QUICK)

    (route,) = plan.routes
    assert [visit.stop_id for visit in route.visits] == ["S1", "S2"]
    assert route.travel_seconds == 600 + 300 + 60
    assert route.back_at_depot == at("08:26:00")  # 960 s travel, 2 × 5 min handover
    assert_schedule_holds(problem, plan)


def test_a_driver_may_stay_unused():
    problem = DeliveryProblem(
        drivers=[Driver(n, at("09:00"), at("17:00")) for n in ("D1", "D2", "D3")],
        stops=[
            stop("S1", "09:00", "17:00", north_km=2),
            stop("S2", "09:00", "17:00", north_km=2.2),
        ],
        depot=DEPOT,
    )

    plan = plan_day(problem, **QUICK)

    assert len(plan.routes) == 1


def test_same_seed_gives_the_same_plan():
    problem = small_day()

    first = plan_day(problem, seed=7, **QUICK)
    second = plan_day(problem, seed=7, **QUICK)

    assert first == second


def test_plan_day_refuses_a_problem_with_errors_naming_the_field():
    problem = DeliveryProblem(
        drivers=[Driver("D1", at("09:00"), at("17:00"))],
        stops=[stop("S1", "11:00", "10:00")],
        depot=DEPOT,
    )

    with pytest.raises(DeliveryInputError, match=r"stops\[0\]\.window_end: 10:00 is before"):
        plan_day(problem, **QUICK)


def test_travel_time_is_haversine_distance_times_road_factor_over_speed():
    problem = DeliveryProblem(
        drivers=[Driver("D1", at("09:00"), at("17:00"))],
        stops=[stop("S1", "09:00", "17:00", north_km=5)],
        depot=DEPOT,
        travel=TravelSpeed(speed_kmh=30, road_factor=1.5),
    )
    metres = haversine_metres(DEPOT, problem.stops[0].place)

    matrix = travel_seconds_matrix(problem)

    assert metres == pytest.approx(5000, rel=0.01)
    assert matrix[0][1] == matrix[1][0] == round(metres * 1.5 / (30_000 / 3600))


def test_a_late_route_from_the_search_loses_stops_until_it_is_on_time():
    # The search's best is normally on time; this pins the guard for when it is not.
    stops = [Stop(f"S{n}", at("09:00"), at("10:00"), service_minutes=10) for n in range(5)]
    problem = DeliveryProblem(
        drivers=[Driver("D1", at("09:00"), at("10:00"))],
        stops=stops,
        duration_matrix_seconds=[[0 if i == j else 300 for j in range(6)] for i in range(6)],
    )
    data, _ = _routing_data(problem, travel_seconds_matrix(problem), list(range(5)))
    late = Solution(data, [[0, 1, 2, 3, 4]])
    assert late.has_time_warp()

    (route,), dropped = _without_time_warp(data, late)

    assert not route.has_time_warp()
    assert route.num_clients() == 3
    assert sorted(dropped + [a.idx for a in route.schedule() if a.is_client()]) == [0, 1, 2, 3, 4]


def test_two_searches_side_by_side_give_the_better_of_their_plans_every_time():
    problem = small_day()
    enough = {"seconds": 60, "iterations": 300}  # the iterations decide, not the clock
    alone = [
        plan_day(problem, seed=seed, searches=1, **enough) for seed in solver.search_seeds(7, 2)
    ]

    together = [plan_day(problem, seed=7, searches=2, **enough) for _ in range(2)]

    best = min(alone, key=lambda plan: plan.total_travel_seconds)  # ties: the first seed's
    assert together == [best, best]
    assert_schedule_holds(problem, together[0])


def test_a_side_search_that_cannot_start_leaves_the_main_search_to_plan(monkeypatch):
    spawn = multiprocessing.get_context("spawn")

    class NoProcesses:
        def Pipe(self, duplex):
            return spawn.Pipe(duplex)

        def Process(self, **kwargs):
            raise OSError("no new processes here")

    problem = small_day()
    alone = plan_day(problem, searches=1, **QUICK)
    monkeypatch.setattr(solver.multiprocessing, "get_context", lambda method: NoProcesses())
    messages = []

    plan = plan_day(problem, searches=2, progress=messages.append, **QUICK)

    assert plan == alone
    assert any("no new processes here" in message for message in messages)


def test_a_small_day_gets_one_search():
    problem = small_day()
    data, _ = _routing_data(problem, travel_seconds_matrix(problem), list(range(6)))

    assert solver.default_searches(data) == 1


def test_a_short_search_remembers_fewer_solutions_than_a_long_one():
    lengths = [solver.history_length(n) for n in (0, 300, 2_000, 6_000, 50_000, 10**9)]

    assert lengths == sorted(lengths)
    assert lengths[0] == solver.MIN_HISTORY
    assert solver.history_length(2_000) < 100  # a 2 s plan of 200 stops
    assert lengths[-1] == solver.MAX_HISTORY == 300  # PyVRP's own, for long searches
