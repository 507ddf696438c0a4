"""Benchmark of delivery-round planning: a synthetic delivery day and the Solomon VRPTW set.

Run by `make bench`. Prints figures and whether each target was met; asserts nothing.
  1. A synthetic day (200 stops, 8 drivers, 2-hour windows) planned by plan_day in 2 s
     with each of SEEDS, and compared with the plan the same planner makes in 60 s with the
     same seed; target: every 2 s plan's travel within 2% of its 60 s plan's. The 60 s
     plans' figures are kept in bench/routing_reference.json (committed, so a bench run
     takes about a minute and a half, not six) and worked out again, 60 s per seed, when
     the planner's source, PyVRP's version or the day have changed, or with
     --refresh-reference.
  2. The Solomon instances in shared/data/vrptw (override with BEACON_VRPTW_DIR), 10 s
     each through the planner's solver call; target: within 1% of the best known
     distance, in that data's convention (distance = floor(10 × Euclidean), times × 10).
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import resource
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
import vrplib
from pyvrp import Client, Depot, Location, ProblemData, VehicleType

# Run as `python bench/routing.py`, so this folder is on the path.
from synthetic_day import synthetic_day

from beacon.delivery.routing import DeliveryPlan, DeliveryProblem, plan_day, problem_from_json
from beacon.delivery.routing.solver import solve_routing

SEEDS = (1, 2, 3, 4, 5)
QUICK_SECONDS = 2
REFERENCE_SECONDS = 60
DAY_GAP_TARGET = 0.02
SOLOMON_SEED = 1
SOLOMON_SECONDS = 10
SOLOMON_GAP_TARGET = 0.01
DEFAULT_VRPTW_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "vrptw"
REFERENCE_FILE = Path(__file__).resolve().with_name("routing_reference.json")
PLANNER_DIR = Path(__file__).resolve().parents[1] / "beacon" / "delivery" / "routing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--refresh-reference",
        action="store_true",
        help=f"plan the synthetic day for {REFERENCE_SECONDS} s per seed again, even if the "
        f"figures in {REFERENCE_FILE.name} still match the planner",
    )
    arguments = parser.parse_args()
    day_met, seeds_met = bench_synthetic_day(refresh=arguments.refresh_reference)
    solomon_met = bench_solomon(Path(os.environ.get("BEACON_VRPTW_DIR", DEFAULT_VRPTW_DIR)))
    print()
    print(
        f"Synthetic day, {QUICK_SECONDS} s within {DAY_GAP_TARGET:.0%} of {REFERENCE_SECONDS} s: "
        f"{_verdict(day_met)} ({seeds_met} of {len(SEEDS)} seeds)"
    )
    print(f"Solomon, each within {SOLOMON_GAP_TARGET:.0%} of best known: {_verdict(solomon_met)}")


def bench_synthetic_day(*, refresh: bool) -> tuple[bool, int]:
    """Whether every seed's quick plan met the target, and how many seeds did."""
    day = synthetic_day()
    problem = problem_from_json(day)
    print(
        f"Synthetic delivery day: {len(problem.stops)} stops, {len(problem.drivers)} drivers, "
        f"2-hour windows; {os.cpu_count()} cores"
    )
    references = _references(problem, day, refresh=refresh)
    best_reference = min(reference["travel_seconds"] for reference in references.values())
    print(
        f"{'seed':>4}  {'solve s':>7}  {'travel':>9}  {'drivers':>7}  {'late':>4}  "
        f"{'unserved':>8}  {'60 s travel':>11}  {'drivers':>7}  {'unserved':>8}  "
        f"{'gap to 60 s':>11}  {'to best 60 s':>12}"
    )
    met = 0
    load = _OtherLoad()
    for seed in SEEDS:
        started = time.perf_counter()
        plan = plan_day(problem, seconds=QUICK_SECONDS, seed=seed)
        elapsed = time.perf_counter() - started
        reference = references[seed]
        gap = plan.total_travel_seconds / reference["travel_seconds"] - 1
        late = _late_visits(problem, plan)
        comparable = len(plan.unassigned) == reference["unserved"]
        met += comparable and late == 0 and elapsed <= QUICK_SECONDS and gap <= DAY_GAP_TARGET
        print(
            f"{seed:>4}  {elapsed:>7.2f}  {_hours(plan.total_travel_seconds):>9}  "
            f"{len(plan.routes):>7}  {late:>4}  {len(plan.unassigned):>8}  "
            f"{_hours(reference['travel_seconds']):>11}  {reference['drivers']:>7}  "
            f"{reference['unserved']:>8}  {gap:>11.2%}  "
            f"{plan.total_travel_seconds / best_reference - 1:>12.2%}"
            + ("" if comparable else "  (serves a different number of stops: not comparable)")
        )
    if (busy := load.cores()) is not None:
        print(
            f"  Other processes kept {busy:.1f} of {os.cpu_count()} cores busy during the "
            f"{QUICK_SECONDS} s plans (the planner's second search only uses an idle core)."
        )
    return met == len(SEEDS), met


def _references(problem: DeliveryProblem, day: dict, *, refresh: bool) -> dict[int, dict]:
    """The 60 s plan's figures per seed: from REFERENCE_FILE if it matches, else planned now."""
    fingerprint = _fingerprint(day)
    stored = json.loads(REFERENCE_FILE.read_text()) if REFERENCE_FILE.exists() else {}
    seeds = {int(seed): figures for seed, figures in stored.get("seeds", {}).items()}
    if not refresh and stored.get("fingerprint") == fingerprint and set(SEEDS) <= set(seeds):
        print(
            f"{REFERENCE_SECONDS} s plans from {REFERENCE_FILE.name} (measured "
            f"{stored['measured']}; the planner, PyVRP and the day are unchanged since)"
        )
        return seeds
    print(
        f"Planning the day for {REFERENCE_SECONDS} s with each of {len(SEEDS)} seeds "
        f"(the planner, PyVRP or the day changed since {REFERENCE_FILE.name})"
        if not refresh
        else f"Planning the day for {REFERENCE_SECONDS} s with each of {len(SEEDS)} seeds"
    )
    seeds = {}
    for seed in SEEDS:
        started = time.perf_counter()
        plan = plan_day(problem, seconds=REFERENCE_SECONDS, seed=seed)
        seeds[seed] = {
            "travel_seconds": plan.total_travel_seconds,
            "drivers": len(plan.routes),
            "unserved": len(plan.unassigned),
            "late": _late_visits(problem, plan),
            "solve_seconds": round(time.perf_counter() - started, 2),
        }
    REFERENCE_FILE.write_text(
        json.dumps(
            {
                "about": (
                    f"Figures of the plans plan_day makes of bench/synthetic_day.py's day in "
                    f"{REFERENCE_SECONDS} s, per seed: the reference bench/routing.py "
                    f"compares its {QUICK_SECONDS} s plans with. Written by bench/routing.py; "
                    "planned again when the fingerprint (the planner's source, PyVRP's "
                    "version, the day) no longer matches, or with --refresh-reference."
                ),
                "fingerprint": fingerprint,
                "measured": f"{datetime.date.today().isoformat()} on {os.cpu_count()} cores",
                "pyvrp": version("pyvrp"),
                "seeds": {str(seed): figures for seed, figures in seeds.items()},
            },
            indent=2,
        )
        + "\n"
    )
    return seeds


def _fingerprint(day: dict) -> str:
    """Changes when anything that decides the 60 s plans does: planner source, PyVRP, the day."""
    digest = hashlib.sha256()
    for path in sorted(PLANNER_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"pyvrp {version('pyvrp')}; {REFERENCE_SECONDS} s\0".encode())
    digest.update(json.dumps(day, sort_keys=True).encode())
    return digest.hexdigest()


class _OtherLoad:
    """How many cores other processes kept busy since this was made (Linux only; else None)."""

    def __init__(self) -> None:
        self._started = time.perf_counter()
        self._busy = self._all_busy()
        self._own = self._own_busy()

    def cores(self) -> float | None:
        busy = self._all_busy()
        if busy is None or self._busy is None:
            return None
        elapsed = time.perf_counter() - self._started
        others = (busy - self._busy) - (self._own_busy() - self._own)
        return max(0.0, others / elapsed)

    @staticmethod
    def _all_busy() -> float | None:
        try:
            fields = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + fields[4]
        return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _own_busy() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
    print(
        f"Solomon VRPTW instances from {directory}, {SOLOMON_SECONDS} s each, seed {SOLOMON_SEED}"
    )
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
        solution = solve_routing(_solomon_data(path), seconds=SOLOMON_SECONDS, seed=SOLOMON_SEED)
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
