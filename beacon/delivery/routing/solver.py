"""The one call into PyVRP, shared by the delivery planner and the benchmark."""

import time
from collections.abc import Callable

from pyvrp import ProblemData, Solution
from pyvrp.solve import solve
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

PROGRESS_INTERVAL_SECONDS = 5.0


class _ReportingStop:
    """Wraps a stopping criterion to report, every few seconds, how far the search has got."""

    def __init__(self, inner: StoppingCriterion, seconds: float, report: Callable[[str], None]):
        self._inner = inner
        self._seconds = seconds
        self._report = report
        self._started = time.perf_counter()
        self._last_report = self._started
        self._iterations = 0

    def __call__(self, best_cost: float) -> bool:
        self._iterations += 1
        now = time.perf_counter()
        if now - self._last_report >= PROGRESS_INTERVAL_SECONDS:
            self._last_report = now
            self._report(
                f"Searching: {now - self._started:.0f} s of {self._seconds:g} s, "
                f"{self._iterations:,} iterations"
            )
        return self._inner(best_cost)


def solve_routing(
    data: ProblemData,
    *,
    seconds: float,
    seed: int,
    iterations: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Solution:
    """Best solution PyVRP finds within `seconds` (and `iterations`, if given).

    PyVRP is deterministic for a seed and a number of iterations; a time limit alone
    makes the number of iterations, so the result, depend on the machine's speed.
    """
    stop: StoppingCriterion = MaxRuntime(seconds)
    if iterations is not None:
        stop = MultipleCriteria([MaxIterations(iterations), stop])
    if progress is not None:
        stop = _ReportingStop(stop, seconds, progress)
    result = solve(data, stop, seed=seed, collect_stats=False, display=False)
    return result.best
