"""Feasible initial timetable: a soft-aware greedy first, CP-SAT when the greedy gets stuck.

Greedy: saturation-degree order (fewest usable periods first), each exam put in the usable period
where it costs least given the exams already placed, in the fullest room that fits.  It builds all
eight ITC2007 sets in 0.1-3 s, set 4 included, and starts the annealing far lower than CP-SAT.

CP-SAT fallback: a full period x room model has E*P*R booleans (1.7 M on ITC set 2) while the
period part alone is small, and with rooms that hold several exams the room part of a fixed
period is an easy bin-packing problem.  The period model therefore carries aggregated seat limits
per period (nested by room size); when the packing of some period fails, that period's limit is
tightened and the model solved again (a simple Benders-style loop).  With a single room (ITC set
4) the aggregated limit is exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from scheduling.examtt.data import REL_AFTER, REL_BEFORE, REL_DIFFERENT, REL_SAME, ProblemData


def _edge_cover_cliques(data: ProblemData) -> list[tuple[int, ...]]:
    """Student enrolment sets that together cover every conflict edge (largest first).

    Each set is a clique of the conflict graph and becomes one at-most-one per period; sets whose
    edges are all covered by bigger sets add nothing and are dropped to keep the model small.
    """
    covered: set[tuple[int, int]] = set()
    chosen = []
    for clique in sorted(data.student_sets, key=len, reverse=True):
        pairs = {(clique[i], clique[j]) for i in range(len(clique)) for j in range(i + 1, len(clique))}
        if not pairs <= covered:
            chosen.append(clique)
            covered |= pairs
    return chosen


class PeriodModel:
    """CP-SAT model deciding only the period of every exam."""

    def __init__(self, data: ProblemData, capacity: np.ndarray, leveled: set[int], seed: int,
                 num_workers: int) -> None:
        self.data = data
        self.model = cp_model.CpModel()
        self.seed = seed
        self.num_workers = num_workers
        m = self.model
        self.x: list[dict[int, cp_model.IntVar]] = []
        for e in range(data.n_exams):
            self.x.append({p: m.new_bool_var(f"x{e}_{p}") for p in range(data.n_periods)
                           if data.allowed[e, p]})
            m.add_exactly_one(self.x[e].values())
        self.period_of = [m.new_int_var(0, data.n_periods - 1, f"p{e}") for e in range(data.n_exams)]
        for e in range(data.n_exams):
            m.add(self.period_of[e] == sum(p * v for p, v in self.x[e].items()))
        self._add_conflicts()
        self._add_relations()
        self._add_capacity(capacity, leveled)

    def _add_conflicts(self) -> None:
        for clique in _edge_cover_cliques(self.data):
            for p in range(self.data.n_periods):
                lits = [self.x[e][p] for e in clique if p in self.x[e]]
                if len(lits) > 1:
                    self.model.add_at_most_one(lits)

    def _add_relations(self) -> None:
        d, m = self.data, self.model
        for e in range(d.n_exams):
            for k in range(d.rel_ptr[e], d.rel_ptr[e + 1]):
                other, kind = int(d.rel_other[k]), int(d.rel_kind[k])
                if kind == REL_AFTER:
                    m.add(self.period_of[e] > self.period_of[other])
                elif kind == REL_SAME and e < other:
                    m.add(self.period_of[e] == self.period_of[other])
                elif kind == REL_DIFFERENT and e < other:
                    for p in set(self.x[e]) & set(self.x[other]):
                        m.add_at_most_one([self.x[e][p], self.x[other][p]])

    def _add_capacity(self, capacity: np.ndarray, leveled: set[int]) -> None:
        """Seat limit per period; in ``leveled`` periods (whose packing failed before) also nested
        limits: exams larger than a room level only fit in the rooms above that level."""
        d = self.data
        levels = sorted({int(c) for c in d.room_capacity})[:-1]
        for p in range(d.n_periods):
            exams = [e for e in range(d.n_exams) if p in self.x[e]]
            self.model.add(sum(int(d.size[e]) * self.x[e][p] for e in exams) <= int(capacity[p]))
            for level in levels if p in leveled else ():
                big = [e for e in exams if d.size[e] > level]
                seats = int(d.room_capacity[d.room_capacity > level].sum())
                if sum(int(d.size[e]) for e in big) > seats:
                    self.model.add(sum(int(d.size[e]) * self.x[e][p] for e in big) <= seats)
            exclusive = [self.x[e][p] for e in exams if d.exclusive[e]]
            if len(exclusive) > d.n_rooms:
                self.model.add(sum(exclusive) <= d.n_rooms)

    def solve(self, time_limit: float, should_stop: Callable[[], bool] | None) -> np.ndarray | None:
        """Periods of a feasible solution, or None (infeasible or out of time)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, time_limit)
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.seed
        if should_stop is not None:
            callback = _StopCallback(should_stop)
            status = solver.solve(self.model, callback)
        else:
            status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return np.array([solver.value(v) for v in self.period_of], dtype=np.int64)


class _StopCallback(cp_model.CpSolverSolutionCallback):
    """Only used to poll ``should_stop``; a feasibility model stops at its first solution anyway."""

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        super().__init__()
        self._should_stop = should_stop

    def on_solution_callback(self) -> None:
        if self._should_stop():
            self.stop_search()


def _pack_greedy(data: ProblemData, exams: list[int]) -> dict[int, int] | None:
    """Best-fit decreasing: room-exclusive exams take the smallest free room that fits them,
    the others the fullest room that still has space."""
    exams = sorted(exams, key=lambda e: (not data.exclusive[e], -data.size[e]))
    free = data.room_capacity.astype(np.int64).copy()
    locked = np.zeros(data.n_rooms, dtype=bool)
    used = np.zeros(data.n_rooms, dtype=bool)
    rooms: dict[int, int] = {}
    for e in exams:
        fits = (~locked) & (free >= data.size[e])
        if data.exclusive[e]:
            fits &= ~used
        candidates = np.flatnonzero(fits)
        if len(candidates) == 0:
            return None
        r = int(candidates[np.argmin(free[candidates])])
        rooms[e] = r
        free[r] -= data.size[e]
        used[r] = True
        locked[r] |= bool(data.exclusive[e])
    return rooms


def _pack_exact(data: ProblemData, exams: list[int], time_limit: float) -> dict[int, int] | None:
    """Exact bin packing of one period's exams with CP-SAT (a few exams, so it is instant)."""
    m = cp_model.CpModel()
    y = {(e, r): m.new_bool_var(f"y{e}_{r}") for e in exams for r in range(data.n_rooms)
         if data.size[e] <= data.room_capacity[r]}
    for e in exams:
        m.add_exactly_one(v for (f, _), v in y.items() if f == e)
    for r in range(data.n_rooms):
        here = [(e, v) for (e, q), v in y.items() if q == r]
        m.add(sum(int(data.size[e]) * v for e, v in here) <= int(data.room_capacity[r]))
        for e, v in here:
            if data.exclusive[e]:
                for f, w in here:
                    if f != e:
                        m.add_implication(v, w.Not())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {e: r for (e, r), v in y.items() if solver.value(v)}


def pack_rooms(data: ProblemData, period: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Assign rooms period by period; returns the rooms and the periods that could not be packed."""
    room = np.full(data.n_exams, -1, dtype=np.int64)
    failed = []
    for p in range(data.n_periods):
        exams = [int(e) for e in np.flatnonzero(period == p)]
        rooms = _pack_greedy(data, exams) or _pack_exact(data, exams, 2.0)
        if rooms is None:
            failed.append(p)
            continue
        for e, r in rooms.items():
            room[e] = r
    return room, failed


def construct(data: ProblemData, *, deadline: float, seed: int = 0, num_workers: int = 2,
              should_stop: Callable[[], bool] | None = None,
              greedy: bool = True) -> tuple[np.ndarray, np.ndarray] | None:
    """A feasible (period, room) assignment, or None when none was found before ``deadline``.

    The greedy construction is tried first (fast, and soft-aware, so the annealing starts lower);
    when it gets stuck, the CP-SAT period model decides.
    """
    if greedy:
        start = greedy_construct(data, min(deadline, time.monotonic() + 15.0))
        if start is not None:
            return start
    return cpsat_construct(data, deadline=deadline, seed=seed, num_workers=num_workers,
                           should_stop=should_stop)


def cpsat_construct(data: ProblemData, *, deadline: float, seed: int = 0, num_workers: int = 2,
                    should_stop: Callable[[], bool] | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """CP-SAT periods + room packing (see module docstring).

    With several rooms the aggregated limit starts 5 % below the total seats, which leaves the
    packing some slack; if that makes the model infeasible it falls back to the exact total.
    """
    total = int(data.room_capacity.sum())
    slack = 0.95 if data.n_rooms > 1 else 1.0
    capacity = np.full(data.n_periods, int(total * slack), dtype=np.int64)
    # Few rooms: nested limits everywhere (cheap, and packing is tight); many rooms: lazily.
    leveled: set[int] = set(range(data.n_periods)) if data.n_rooms <= 10 else set()
    while time.monotonic() < deadline and not (should_stop is not None and should_stop()):
        model = PeriodModel(data, capacity, leveled, seed, num_workers)
        period = model.solve(deadline - time.monotonic(), should_stop)
        if period is None:
            if slack == 1.0 or time.monotonic() >= deadline:
                return None
            slack = 1.0
            capacity[:] = total
            continue
        room, failed = pack_rooms(data, period)
        if not failed:
            return period, room
        for p in failed:
            if p in leveled:
                load = int(data.size[period == p].sum())
                capacity[p] = min(capacity[p], load) - max(1, load // 20)
            leveled.add(p)
    return None


def _greedy_place_order(data: ProblemData, period: np.ndarray, free_ok: np.ndarray,
                        order_first: bool) -> int:
    """Next exam (DSatur): fewest usable periods, then most conflicts, then largest; with
    ``order_first`` the exams in AFTER relations go before all others."""
    unplaced = np.flatnonzero(period < 0)
    usable = free_ok[unplaced].sum(axis=1)
    degree = np.diff(data.adj_ptr)[unplaced]
    ordered = _ordered_exams(data)[unplaced] if order_first else np.zeros(len(unplaced), dtype=bool)
    key = np.lexsort((-data.size[unplaced], -degree, usable, ~ordered))
    return int(unplaced[key[0]])


def _ordered_exams(data: ProblemData) -> np.ndarray:
    """Exams taking part in an AFTER relation."""
    kinds = np.isin(data.rel_kind, (REL_AFTER, REL_BEFORE))
    owner = np.repeat(np.arange(data.n_exams), np.diff(data.rel_ptr))
    ordered = np.zeros(data.n_exams, dtype=bool)
    ordered[owner[kinds]] = True
    return ordered


def _leaves_room_for_order(data: ProblemData, exam: int, p: int, period: np.ndarray) -> bool:
    """Keep a period free on the proper side for an AFTER partner that is not placed yet."""
    for k in range(data.rel_ptr[exam], data.rel_ptr[exam + 1]):
        if period[data.rel_other[k]] >= 0:
            continue
        if data.rel_kind[k] == REL_AFTER and p == 0:
            return False
        if data.rel_kind[k] == REL_BEFORE and p == data.n_periods - 1:
            return False
    return True


def greedy_construct(data: ProblemData, deadline: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Saturation-degree construction, plain order first, then AFTER-related exams first."""
    for order_first in (False, True):
        start = _greedy_attempt(data, deadline, order_first)
        if start is not None:
            return start
    return None


def _greedy_attempt(data: ProblemData, deadline: float,
                    order_first: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """Saturation-degree construction without backtracking; None when it gets stuck.

    Much faster than the CP-SAT model on the easy instances; an exam is put in the usable period
    that costs least with the exams already placed, in the fullest room that fits it.
    """
    from scheduling.examtt import kernel

    S, X = kernel.static_arrays(data), kernel.empty_state(data)
    period, room, conf, load, excl = X[0], X[1], X[2], X[3], X[5]
    members = [data.group_members[data.group_ptr[g]:data.group_ptr[g + 1]]
               for g in range(len(data.group_ptr) - 1)]
    while (period < 0).any():
        if time.monotonic() > deadline:
            return None
        free = np.where(excl == 0, data.room_capacity[None, :] - load, -1).max(axis=1)
        free_ok = data.allowed & (conf == 0) & (data.size[:, None] <= free[None, :])
        exam = _greedy_place_order(data, period, free_ok, order_first)
        group = members[data.group[exam]]
        best = None
        for p in np.flatnonzero(free_ok[exam]):
            if not _leaves_room_for_order(data, exam, int(p), period):
                continue
            rooms = _greedy_rooms(data, group, int(p), S, X)
            if rooms is not None:
                cost = sum(kernel._pair(int(e), int(p), S, X) + kernel._own(int(e), int(p), r, S)
                           for e, r in zip(group, rooms))
                if best is None or cost < best[0]:
                    best = (cost, int(p), rooms)
        if best is None:
            return None
        for e, r in zip(group, best[2]):
            kernel._add(int(e), best[1], r, S, X)
    return period.copy(), room.copy()


def _greedy_rooms(data: ProblemData, group, p: int, S, X) -> list[int] | None:
    """Rooms for the exams of ``group`` in period p (placed tentatively, then taken out again)."""
    from scheduling.examtt import kernel

    placed: list[tuple[int, int]] = []
    rooms = None
    for e in group:
        e = int(e)
        if not kernel._period_ok(e, p, S, X):
            break
        free = data.room_capacity - X[3][p]
        fits = free >= data.size[e]
        fits &= (X[4][p] == 0) if data.exclusive[e] else (X[5][p] == 0)
        candidates = np.flatnonzero(fits)
        if len(candidates) == 0:
            break
        r = int(candidates[np.argmin(free[candidates])])
        kernel._add(e, p, r, S, X)
        placed.append((e, r))
    else:
        rooms = [r for _, r in placed]
    for e, _ in placed:
        kernel._remove(e, S, X)
    return rooms
