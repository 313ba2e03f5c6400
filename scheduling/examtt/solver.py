"""``solve()``: construct a feasible timetable, then improve it by simulated annealing.

Phases, all inside ``time_limit``:

1. Construction (:mod:`construct`): a saturation-degree greedy that already minimises the soft
   penalty of each placement; when it gets stuck, a CP-SAT period model plus room packing.  The
   numba kernels compile (or load from cache) in a thread meanwhile.
2. The compiled annealer (:mod:`kernel`) runs in short chunks so that progress can be reported
   and ``should_stop`` polled.  Moves: shift an exam (its coincidence group) to another period
   and/or room, change room, swap two exams, Kempe chain between two periods, swap two whole
   periods.  The temperature falls geometrically with *elapsed time* from a start value measured
   on the instance to a small end value, so one schedule fits any time limit.  Late in the run a
   chain that drifted far above its best goes back to it.
3. With two workers, two independent chains run side by side (threads; the kernels release the
   GIL), each with its own start temperature and move mix (:data:`CHAINS`), and the better one
   wins: no single setting suits every instance (ITC set 4 wants a hotter start and period swaps,
   which make sets 1 and 7 worse).  A quarter of the way through, a colder chain that does not
   clearly lead a hotter one starts again from the construction with the hotter setting
   (:func:`_race`): a colder chain settles sooner, so it leads early, and widely, whenever its
   setting suits the instance; a hotter chain level with it or ahead by then means the colder
   setting is the wrong one, and the thread is better spent on a second try of the one that suits.

Determinism: the same seed gives the same construction and the same move sequence per chunk; as
chunk lengths and the temperature follow the wall clock, two time-limited runs can still differ.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from scheduling.examtt import kernel
from scheduling.examtt.construct import construct
from scheduling.examtt.cost import hard_violations, soft_breakdown
from scheduling.examtt.data import ProblemData, build_data
from scheduling.examtt.problem import Problem, Result

ProgressCallback = Callable[[float, int, int | None], None]

log = logging.getLogger(__name__)

END_TEMPERATURE = 0.2
CHUNK_SECONDS = 0.25
# The start temperature is measured on single-exam and Kempe moves (shift / room change / swap /
# Kempe chain, cumulative): a period swap moves every exam of two periods, so its deltas are an
# order larger and would double the measured mean.
TEMPERATURE_CDF = np.array([0.45, 0.55, 0.75, 1.0])


@dataclass(frozen=True)
class ChainSetting:
    """How one annealing chain searches: its start temperature is ``start_factor`` x the mean uphill
    delta of random moves, and ``move_cdf`` is its move mix (cumulative probabilities of shift / room
    change / swap / Kempe chain / period swap)."""

    start_factor: float
    move_cdf: np.ndarray


# One chain per worker, the first alone with one worker.  No single setting suits every instance.
# Measured at a fixed number of moves (so the machine's load does not matter), mean of 3-4 seeds:
# without period swaps, start factor 0.1 gives set 1 4973, set 7 4251, set 4 14816; with 5 % period
# swaps at the same temperature sets 1 and 7 get worse (5077, 4380).  Set 4 (one room, 21 periods)
# wants it the other way round: start factor 0.25 gives 13716, and with 5 % period swaps 13298.
# (Set 4 at 7 million moves, sets 1 and 7 at 5 million, far fewer than a 300-s run makes: set 4 runs at
# about 0.9 million moves per second per chain, "Exam-timetabling annealer: moves per second" in
# docs/benchmarks.md.)
CHAINS = (
    ChainSetting(0.1, np.array([0.45, 0.55, 0.75, 1.0, 1.0])),
    ChainSetting(0.25, np.array([0.45, 0.55, 0.75, 0.95, 1.0])),
)

# When the chains are compared (fraction of the annealing time), and how far a colder chain must lead a
# hotter one then to keep its setting.  Measured in 300-s runs, the hotter chain's best against the
# colder one's at this point, and how the two ended: sets 1 and 3 (seed 0), 34 % and 44 % behind (they
# ended within 0.8 % of each other on set 1, the colder chain 2.4 % ahead on set 3).  Set 4 (seven runs,
# seeds 0-5): 4 % or 5.5 % ahead, or 0.9 % or 1 % behind, in four, where the colder chain ended 8-11 % worse
# where it ran on (13375 against 11825, 13515 against 12158, 13549 against 12445); 8.7 %, 11 % and 14 %
# behind in three, where the colder chain ended 2-10 % better (12171, 12706, 11138).
RACE_AT = 0.25
RACE_MARGIN = 0.05


class _Annealer:
    """One annealing chain: its own kernel state, current and best timetable."""

    def __init__(self, data: ProblemData, period: np.ndarray, room: np.ndarray, seed: int,
                 setting: ChainSetting) -> None:
        self.data = data
        self.setting = setting
        self.t_high = self.began = self.span = 0.0  # its cooling (cool_from)
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
        mean_uphill = kernel.sample_deltas(self.S, self.X, 2000, TEMPERATURE_CDF, self.seed % 2**32, self.mark)
        return max(END_TEMPERATURE * 2, self.setting.start_factor * float(mean_uphill))

    def cool_from(self, now: float, deadline: float) -> None:
        """Start cooling: from the measured start temperature at ``now`` to the end one at ``deadline``."""
        self.t_high, self.began, self.span = self.start_temperature(), now, max(1e-3, deadline - now)

    def temperatures(self, now: float) -> tuple[float, float, float]:
        """How far through its cooling the chain is at ``now``, and the temperatures at the start and the
        end of a chunk begun then."""
        frac = (now - self.began) / self.span
        frac_end = min(1.0, frac + CHUNK_SECONDS / self.span)
        ratio = END_TEMPERATURE / self.t_high
        return frac, self.t_high * ratio ** frac, self.t_high * ratio ** frac_end

    def run_chunk(self, n_iter: int, t_start: float, t_end: float) -> None:
        self.chunk += 1
        self.cur, self.best, _ = kernel.anneal(
            self.S, self.X, n_iter, t_start, t_end, self.cur, self.best, self.best_period,
            self.best_room, self.setting.move_cdf, (self.seed * 100003 + self.chunk) % 2**32, self.mark)
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


def _race(chains: list[_Annealer], fresh: Callable[[ChainSetting, int], _Annealer]) -> list[_Annealer]:
    """The chains after the race: a chain that does not lead every hotter chain by more than
    :data:`RACE_MARGIN` is replaced by ``fresh(setting, its index)``, with the setting of the best such
    hotter chain; the others stay.  (The caller keeps a replaced chain's best timetable.)
    """
    after = []
    for k, chain in enumerate(chains):
        close = [other for other in chains if other.setting.start_factor > chain.setting.start_factor
                 and other.best <= chain.best * (1 + RACE_MARGIN)]
        after.append(fresh(min(close, key=lambda c: c.best).setting, k) if close else chain)
    return after


def _anneal(chains: list[_Annealer], deadline: float, on_progress: ProgressCallback | None,
            should_stop: Callable[[], bool] | None, started: float,
            fresh: Callable[[ChainSetting, int], _Annealer] | None = None) -> tuple[str, list[_Annealer]]:
    """Run the chains side by side in threads (the kernels release the GIL) until the deadline.

    Each chain cools from its own start temperature; a chain that has drifted far above its own
    best late in its cooling goes back to it.  At :data:`RACE_AT` the chains race (:func:`_race`);
    a new chain cools over the time that is left.  Returns the status and every chain that ran.
    """
    begin = time.monotonic()
    for chain in chains:
        chain.cool_from(begin, deadline)
    raced = fresh is None or len(chains) < 2
    retired: list[_Annealer] = []
    last_best = min(c.best for c in chains)
    pool = ThreadPoolExecutor(len(chains)) if len(chains) > 1 else None
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                return "TIME_LIMIT", chains + retired
            if should_stop is not None and should_stop():
                return "STOPPED", chains + retired
            if not raced and (now - begin) >= RACE_AT * (deadline - begin):
                raced = True
                after = _race(chains, fresh)
                for k, (chain, new) in enumerate(zip(chains, after)):
                    if new is not chain:
                        log.info("race: chain %d (start factor %g, best %d) starts again with start "
                                 "factor %g (best of the chains %d)", k, chain.setting.start_factor,
                                 chain.best, new.setting.start_factor, min(c.best for c in chains))
                        retired.append(chain)
                        new.cool_from(now, deadline)
                chains = after
            temps = [chain.temperatures(now) for chain in chains]
            if pool is None:
                chains[0].timed_chunk(*temps[0][1:])
            else:
                list(pool.map(lambda chain, t: chain.timed_chunk(*t[1:]), chains, temps))
            for chain, (frac, temp, _) in zip(chains, temps):
                if frac > 0.5 and chain.cur > chain.best * 1.02 + 10 * temp:
                    chain.restart_from_best()
            best = min(c.best for c in chains)
            if best < last_best:
                last_best = best
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
    while compiler.is_alive() and time.monotonic() < deadline and not (should_stop is not None and should_stop()):
        compiler.join(timeout=0.1)
    if compiler.is_alive():  # a cold numba compile outlasted the time limit or a stop: keep the construction
        return _result(problem, data, *start, started, "STOPPED" if time.monotonic() < deadline else "FEASIBLE")
    chains = [_Annealer(data, *start, seed=seed * 7919 + k, setting=setting)
              for k, setting in enumerate(CHAINS[:max(1, num_workers)])]

    def fresh(setting: ChainSetting, k: int) -> _Annealer:  # a chain the race starts again
        return _Annealer(data, *start, seed=seed * 7919 + len(CHAINS) + k, setting=setting)

    if on_progress is not None:
        on_progress(time.monotonic() - started, chains[0].best, None)
    status = "FEASIBLE"
    if time.monotonic() < deadline and not (should_stop is not None and should_stop()):
        status, chains = _anneal(chains, deadline, on_progress, should_stop, started, fresh)
    best = min(chains, key=lambda c: c.best)  # every chain that ran, those the race replaced included
    status = "STOPPED" if status == "STOPPED" else "FEASIBLE"
    return _result(problem, data, best.best_period, best.best_room, started, status)
