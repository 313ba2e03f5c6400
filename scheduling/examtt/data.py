"""Array form of a :class:`Problem`, shared by the constructor, the local search and the cost.

The local search runs in compiled code (numba) that cannot touch Python objects, so every fact it
needs is flattened once into numpy arrays: the conflict graph in CSR form with the number of shared
students per edge, a period-pair cost matrix for the student-spread penalties, hard period
relations per exam, and coincidence groups (exams that must move together).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from scheduling.examtt.problem import PeriodRelation, Problem

# Relation codes of ``rel_kind`` seen from the owning exam ``e`` towards ``rel_other``.
REL_AFTER = 0  # period(e) > period(other)
REL_BEFORE = 1  # period(e) < period(other)
REL_SAME = 2  # period(e) == period(other)
REL_DIFFERENT = 3  # period(e) != period(other)


@dataclass(frozen=True)
class ProblemData:
    """Flattened, read-only arrays describing a problem (see module docstring)."""

    n_exams: int
    n_periods: int
    n_rooms: int
    size: np.ndarray  # int64[E]
    duration_class: np.ndarray  # int64[E], index into the distinct exam durations
    n_duration_classes: int
    allowed: np.ndarray  # bool[E, P]: exam fits the period length
    period_day: np.ndarray  # int64[P]
    period_penalty: np.ndarray  # int64[P]
    room_capacity: np.ndarray  # int64[R]
    room_penalty: np.ndarray  # int64[R]
    exclusive: np.ndarray  # bool[E]
    large: np.ndarray  # bool[E]: front-load exams
    front_threshold: int
    front_weight: int
    mixed_weight: int
    pair_cost: np.ndarray  # int64[P, P]: cost per shared student of two exams in periods p, q
    adj_ptr: np.ndarray  # int64[E + 1]
    adj_idx: np.ndarray  # int64[nnz]
    adj_w: np.ndarray  # int64[nnz]: shared students
    rel_ptr: np.ndarray  # int64[E + 1]
    rel_other: np.ndarray  # int64[n_rel]
    rel_kind: np.ndarray  # int64[n_rel]
    group: np.ndarray  # int64[E]: coincidence group id
    group_ptr: np.ndarray  # int64[G + 1]
    group_members: np.ndarray  # int64[E]
    student_sets: tuple[tuple[int, ...], ...]  # distinct multi-exam student enrolments (cliques)


def pair_cost_matrix(problem: Problem) -> np.ndarray:
    """Cost, per shared student, of two exams placed in periods p and q (symmetric, 0 on p == q)."""
    w = problem.weights
    n = len(problem.periods)
    day = np.array([p.day for p in problem.periods])
    idx = np.arange(n)
    gap = np.abs(idx[:, None] - idx[None, :])
    same_day = day[:, None] == day[None, :]
    cost = np.where(same_day & (gap == 1), w.two_in_a_row, 0)
    cost = cost + np.where(same_day & (gap > 1), w.two_in_a_day, 0)
    cost = cost + np.where((gap > 0) & (gap <= w.period_spread), 1, 0)
    return cost.astype(np.int64)


def _conflicts(problem: Problem) -> tuple[dict[tuple[int, int], int], tuple[tuple[int, ...], ...]]:
    by_student: dict[int, list[int]] = defaultdict(list)
    for e, exam in enumerate(problem.exams):
        for s in set(exam.students):
            by_student[s].append(e)
    weight: dict[tuple[int, int], int] = defaultdict(int)
    sets = set()
    for exams in by_student.values():
        if len(exams) < 2:
            continue
        exams.sort()
        sets.add(tuple(exams))
        for a in range(len(exams)):
            for b in range(a + 1, len(exams)):
                weight[(exams[a], exams[b])] += 1
    return weight, tuple(sorted(sets))


def _csr(n: int, rows: list[list[tuple[int, ...]]], width: int) -> list[np.ndarray]:
    ptr = np.zeros(n + 1, dtype=np.int64)
    for i, row in enumerate(rows):
        ptr[i + 1] = ptr[i] + len(row)
    cols = [np.array([item[k] for row in rows for item in row], dtype=np.int64) for k in range(width)]
    return [ptr, *cols]


def _relations(problem: Problem) -> tuple[list[list[tuple[int, int]]], list[int]]:
    """Per-exam relation lists and union-find coincidence groups (self-references are dropped)."""
    n = len(problem.exams)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows: list[set[tuple[int, int]]] = [set() for _ in range(n)]
    for c in problem.period_constraints:
        a, b = c.first, c.second
        if c.kind is PeriodRelation.AFTER:
            rows[a].add((b, REL_AFTER))
            rows[b].add((a, REL_BEFORE))
        elif a == b:
            continue
        elif c.kind is PeriodRelation.COINCIDENCE:
            rows[a].add((b, REL_SAME))
            rows[b].add((a, REL_SAME))
            parent[find(a)] = find(b)
        else:
            rows[a].add((b, REL_DIFFERENT))
            rows[b].add((a, REL_DIFFERENT))
    return [sorted(r) for r in rows], [find(e) for e in range(n)]


def build_data(problem: Problem) -> ProblemData:
    """Flatten ``problem`` into :class:`ProblemData`."""
    n_e, n_p = len(problem.exams), len(problem.periods)
    weight, student_sets = _conflicts(problem)
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_e)]
    for (a, b), w in weight.items():
        adjacency[a].append((b, w))
        adjacency[b].append((a, w))
    for row in adjacency:
        row.sort()
    adj_ptr, adj_idx, adj_w = _csr(n_e, adjacency, 2)
    rel_rows, roots = _relations(problem)
    rel_ptr, rel_other, rel_kind = _csr(n_e, rel_rows, 2)
    group_ids = {root: g for g, root in enumerate(sorted(set(roots)))}
    group = np.array([group_ids[r] for r in roots], dtype=np.int64)
    members: list[list[tuple[int]]] = [[] for _ in group_ids]
    for e in range(n_e):
        members[group[e]].append((e,))
    group_ptr, group_members = _csr(len(members), members, 1)
    durations = sorted({x.duration for x in problem.exams})
    large = np.zeros(n_e, dtype=bool)
    large[list(problem.large_exams())] = True
    w = problem.weights
    return ProblemData(
        n_exams=n_e, n_periods=n_p, n_rooms=len(problem.rooms),
        size=np.array([x.size for x in problem.exams], dtype=np.int64),
        duration_class=np.array([durations.index(x.duration) for x in problem.exams], dtype=np.int64),
        n_duration_classes=len(durations),
        allowed=np.array([[x.duration <= p.duration for p in problem.periods] for x in problem.exams],
                         dtype=bool).reshape(n_e, n_p),
        period_day=np.array([p.day for p in problem.periods], dtype=np.int64),
        period_penalty=np.array([p.penalty for p in problem.periods], dtype=np.int64),
        room_capacity=np.array([r.capacity for r in problem.rooms], dtype=np.int64),
        room_penalty=np.array([r.penalty for r in problem.rooms], dtype=np.int64),
        exclusive=np.array([e in problem.room_exclusive for e in range(n_e)], dtype=bool),
        large=large,
        front_threshold=problem.front_load_threshold(),
        front_weight=w.front_load_weight,
        mixed_weight=w.non_mixed_durations,
        pair_cost=pair_cost_matrix(problem),
        adj_ptr=adj_ptr, adj_idx=adj_idx, adj_w=adj_w,
        rel_ptr=rel_ptr, rel_other=rel_other, rel_kind=rel_kind,
        group=group, group_ptr=group_ptr, group_members=group_members,
        student_sets=student_sets,
    )
