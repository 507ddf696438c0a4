"""The one call into PyVRP, shared by the delivery planner and the benchmark.

PyVRP's iterated local search accepts a candidate that beats the solution of a fixed number
of iterations ago (late acceptance, 300 by default). That default suits runs of tens of
thousands of iterations, such as a Solomon instance for 10 s; a 200-stop day planned in
2 s makes about 2 000, and with 300 it spends them wandering (for the first 300 it
accepts anything better than its random start) and has not settled when time is up:
those plans came out 1.5–3.7% above a 60 s plan. So the history here is a share of the
iterations the search will make: the iteration limit if given, else what the first few
percent of the time show this machine manages, capped at PyVRP's 300. Everything else is
PyVRP's default: smaller perturbations helped the day a little but cost the Solomon
instances 1–2%; other neighbourhoods and a lower starting penalty for lateness gained
nothing at equal time.

With more than one core, more than one search runs side by side, each in its own
process with its own seed, and the best plan wins: a short search sometimes settles in a
poor corner, and two rarely both do. The side searches run at the lowest priority, so on
a busy machine they take nothing from the main search.
"""

import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from pyvrp import CostEvaluator, ProblemData, RandomNumberGenerator, Solution
from pyvrp.IteratedLocalSearch import IteratedLocalSearch, IteratedLocalSearchParams
from pyvrp.PenaltyManager import PenaltyManager, PenaltyParams
from pyvrp.Result import Result
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)
from pyvrp.stop import MaxIterations, MultipleCriteria, StoppingCriterion

PROGRESS_INTERVAL_SECONDS = 5.0
# Late-acceptance history: this share of the iterations, within these bounds (the upper
# one PyVRP's default).
HISTORY_SHARE = 1 / 30
MIN_HISTORY, MAX_HISTORY = 10, 300
# Without an iteration limit, this share of the time (at the shortest history) measures the
# pace of the search.
PACE_SHARE = 0.05
# At most this many searches side by side (measured with 2, on a 2-core machine).
MAX_SEARCHES = 2
# A second search is worth starting a process for (about 0.2 s) only on a large day.
PARALLEL_MIN_STOPS = 50
# Seed of the k-th extra search: seed + k × stride, so seeds 1, 2, 3… share no search.
EXTRA_SEED_STRIDE = 10_000
# Priority of side searches (19, the lowest): they use only cores nothing else wants.
SIDE_SEARCH_NICENESS = 19
# Time kept back from a search to hand its plan over and close its process.
HANDOVER_SECONDS = 0.05


class _Deadline:
    """Stops at a moment on time.monotonic(), a clock that processes on one machine share."""

    def __init__(self, deadline: float):
        self._deadline = deadline

    def __call__(self, best_cost: float) -> bool:
        return time.monotonic() >= self._deadline


class _ReportingStop:
    """Reports, every few seconds, how far the search has got, across its phases."""

    def __init__(self, seconds: float, report: Callable[[str], None]):
        self._seconds = seconds
        self._report = report
        self._started = time.perf_counter()
        self._last_report = self._started
        self._iterations = 0

    def wrapping(self, inner: StoppingCriterion) -> StoppingCriterion:
        def stop(best_cost: float) -> bool:
            self._iterations += 1
            now = time.perf_counter()
            if now - self._last_report >= PROGRESS_INTERVAL_SECONDS:
                self._last_report = now
                self._report(
                    f"Searching: {now - self._started:.0f} s of {self._seconds:g} s, "
                    f"{self._iterations:,} iterations"
                )
            return inner(best_cost)

        return stop


def default_searches(data: ProblemData) -> int:
    """One search per core (at most MAX_SEARCHES) on a large day; one on a small day."""
    if data.num_clients < PARALLEL_MIN_STOPS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_SEARCHES, cores or 1))


def search_seeds(seed: int, searches: int) -> list[int]:
    """The seed of each search: the given one first, then seed + k × EXTRA_SEED_STRIDE."""
    return [seed + k * EXTRA_SEED_STRIDE for k in range(searches)]


def solve_routing(
    data: ProblemData,
    *,
    seconds: float,
    seed: int,
    iterations: int | None = None,
    progress: Callable[[str], None] | None = None,
    searches: int | None = None,
) -> Solution:
    """Best solution PyVRP finds within `seconds` (and `iterations`, if given).

    `searches` independent searches (default: default_searches) run side by side, with the
    seeds of search_seeds; the best solution wins, ties going to the earlier seed. PyVRP
    is deterministic for a seed and a number of iterations, so with `iterations` the
    result is the same on any machine that gets that far; a time limit alone makes the
    number of iterations, so the result, depend on the machine's speed.
    """
    deadline = time.monotonic() + seconds
    count = default_searches(data) if searches is None else max(1, searches)
    seeds = search_seeds(seed, count)
    if count == 1:
        return _search(data, seeds[0], deadline, iterations, progress, seconds)
    _tell(progress, f"Running {count} searches side by side (seeds {', '.join(map(str, seeds))})")
    sides = [
        _SideSearch(data, other, deadline - HANDOVER_SECONDS, iterations) for other in seeds[1:]
    ]
    try:
        solutions = [
            _search(data, seeds[0], deadline - HANDOVER_SECONDS, iterations, progress, seconds)
        ]
        for side in sides:
            solution = side.result(deadline)
            if isinstance(solution, Solution):
                solutions.append(solution)
            else:  # a failed side search costs quality, never the plan
                _tell(progress, f"A side search gave no plan ({solution}); using the others")
    finally:
        for side in sides:
            side.stop()
    return min(solutions, key=_objective)


class _SideSearch:
    """A search in a process of its own, at the lowest priority: on a busy machine it takes
    nothing from the main search (or anything else); on an idle core it runs at full speed.

    Spawned, not forked: safe beside threads, database connections and Django.
    """

    def __init__(self, data: ProblemData, seed: int, deadline: float, iterations: int | None):
        self._process: multiprocessing.process.BaseProcess | None = None
        self._problem = ""
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        try:
            self._process = context.Process(
                target=_side_search,
                args=(send, data, seed, deadline, iterations),
                name=f"routing search {seed}",
            )
            self._process.start()
        except Exception as error:  # e.g. no processes allowed here: the main search goes on
            self._process = None
            self._problem = f"could not start: {error}"
        finally:
            send.close()

    def result(self, deadline: float) -> "Solution | str":
        """The side search's solution, or why there is none; waits until `deadline` at most."""
        if self._process is None:
            return self._problem
        try:
            if self._receive.poll(max(0.0, deadline - time.monotonic())):
                return self._receive.recv()
            return "not finished in time"
        except (EOFError, OSError) as error:
            return f"ended without a plan: {error!r}"

    def stop(self) -> None:
        self._receive.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join(timeout=1)


def _side_search(
    send: Connection, data: ProblemData, seed: int, deadline: float, iterations: int | None
) -> None:
    if hasattr(os, "nice"):
        os.nice(SIDE_SEARCH_NICENESS)
    try:
        try:
            outcome: Solution | str = _search(data, seed, deadline, iterations)
        except Exception as error:
            outcome = f"failed: {error!r}"
        send.send(outcome)
    except OSError:  # the main search has stopped listening: nobody to tell
        pass
    finally:
        send.close()


def _objective(solution: Solution) -> tuple[bool, int]:
    """Feasible before infeasible, then PyVRP's cost: travel plus the prizes of stops left out."""
    return (not solution.is_feasible(), CostEvaluator([], 0, 0).penalised_cost(solution))


def _tell(progress: Callable[[str], None] | None, message: str) -> None:
    if progress is not None:
        progress(message)


def history_length(iterations: float) -> int:
    """Late-acceptance history for a search of about this many iterations."""
    return int(min(MAX_HISTORY, max(MIN_HISTORY, iterations * HISTORY_SHARE)))


def _search(
    data: ProblemData,
    seed: int,
    deadline: float,
    iterations: int | None,
    progress: Callable[[str], None] | None = None,
    seconds: float = 0.0,
) -> Solution:
    """One iterated local search, as pyvrp.solve runs it but for the history length."""
    rng = RandomNumberGenerator(seed=seed)
    neighbours = compute_neighbours(data, NeighbourhoodParams())
    local_search = LocalSearch(data, rng, neighbours, PerturbationManager(PerturbationParams()))
    for operator in OPERATORS:
        if operator.supports(data):
            local_search.add_operator(operator(data))
    params = PenaltyParams()
    penalties = PenaltyManager(params.midpoint_penalties(data), params)
    # As pyvrp.solve: a random solution, repaired with lateness at its highest cost.
    best = local_search(
        Solution.make_random(data, rng), penalties.max_cost_evaluator(), exhaustive=True
    )
    report = _ReportingStop(seconds, progress) if progress is not None else None
    if iterations is None:
        # Learn the pace: a short search with the shortest history, then the rest.
        started = time.monotonic()
        pace_until = started + PACE_SHARE * max(0.0, deadline - started)
        first = _run(data, penalties, local_search, best, MIN_HISTORY, pace_until, None, report)
        best, done = first.best, first.num_iterations
        spent = time.monotonic() - started
        planned = done + done * max(0.0, deadline - time.monotonic()) / max(spent, 1e-6)
        return _run(
            data, penalties, local_search, best, history_length(planned), deadline, None, report
        ).best
    return _run(
        data,
        penalties,
        local_search,
        best,
        history_length(iterations),
        deadline,
        iterations,
        report,
    ).best


def _run(
    data: ProblemData,
    penalties: PenaltyManager,
    local_search: LocalSearch,
    start: Solution,
    history: int,
    deadline: float,
    iterations: int | None,
    report: "_ReportingStop | None",
) -> Result:
    stop: StoppingCriterion = _Deadline(deadline)
    if iterations is not None:
        stop = MultipleCriteria([MaxIterations(iterations), stop])
    if report is not None:
        stop = report.wrapping(stop)
    params = IteratedLocalSearchParams(history_length=history)
    return IteratedLocalSearch(data, penalties, local_search, start, params).run(
        stop, collect_stats=False
    )
