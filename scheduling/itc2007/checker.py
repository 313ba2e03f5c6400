"""Independent ITC2007 examination-track validator: the test oracle for the solver.

Written directly from the definitions in ``shared/benchmarks/itc2007/README.md`` in plain Python
(per student, per period, per room) and sharing no code with the solver's cost evaluation, so a
bug in one is not silently repeated in the other.  It reads the :class:`Problem` objects only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from scheduling.examtt.problem import PeriodRelation, Problem

HARD_KINDS = ("conflicts", "room_occupancy", "period_utilisation", "period_related", "room_related")
SOFT_KINDS = ("C2R", "C2D", "CPS", "CNMD", "CFL", "CP", "CR")


@dataclass
class Report:
    """Hard violations per kind (with details) and the soft penalty per component."""

    hard: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HARD_KINDS, 0))
    details: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in HARD_KINDS})
    soft_raw: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOFT_KINDS, 0))
    soft_weighted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOFT_KINDS, 0))

    @property
    def hard_total(self) -> int:
        return sum(self.hard.values())

    @property
    def feasible(self) -> bool:
        return self.hard_total == 0

    @property
    def soft_total(self) -> int:
        return sum(self.soft_weighted.values())

    def violate(self, kind: str, detail: str) -> None:
        self.hard[kind] += 1
        self.details[kind].append(detail)

    def as_dict(self) -> dict:
        """JSON-ready form used by ``cli check --json``."""
        return {
            "feasible": self.feasible,
            "hard": {**self.hard, "total": self.hard_total},
            "hard_details": self.details,
            "soft": {k: {"count": self.soft_raw[k], "weighted": self.soft_weighted[k]} for k in SOFT_KINDS},
            "total": self.soft_total,
        }


def _check_conflicts(problem: Problem, solution, report: Report) -> None:
    """One violation per pair of exams sharing a student in the same period (README: occurrences
    of conflicting exams in the same period)."""
    in_period: dict[int, list[int]] = defaultdict(list)
    for exam, (period, _room) in enumerate(solution):
        in_period[period].append(exam)
    for period, exams in sorted(in_period.items()):
        for a in range(len(exams)):
            students_a = set(problem.exams[exams[a]].students)
            for b in range(a + 1, len(exams)):
                shared = students_a.intersection(problem.exams[exams[b]].students)
                if shared:
                    report.violate("conflicts", f"exams {exams[a]} and {exams[b]} share "
                                   f"{len(shared)} student(s) in period {period}")


def _check_rooms(problem: Problem, solution, report: Report) -> None:
    seats: dict[tuple[int, int], int] = defaultdict(int)
    occupants: dict[tuple[int, int], list[int]] = defaultdict(list)
    for exam, (period, room) in enumerate(solution):
        seats[(period, room)] += len(problem.exams[exam].students)
        occupants[(period, room)].append(exam)
    for (period, room), used in sorted(seats.items()):
        if used > problem.rooms[room].capacity:
            report.violate("room_occupancy", f"room {room} in period {period}: {used} students, "
                           f"capacity {problem.rooms[room].capacity}")
    for exam in sorted(problem.room_exclusive):
        others = [x for x in occupants[solution[exam]] if x != exam]
        if others:
            report.violate("room_related", f"exam {exam} is ROOM_EXCLUSIVE but shares room "
                           f"{solution[exam][1]} in period {solution[exam][0]} with {others}")


def _check_periods(problem: Problem, solution, report: Report) -> None:
    for exam, (period, _room) in enumerate(solution):
        if problem.exams[exam].duration > problem.periods[period].duration:
            report.violate("period_utilisation", f"exam {exam} lasts {problem.exams[exam].duration} "
                           f"min, period {period} only {problem.periods[period].duration}")
    for c in problem.period_constraints:
        p1, p2 = solution[c.first][0], solution[c.second][0]
        ok = {PeriodRelation.AFTER: p1 > p2, PeriodRelation.COINCIDENCE: p1 == p2,
              PeriodRelation.EXCLUSION: c.first == c.second or p1 != p2}[c.kind]
        if not ok:
            report.violate("period_related", f"{c.first} {c.kind.value} {c.second} violated "
                           f"(periods {p1} and {p2})")


def _student_pairs(problem: Problem, solution, report: Report) -> None:
    """C2R, C2D and CPS, counted per student over pairs of that student's exams."""
    day = [p.day for p in problem.periods]
    gap_limit = problem.weights.period_spread
    exams_of: dict[int, list[int]] = defaultdict(list)
    for exam, data in enumerate(problem.exams):
        for student in data.students:
            exams_of[student].append(exam)
    for exams in exams_of.values():
        periods = [solution[e][0] for e in exams]
        for a in range(len(periods)):
            for b in range(a + 1, len(periods)):
                first, second = sorted((periods[a], periods[b]))
                if first == second:
                    continue
                if day[first] == day[second]:
                    report.soft_raw["C2R" if second == first + 1 else "C2D"] += 1
                if second - first <= gap_limit:
                    report.soft_raw["CPS"] += 1


def _mixed_durations(problem: Problem, solution, report: Report) -> None:
    durations: dict[tuple[int, int], set[int]] = defaultdict(set)
    for exam, slot in enumerate(solution):
        durations[slot].add(problem.exams[exam].duration)
    report.soft_raw["CNMD"] = sum(max(0, len(d) - 1) for d in durations.values())


def _front_load(problem: Problem, solution, report: Report) -> None:
    w = problem.weights
    by_size = sorted(range(len(problem.exams)), key=lambda e: (-len(problem.exams[e].students), e))
    first_late = max(0, len(problem.periods) - w.front_load_periods)
    report.soft_raw["CFL"] = sum(1 for e in by_size[: w.front_load_exams] if solution[e][0] >= first_late)


def _weigh(problem: Problem, solution, report: Report) -> None:
    w = problem.weights
    report.soft_raw["CP"] = sum(problem.periods[p].penalty for p, _ in solution)
    report.soft_raw["CR"] = sum(problem.rooms[r].penalty for _, r in solution)
    factor = {"C2R": w.two_in_a_row, "C2D": w.two_in_a_day, "CPS": 1, "CNMD": w.non_mixed_durations,
              "CFL": w.front_load_weight, "CP": 1, "CR": 1}
    for kind in SOFT_KINDS:
        report.soft_weighted[kind] = factor[kind] * report.soft_raw[kind]


def check(problem: Problem, solution) -> Report:
    """Validate ``solution`` (one ``(period, room)`` per exam, indices in range) against ``problem``."""
    if len(solution) != len(problem.exams):
        raise ValueError(f"solution has {len(solution)} entries for {len(problem.exams)} exams")
    for exam, (period, room) in enumerate(solution):
        if not (0 <= period < len(problem.periods) and 0 <= room < len(problem.rooms)):
            raise ValueError(f"exam {exam}: period/room ({period}, {room}) out of range")
    solution = [tuple(slot) for slot in solution]
    report = Report()
    _check_conflicts(problem, solution, report)
    _check_rooms(problem, solution, report)
    _check_periods(problem, solution, report)
    _student_pairs(problem, solution, report)
    _mixed_durations(problem, solution, report)
    _front_load(problem, solution, report)
    _weigh(problem, solution, report)
    return report
