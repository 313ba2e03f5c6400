"""Full (non-incremental) evaluation of a complete assignment, vectorised with numpy.

This is the solver's own cost: the local search keeps an incremental total and this function is
used to report the breakdown and to cross-check the incremental value.  The ITC2007 checker in
``scheduling.itc2007.checker`` is written independently from the README as a test oracle.
"""

from __future__ import annotations

import numpy as np

from scheduling.examtt.data import REL_AFTER, REL_DIFFERENT, REL_SAME, ProblemData
from scheduling.examtt.problem import Problem

COMPONENTS = ("two_in_a_row", "two_in_a_day", "period_spread", "non_mixed_durations",
              "front_load", "period_penalty", "room_penalty")


def _edges(data: ProblemData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = np.repeat(np.arange(data.n_exams), np.diff(data.adj_ptr))
    keep = rows < data.adj_idx
    return rows[keep], data.adj_idx[keep], data.adj_w[keep]


def soft_breakdown(problem: Problem, data: ProblemData, period: np.ndarray,
                   room: np.ndarray) -> dict[str, int]:
    """Weighted soft penalty per component for a complete assignment."""
    w = problem.weights
    a, b, shared = _edges(data)
    pa, pb = period[a], period[b]
    gap = np.abs(pa - pb)
    same_day = data.period_day[pa] == data.period_day[pb]
    mixed = 0
    for p in range(data.n_periods):
        for r in range(data.n_rooms):
            classes = np.unique(data.duration_class[(period == p) & (room == r)])
            mixed += max(0, len(classes) - 1)
    late = data.large & (period >= data.front_threshold)
    return {
        "two_in_a_row": int(w.two_in_a_row * shared[same_day & (gap == 1)].sum()),
        "two_in_a_day": int(w.two_in_a_day * shared[same_day & (gap > 1)].sum()),
        "period_spread": int(shared[(gap > 0) & (gap <= w.period_spread)].sum()),
        "non_mixed_durations": int(w.non_mixed_durations * mixed),
        "front_load": int(w.front_load_weight * late.sum()),
        "period_penalty": int(data.period_penalty[period].sum()),
        "room_penalty": int(data.room_penalty[room].sum()),
    }


def hard_violations(data: ProblemData, period: np.ndarray, room: np.ndarray) -> int:
    """Number of hard-constraint violations (0 means feasible)."""
    a, b, _ = _edges(data)
    count = int((period[a] == period[b]).sum())
    count += int((~data.allowed[np.arange(data.n_exams), period]).sum())
    load = np.zeros((data.n_periods, data.n_rooms), dtype=np.int64)
    occupants = np.zeros_like(load)
    np.add.at(load, (period, room), data.size)
    np.add.at(occupants, (period, room), 1)
    count += int((load > data.room_capacity[None, :]).sum())
    excl = np.flatnonzero(data.exclusive)
    count += int((occupants[period[excl], room[excl]] > 1).sum())
    for e in range(data.n_exams):
        for k in range(data.rel_ptr[e], data.rel_ptr[e + 1]):
            other, kind = data.rel_other[k], data.rel_kind[k]
            if kind == REL_AFTER and not period[e] > period[other]:
                count += 1
            elif kind == REL_SAME and e < other and period[e] != period[other]:
                count += 1
            elif kind == REL_DIFFERENT and e < other and period[e] == period[other]:
                count += 1
    return count
