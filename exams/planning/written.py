"""Plans a VO written period's national dates (``FixedExamDate``) on the exam-timetabling core.

Reads the VO central written exams (paper parts of the VO family), the candidates waiting for them
(their placement requests, read as the placement adapter reads them), the weekday morning and
afternoon slots of a date window and the national seats per slot, hands them to
:func:`scheduling.written.plan_written` and writes one ``FixedExamDate`` per part for the period,
all in one transaction. Which site and hall each candidate sits in is the placement solver's job
later, per sitting; this only fixes the national date and time of each exam.

Planning and writing are separate steps: :func:`read_period` and ``plan_written`` find a timetable,
:func:`write_timetable` writes one (the command does both; the planner's page stores the timetable
as a preview and writes it when the planner applies it, see ``written_runs``). Writing checks again
what planning checked, so a timetable that waited for a while is still refused when it became unsafe.

Refused with a :class:`~exams.errors.DomainError` (its ``code`` in brackets): an unknown period
(``unknown_period``), a window in the past (``window_past``) or ending before it starts
(``window_reversed``), a window without weekdays (``window_no_weekday``) or with only public holidays on them
(``window_no_exam_day``; the slots skip public holidays, ``scheduling.holidays``), no VO written exams
(``no_written_exams``), no hall that holds VO written sittings (``no_written_hall``), and a period
that already has sittings with candidates placed in them (``written_placed``: moving their exam
would leave them at the wrong time), and a window in which no candidate waits for a written exam
(``written_no_candidates``: without their clashes every exam could share one slot).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from scheduling.written import (
    ProgressCallback,
    Slot,
    WrittenPart,
    WrittenPeriod,
    WrittenTimetable,
    plan_written,
    why_infeasible,
)

from ..errors import Conflict, RuleViolation
from ..models import ExamPart, ExamSession, FixedExamDate, Room, WrittenPlanRun
from ..models.registrations import SEAT_TAKING
from .adapter import SLOT_TIMES, Scope, waiting_candidates

#: The national exam clock: every site sits a central exam at this local clock time.
NATIONAL_CLOCK = ZoneInfo("Europe/Amsterdam")
PERIODS = tuple(WrittenPlanRun.Period.values)


@dataclass(frozen=True)
class WrittenInput:
    """What a period is planned from: its window, the parts by code, the seats per slot, the candidate
    ids per part code and all of it as the library's problem."""

    period: str
    scope: Scope
    parts: dict[str, ExamPart]
    seats: int
    enrolled: dict[str, list[int]]
    problem: WrittenPeriod

    @property
    def candidates(self) -> int:
        return len({c for people in self.enrolled.values() for c in people})


@dataclass(frozen=True)
class WrittenPlan:
    """A planned period: its parts by code, the seats and candidates it was planned for, the core's
    timetable, whether the dates were written, and the candidate ids per part code."""

    period: str
    date_from: date
    date_to: date
    parts: dict[str, ExamPart]
    seats: int
    candidates: int
    result: WrittenTimetable
    written: bool
    enrolled: dict[str, list[int]] = field(default_factory=dict)

    def rows(self) -> list[tuple[datetime, datetime, ExamPart]]:
        """Start, end and part of every exam, in time order (empty without a timetable)."""
        return sorted(((starts_at(slot), starts_at(slot) + timedelta(minutes=self.parts[code].duration_minutes),
                        self.parts[code]) for code, slot in self.result.timetable.items()),
                      key=lambda row: (row[0], row[2].code))


def today() -> date:
    return timezone.localdate()


def starts_at(slot: Slot) -> datetime:
    return datetime.combine(slot.day, slot.start, tzinfo=NATIONAL_CLOCK)


def written_parts() -> dict[str, ExamPart]:
    """The VO central written exams that are offered, by code."""
    parts = ExamPart.objects.filter(programme__family__code="vo", mode=ExamPart.Mode.PAPER, active=True)
    return {p.code: p for p in parts.select_related("programme").order_by("code")}


def national_seats(parts: dict[str, ExamPart]) -> int:
    """Seats per slot: the halls of the sites that hold VO written sittings (every room a sitting of a
    written part was ever planned in, as ``exams.seed.sessions.vo_written_sessions`` picks them)."""
    sittings = ExamSession.objects.filter(parts__in=parts.values()).exclude(status=ExamSession.Status.CANCELLED)
    return sum(hall.seats for hall in Room.objects.filter(pk__in=sittings.values("room_id")))


def slots(scope: Scope, parts: dict[str, ExamPart]) -> tuple[Slot, ...]:
    """Each exam day's (weekday, no public holiday at any VO location: one national timetable) morning and
    afternoon, long enough for the longest exam with a provision's extra time."""
    length = max(p.duration_minutes + p.provision_extra_minutes for p in parts.values())
    return tuple(Slot(day, time(start // 60, start % 60), length)
                 for day in scope.dates(every_region=True) for start, _end, _tag in SLOT_TIMES)


def enrolments(scope: Scope, parts: dict[str, ExamPart]) -> dict[str, list[int]]:
    """Candidate ids per part code: the requests waiting for a place in the window."""
    enrolled: dict[str, list[int]] = defaultdict(list)
    for candidate in waiting_candidates(scope):
        for request in candidate.requests:
            if request.part_id in parts:
                enrolled[request.part_id].append(int(candidate.id[1:]))
    return enrolled


def placed_sittings(period: str, scope: Scope, parts: dict[str, ExamPart]) -> bool:
    """Whether the period's written sittings (at its current dates, or in the window) hold candidates."""
    current = FixedExamDate.objects.filter(period=period).values("starts_at")
    return ExamSession.objects.filter(
        Q(starts_at__in=current) | Q(starts_at__date__gte=scope.date_from, starts_at__date__lte=scope.date_to),
        parts__in=parts.values(), registrations__status__in=SEAT_TAKING,
    ).exclude(status__in=[ExamSession.Status.DRAFT, ExamSession.Status.CANCELLED]).exists()


def _refuse_if_unsafe(period: str, scope: Scope, parts: dict[str, ExamPart], seats: int) -> None:
    if period not in PERIODS:
        raise RuleViolation(f"Unknown period {period!r}: one of {', '.join(PERIODS)}.", code="unknown_period")
    if scope.date_to < scope.date_from:
        raise RuleViolation(f"The window ends before it starts ({scope.date_from} to {scope.date_to}).",
                            code="window_reversed")
    if scope.date_from < today():
        raise RuleViolation(f"The window starts on {scope.date_from}, in the past.", code="window_past")
    scope.refuse_without_exam_day()
    if not parts:
        raise RuleViolation("There are no VO written exams to plan.", code="no_written_exams")
    if not seats:
        raise RuleViolation("No hall holds VO written sittings yet: plan the written sittings' sites first.",
                            code="no_written_hall")
    if placed_sittings(period, scope, parts):
        raise Conflict(f"The {period} period already has sittings with candidates placed in them; "
                       "their exams cannot move.", code="written_placed")


def write_date(part: ExamPart, period: str, slot: Slot) -> FixedExamDate:
    """The part's national date in the period: starts at the slot, lasts the exam's regular length."""
    begin = starts_at(slot)
    row, _ = FixedExamDate.objects.update_or_create(
        part=part, period=period,
        defaults={"starts_at": begin, "ends_at": begin + timedelta(minutes=part.duration_minutes)})
    return row


def read_period(*, period: str, date_from: date, date_to: date) -> WrittenInput:
    """The period's parts, candidates, slots and seats, read as the module docstring says; refused with a
    DomainError when planning the period is unsafe."""
    scope = Scope(date_from=date_from, date_to=date_to, family="vo")
    parts = written_parts()
    seats = national_seats(parts)
    _refuse_if_unsafe(period, scope, parts, seats)
    enrolled = enrolments(scope, parts)
    if not any(enrolled.values()):
        # Without candidates nothing says which exams must not share a slot: every exam at once would
        # cost nothing, and no such timetable should be offered.
        raise RuleViolation(f"No candidate waits for a VO written exam between {date_from} and {date_to}: "
                            "without candidates there is nothing to keep apart, so no timetable is planned.",
                            code="written_no_candidates")
    problem = WrittenPeriod(
        parts=tuple(WrittenPart(code, part.full_name, part.duration_minutes + part.provision_extra_minutes,
                                tuple(enrolled[code])) for code, part in parts.items()),
        slots=slots(scope, parts), seats=seats)
    return WrittenInput(period, scope, parts, seats, dict(enrolled), problem)


def check_period(*, period: str, date_from: date, date_to: date) -> WrittenInput:
    """:func:`read_period`, also refused (``written_impossible``, the reason's wording in ``details``) when
    no timetable can exist: what a planner should hear before waiting for the solver."""
    data = read_period(period=period, date_from=date_from, date_to=date_to)
    reason = why_infeasible(data.problem)
    if reason is not None:
        raise RuleViolation(f"No timetable is possible: {reason.text}", code="written_impossible", details=reason)
    return data


def write_timetable(*, period: str, date_from: date, date_to: date, timetable: Mapping[str, Slot]) -> int:
    """Write the period's national dates from a timetable planned for the window, one ``FixedExamDate``
    per part, all in one transaction, after the checks planning made (the window, the halls, no
    candidates placed in the period's sittings) and only when the timetable dates every written exam
    there is now (``written_parts_changed`` otherwise). Returns the number of dates written."""
    scope = Scope(date_from=date_from, date_to=date_to, family="vo")
    with transaction.atomic():
        parts = written_parts()
        _refuse_if_unsafe(period, scope, parts, national_seats(parts))
        if set(timetable) != set(parts):
            raise Conflict("The VO written exams changed since this timetable was planned; plan it again.",
                           code="written_parts_changed")
        for code, slot in timetable.items():
            write_date(parts[code], period, slot)
    return len(timetable)


def plan_written_period(*, period: str, date_from: date, date_to: date, time_limit: float, seed: int = 0,
                        num_workers: int = 2, dry_run: bool = False,
                        on_progress: ProgressCallback | None = None,
                        should_stop: Callable[[], bool] | None = None) -> WrittenPlan:
    """Plan the period's national timetable and, unless ``dry_run`` or without a timetable, write it
    (:func:`write_timetable`). ``on_progress(elapsed, penalty)`` hears of every better timetable; when
    ``should_stop()`` turns true, planning ends with the best timetable found so far.

    Raises DomainError when refused (see the module docstring); a period without a timetable is not
    an error here: the plan says why and nothing is written."""
    data = read_period(period=period, date_from=date_from, date_to=date_to)
    result = plan_written(data.problem, time_limit=time_limit, seed=seed, num_workers=num_workers,
                          on_progress=on_progress, should_stop=should_stop)
    write = result.feasible and not dry_run
    if write:
        write_timetable(period=period, date_from=date_from, date_to=date_to, timetable=result.timetable)
    return WrittenPlan(period, date_from, date_to, data.parts, data.seats, data.candidates, result, write,
                       data.enrolled)
