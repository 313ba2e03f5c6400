"""``solve()``: construct a feasible timetable, then improve it by simulated annealing.

Phases, all inside ``time_limit``:

1. Construction (:mod:`construct`): a saturation-degree greedy that already minimises the soft
   penalty of each placement; when it gets stuck, a CP-SAT period model plus room packing.  The
   numba kernels compile (or load from cache) in a thread meanwhile.
2. The compiled annealer (:mod:`kernel`) runs in short chunks so that progress can be reported
   and ``should_stop`` polled.  Moves: shift an exam (its coincidence group) to another period
   and/or room, change room, swap two exams, Kempe chain between two periods.  The temperature
   falls geometrically with *elapsed time* from a start value measured on the instance to a small
   end value, so one schedule fits any time limit.  Late in the run a chain that drifted far
   above its best goes back to it.

Determinism: the same seed gives the same construction and the same move sequence per chunk; as
chunk lengths and the temperature follow the wall clock, two time-limited runs can still differ.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from scheduling.examtt import kernel
from scheduling.examtt.construct import construct
from scheduling.examtt.cost import hard_violations, soft_breakdown
from scheduling.examtt.data import ProblemData, build_data
from scheduling.examtt.problem import Problem, Result

ProgressCallback = Callable[[float, int, int | None], None]

# Move mix (cumulative): shift / room change / swap / Kempe chain.
MOVE_CDF = np.array([0.45, 0.55, 0.75, 1.0])
END_TEMPERATURE = 0.2
CHUNK_SECONDS = 0.25
# Start temperature = START_FACTOR x mean uphill delta of random moves.  Measured at 60 s on sets
# 1, 3, 7: 0.1 beat 1.0 on all three; 0.03 and 0.01 were worse on set 3 (10143, 10386 vs 8674).
START_FACTOR = 0.1
# Parallel annealing chains (threads; the kernels release the GIL) with elitist synchronisation.
# On the shared 2-core machine (load ~5) two chains did worse than one (set 7, 60 s: 4267 vs 4104),
# so one chain is the default; CP-SAT still gets ``num_workers`` for the construction.
ANNEAL_CHAINS = 1


class _Annealer:
    """One annealing chain: its own kernel state, current and best timetable."""

    def __init__(self, data: ProblemData, period: np.ndarray, room: np.ndarray, seed: int) -> None:
        self.data = data
        self.S = kernel.static_arrays(data)
        self.mark = np.zeros(data.n_exams + 1, dtype=np.int64)
        self.best_period = period.copy()
        self.best_room = room.copy()
        self.restart_from_best()
        self.best = self.cur
        self.seed = seed
        self.chunk = 0
        self.n_iter = 2000

    def start_temperature(self) -> float:
        return float(kernel.sample_deltas(self.S, self.X, 2000, MOVE_CDF, self.seed % 2**32, self.mark))

    def run_chunk(self, n_iter: int, t_start: float, t_end: float) -> None:
        self.chunk += 1
        self.cur, self.best, _ = kernel.anneal(
            self.S, self.X, n_iter, t_start, t_end, self.cur, self.best, self.best_period,
            self.best_room, MOVE_CDF, (self.seed * 100003 + self.chunk) % 2**32, self.mark)
        self.cur, self.best = int(self.cur), int(self.best)

    def timed_chunk(self, t_start: float, t_end: float) -> None:
        """Run one chunk and size the next one to last about CHUNK_SECONDS."""
        tick = time.monotonic()
        self.run_chunk(self.n_iter, t_start, t_end)
        took = max(1e-4, time.monotonic() - tick)
        self.n_iter = int(min(5_000_000, max(1000, self.n_iter * CHUNK_SECONDS / took)))

    def restart_from_best(self) -> None:
        self.X = kernel.empty_state(self.data)
        self.cur = int(kernel.place_all(self.best_period, self.best_room, self.S, self.X))

    def adopt(self, other: _Annealer) -> None:
        """Continue from the other chain's best timetable (elitist synchronisation)."""
        self.best_period[:] = other.best_period
        self.best_room[:] = other.best_room
        self.best = other.best
        self.restart_from_best()


def _anneal(chains: list[_Annealer], deadline: float, t0: float, on_progress: ProgressCallback | None,
            should_stop: Callable[[], bool] | None, started: float) -> str:
    """Run the chains in parallel threads (the kernels release the GIL) until the deadline.

    Every twentieth of the run, chains whose best is worse than the overall best continue from
    it; a chain that has drifted far above its own best late in the run goes back to it.
    """
    begin = time.monotonic()
    span = max(1e-3, deadline - begin)
    last_sync, last_best = begin, min(c.best for c in chains)
    pool = ThreadPoolExecutor(len(chains)) if len(chains) > 1 else None
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                return "TIME_LIMIT"
            if should_stop is not None and should_stop():
                return "STOPPED"
            frac = (now - begin) / span
            temp = t0 * (END_TEMPERATURE / t0) ** frac
            t_end = t0 * (END_TEMPERATURE / t0) ** min(1.0, frac + CHUNK_SECONDS / span)
            if pool is None:
                chains[0].timed_chunk(temp, t_end)
            else:
                list(pool.map(lambda c: c.timed_chunk(temp, t_end), chains))
            leader = min(chains, key=lambda c: c.best)
            if len(chains) > 1 and time.monotonic() - last_sync >= span / 20:
                last_sync = time.monotonic()
                for chain in chains:
                    if chain.best > leader.best:
                        chain.adopt(leader)
            for chain in chains:
                if frac > 0.5 and chain.cur > chain.best * 1.02 + 10 * temp:
                    chain.restart_from_best()
            if leader.best < last_best:
                last_best = leader.best
                if on_progress is not None:
                    on_progress(time.monotonic() - started, last_best, None)
    finally:
        if pool is not None:
            pool.shutdown()


def _result(problem: Problem, data: ProblemData, period: np.ndarray | None, room: np.ndarray | None,
            started: float, status: str) -> Result:
    elapsed = time.monotonic() - started
    if period is None or room is None:
        return Result(assignment=tuple(None for _ in problem.exams), feasible=False, penalty=None,
                      breakdown={}, elapsed=elapsed, lower_bound=None, status=status)
    breakdown = soft_breakdown(problem, data, period, room)
    feasible = hard_violations(data, period, room) == 0
    return Result(assignment=tuple((int(p), int(r)) for p, r in zip(period, room)),
                  feasible=feasible, penalty=sum(breakdown.values()), breakdown=breakdown,
                  elapsed=elapsed, lower_bound=None, status=status if feasible else "INFEASIBLE")


def solve(problem: Problem, *, time_limit: float, seed: int = 0, num_workers: int = 2,
          on_progress: ProgressCallback | None = None,
          should_stop: Callable[[], bool] | None = None) -> Result:
    """Find a feasible timetable with a low soft penalty within ``time_limit`` seconds.

    ``on_progress(elapsed, best_penalty, bound)`` is called whenever the best penalty improves;
    ``should_stop()`` is polled and, when true, the best timetable found so far is returned.
    """
    started = time.monotonic()
    deadline = started + time_limit
    if not problem.exams:
        return Result((), True, 0, {}, 0.0, 0, "OPTIMAL")
    if not problem.periods or not problem.rooms:
        return _result(problem, build_data(problem), None, None, started, "INFEASIBLE")
    data = build_data(problem)
    compiler = threading.Thread(target=kernel.warm_up, daemon=True)
    compiler.start()
    start = construct(data, deadline=deadline, seed=seed, num_workers=num_workers,
                      should_stop=should_stop)
    if start is None:
        return _result(problem, data, None, None, started, "NO_SOLUTION")
    compiler.join(timeout=max(0.0, deadline - time.monotonic()))
    if compiler.is_alive():  # cold numba compile outlasted the time limit: keep the construction
        return _result(problem, data, *start, started, "FEASIBLE")
    n_chains = max(1, min(ANNEAL_CHAINS, num_workers))
    chains = [_Annealer(data, *start, seed=seed * 7919 + k) for k in range(n_chains)]
    if on_progress is not None:
        on_progress(time.monotonic() - started, chains[0].best, None)
    status = "FEASIBLE"
    if time.monotonic() < deadline and not (should_stop is not None and should_stop()):
        t0 = max(END_TEMPERATURE * 2, START_FACTOR * chains[0].start_temperature())
        status = _anneal(chains, deadline, t0, on_progress, should_stop, started)
    best = min(chains, key=lambda c: c.best)
    status = "STOPPED" if status == "STOPPED" else "FEASIBLE"
    return _result(problem, data, best.best_period, best.best_room, started, status)
