"""Typed, file-format independent description of an exam-timetabling problem.

The model follows the ITC2007 examination track because it is the field's public yardstick, but
nothing here knows about its file format: the state-exam (VO) scheduler builds the same objects
from the database.  Every entity is referred to by its 0-based index in the owning tuple.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class PeriodRelation(str, Enum):
    """Hard relation between the periods of two exams."""

    AFTER = "AFTER"  # first exam strictly after the second one
    COINCIDENCE = "EXAM_COINCIDENCE"  # both exams in the same period (rooms may differ)
    EXCLUSION = "EXCLUSION"  # never in the same period


@dataclass(frozen=True)
class Exam:
    """An exam sitting: its length in minutes and the candidates who sit it."""

    duration: int
    students: tuple[int, ...] = ()

    @property
    def size(self) -> int:
        """Seats needed; exams are never split across rooms."""
        return len(self.students)


@dataclass(frozen=True)
class Period:
    """A time slot.  Periods are ordered by index; ``day`` groups periods of the same date."""

    day: int
    duration: int
    penalty: int = 0


@dataclass(frozen=True)
class Room:
    """A room with a number of seats; several exams may share it in one period."""

    capacity: int
    penalty: int = 0


@dataclass(frozen=True)
class PeriodConstraint:
    """``first`` RELATION ``second``; for AFTER, ``first`` must be in a strictly later period."""

    first: int
    kind: PeriodRelation
    second: int


@dataclass(frozen=True)
class Weights:
    """Soft-constraint weights (ITC2007 ``[InstitutionalWeightings]``)."""

    two_in_a_row: int = 0
    two_in_a_day: int = 0
    period_spread: int = 0  # the gap g; each pair within g periods costs 1
    non_mixed_durations: int = 0
    front_load_exams: int = 0  # how many of the largest exams are "large"
    front_load_periods: int = 0  # how many of the last periods they should avoid
    front_load_weight: int = 0


@dataclass(frozen=True)
class Problem:
    """A complete exam-timetabling instance."""

    exams: tuple[Exam, ...]
    periods: tuple[Period, ...]
    rooms: tuple[Room, ...]
    period_constraints: tuple[PeriodConstraint, ...] = ()
    room_exclusive: frozenset[int] = frozenset()
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        n_exams = len(self.exams)
        for c in self.period_constraints:
            if not (0 <= c.first < n_exams and 0 <= c.second < n_exams):
                raise ValueError(f"period constraint refers to an unknown exam: {c}")
        for e in self.room_exclusive:
            if not 0 <= e < n_exams:
                raise ValueError(f"room-exclusive constraint refers to an unknown exam: {e}")

    def large_exams(self) -> frozenset[int]:
        """The front-load exams: the ``front_load_exams`` largest, ties broken by lower index."""
        order = sorted(range(len(self.exams)), key=lambda e: (-self.exams[e].size, e))
        return frozenset(order[: self.weights.front_load_exams])

    def front_load_threshold(self) -> int:
        """First period index counted as 'late' for front load."""
        return max(0, len(self.periods) - self.weights.front_load_periods)


@dataclass(frozen=True)
class Result:
    """Outcome of :func:`scheduling.examtt.solve`.

    ``assignment[e]`` is ``(period, room)`` or ``None`` for an exam that could not be placed
    (only when no feasible timetable was found).
    """

    assignment: tuple[tuple[int, int] | None, ...]
    feasible: bool
    penalty: int | None
    breakdown: dict[str, int]
    elapsed: float
    lower_bound: int | None
    status: str
