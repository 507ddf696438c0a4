"""Benchmark of delivery-round planning: a synthetic delivery day and the Solomon VRPTW set.

Run by `make bench`. Prints figures and whether each target was met; asserts nothing.
  1. A synthetic day (200 stops, 8 drivers, 2-hour windows) planned by plan_day for 2 s
     and for 60 s; target: the 2 s plan's travel within 2% of the 60 s plan's.
  2. The Solomon instances in shared/data/vrptw (override with BEACON_VRPTW_DIR), 10 s
     each through the planner's solver call; target: within 1% of the best known
     distance, in that data's convention (distance = floor(10 × Euclidean), times × 10).
"""

import os
import re
import time
from pathlib import Path

import numpy as np
import vrplib
from pyvrp import Client, Depot, Location, ProblemData, VehicleType

# Run as `python bench/routing.py`, so this folder is on the path.
from synthetic_day import synthetic_day

from beacon.delivery.routing import DeliveryPlan, DeliveryProblem, plan_day, problem_from_json
from beacon.delivery.routing.solver import solve_routing

SEED = 1
SPREAD_SEEDS = (2, 3, 4, 5)
DAY_SECONDS = (2, 60)
DAY_GAP_TARGET = 0.02
SOLOMON_SECONDS = 10
SOLOMON_GAP_TARGET = 0.01
DEFAULT_VRPTW_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "vrptw"


def main() -> None:
    day_met, mean_gap = bench_synthetic_day()
    solomon_met = bench_solomon(Path(os.environ.get("BEACON_VRPTW_DIR", DEFAULT_VRPTW_DIR)))
    print()
    print(
        f"Synthetic day, 2 s within {DAY_GAP_TARGET:.0%} of 60 s: {_verdict(day_met)} "
        f"for seed {SEED}; {_verdict(mean_gap <= DAY_GAP_TARGET)} on average over "
        f"{1 + len(SPREAD_SEEDS)} seeds ({mean_gap:.2%})"
    )
    print(f"Solomon, each within {SOLOMON_GAP_TARGET:.0%} of best known: {_verdict(solomon_met)}")


def bench_synthetic_day() -> tuple[bool, float]:
    """Whether the 2 s plan of SEED met the target, and the mean gap over more seeds."""
    day = synthetic_day()
    problem = problem_from_json(day)
    print(
        f"Synthetic delivery day: {len(problem.stops)} stops, {len(problem.drivers)} drivers, "
        f"2-hour windows, seed {SEED}"
    )
    print(
        f"{'time limit':>10}  {'solve s':>7}  {'travel':>9}  {'drivers':>7}  "
        f"{'late':>4}  {'unserved':>8}  {'gap to 60 s':>11}"
    )
    plans: dict[int, tuple[float, DeliveryPlan]] = {}
    for seconds in DAY_SECONDS:
        started = time.perf_counter()
        plan = plan_day(problem, seconds=seconds, seed=SEED)
        plans[seconds] = (time.perf_counter() - started, plan)
    best = plans[max(DAY_SECONDS)][1]
    for seconds, (elapsed, plan) in plans.items():
        gap = plan.total_travel_seconds / best.total_travel_seconds - 1
        print(
            f"{seconds:>8} s  {elapsed:>7.1f}  {_hours(plan.total_travel_seconds):>9}  "
            f"{len(plan.routes):>7}  {_late_visits(problem, plan):>4}  "
            f"{len(plan.unassigned):>8}  {gap:>11.2%}"
        )
    quick = plans[min(DAY_SECONDS)][1]
    gap = quick.total_travel_seconds / best.total_travel_seconds - 1
    # One seed can be lucky: show how far other seeds' quick plans land from the same reference.
    gaps = [gap] + [
        plan_day(problem, seconds=min(DAY_SECONDS), seed=seed).total_travel_seconds
        / best.total_travel_seconds
        - 1
        for seed in SPREAD_SEEDS
    ]
    print(
        f"  {min(DAY_SECONDS)} s plans with seeds {SEED}, {', '.join(map(str, SPREAD_SEEDS))}: "
        f"gap to the 60 s plan min {min(gaps):.2%}, mean {sum(gaps) / len(gaps):.2%}, "
        f"max {max(gaps):.2%}"
    )
    same_service = len(quick.unassigned) == len(best.unassigned)
    if not same_service:
        print(
            "  (the two plans serve different numbers of stops, so their travel is not comparable)"
        )
    met = same_service and gap <= DAY_GAP_TARGET and _late_visits(problem, quick) == 0
    return met, sum(gaps) / len(gaps)


def _late_visits(problem: DeliveryProblem, plan: DeliveryPlan) -> int:
    """Visits outside their window, or on a round outside its driver's shift (checked afresh)."""
    stops = {stop.id: stop for stop in problem.stops}
    drivers = {driver.id: driver for driver in problem.drivers}
    late = 0
    for route in plan.routes:
        driver = drivers[route.driver_id]
        in_shift = (
            driver.shift_start <= route.leave_depot and route.back_at_depot <= driver.shift_end
        )
        for visit in route.visits:
            stop = stops[visit.stop_id]
            in_window = stop.window_start <= visit.arrival <= stop.window_end
            late += not (in_window and in_shift)
    return late


def bench_solomon(directory: Path) -> bool | None:
    """Whether every instance met the target; None when the instances are not there."""
    print()
    best_known = _best_known(directory / "README.md")
    if not best_known:
        print(
            f"Solomon instances: none found in {directory} (set BEACON_VRPTW_DIR to a folder "
            "with the instances and a README.md table of best known solutions); skipped."
        )
        return None
    print(f"Solomon VRPTW instances from {directory}, {SOLOMON_SECONDS} s each, seed {SEED}")
    print(
        f"{'instance':<8}  {'distance':>9}  {'vehicles':>8}  {'best known':>10}  "
        f"{'vehicles':>8}  {'gap':>6}  feasible"
    )
    all_met = True
    for name, (known_distance, known_vehicles) in best_known.items():
        path = directory / f"{name}.txt"
        if not path.exists():
            print(f"{name:<8}  missing {path.name}; skipped")
            all_met = False
            continue
        solution = solve_routing(_solomon_data(path), seconds=SOLOMON_SECONDS, seed=SEED)
        distance = solution.distance() / 10
        gap = distance / known_distance - 1
        all_met = all_met and solution.is_feasible() and gap <= SOLOMON_GAP_TARGET
        print(
            f"{name:<8}  {distance:>9.1f}  {solution.num_routes():>8}  {known_distance:>10.1f}  "
            f"{known_vehicles:>8}  {gap:>6.2%}  {'yes' if solution.is_feasible() else 'NO'}"
        )
    return all_met


def _best_known(readme: Path) -> dict[str, tuple[float, int]]:
    """The README's table rows `| C101 | 827.3 | 10 |`: distance (÷10) and vehicles."""
    if not readme.exists():
        return {}
    rows = re.findall(
        r"^\|\s*([A-Z]+\d+)\s*\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|", readme.read_text(), re.M
    )
    return {name: (float(distance), int(vehicles)) for name, distance, vehicles in rows}


def _solomon_data(path: Path) -> ProblemData:
    """A Solomon instance in the DIMACS convention: floor(10 × Euclidean); times × 10."""
    instance = vrplib.read_instance(path, instance_format="solomon", compute_edge_weights=False)
    coords = np.asarray(instance["node_coord"], dtype=float)
    differences = coords[:, None, :] - coords[None, :, :]
    matrix = np.floor(10 * np.sqrt((differences**2).sum(axis=-1))).astype(np.int64)
    windows = (10 * np.asarray(instance["time_window"])).astype(np.int64)
    service = (10 * np.asarray(instance["service_time"])).astype(np.int64)
    demand = np.asarray(instance["demand"]).astype(np.int64)
    locations = [Location(x=float(x), y=float(y)) for x, y in coords]
    clients = [
        Client(
            location=index,
            delivery=[int(demand[index])],
            service_duration=int(service[index]),
            tw_early=int(windows[index, 0]),
            tw_late=int(windows[index, 1]),
        )
        for index in range(1, len(coords))
    ]
    depot = Depot(location=0, tw_early=int(windows[0, 0]), tw_late=int(windows[0, 1]))
    vehicles = VehicleType(
        num_available=int(instance["vehicles"]),
        capacity=[int(instance["capacity"])],
        tw_early=int(windows[0, 0]),
        tw_late=int(windows[0, 1]),
    )
    return ProblemData(locations, clients, [depot], [vehicles], [matrix], [matrix])


def _hours(seconds: int) -> str:
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def _verdict(met: bool | None) -> str:
    return "skipped" if met is None else "met" if met else "NOT met"


if __name__ == "__main__":
    main()
