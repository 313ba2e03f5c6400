"""Plans a VO written period's national dates (``FixedExamDate``) on the exam-timetabling core.

Reads the VO central written exams (paper parts of the VO family), the candidates waiting for them
(their placement requests, read as the placement adapter reads them), the weekday morning and
afternoon slots of a date window and the national seats per slot, hands them to
:func:`scheduling.written.plan_written` and writes one ``FixedExamDate`` per part for the period,
all in one transaction. Which site and hall each candidate sits in is the placement solver's job
later, per sitting; this only fixes the national date and time of each exam.

Refused with a :class:`~exams.errors.DomainError`: a window in the past or ending before it starts,
a window without weekdays, no hall that holds VO written sittings, and a period that already has
sittings with candidates placed in them (moving their exam would leave them at the wrong time).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from scheduling.written import Slot, WrittenPart, WrittenPeriod, WrittenTimetable, plan_written

from ..errors import DomainError
from ..models import ExamPart, ExamSession, FixedExamDate, Room
from ..models.registrations import SEAT_TAKING
from .adapter import SLOT_TIMES, Scope, waiting_candidates

#: The national exam clock: every site sits a central exam at this local clock time.
NATIONAL_CLOCK = ZoneInfo("Europe/Amsterdam")
PERIODS = ("first", "resit-june", "resit-august")


@dataclass(frozen=True)
class WrittenPlan:
    """A planned period: its parts by code, the seats and candidates it was planned for, the core's
    timetable, and whether the dates were written."""

    period: str
    date_from: date
    date_to: date
    parts: dict[str, ExamPart]
    seats: int
    candidates: int
    result: WrittenTimetable
    written: bool

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
    """Each weekday's morning and afternoon, long enough for the longest exam with a provision's extra time."""
    length = max(p.duration_minutes + p.provision_extra_minutes for p in parts.values())
    return tuple(Slot(day, time(start // 60, start % 60), length)
                 for day in scope.dates() for start, _end, _tag in SLOT_TIMES)


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
        raise DomainError(f"Unknown period {period!r}: one of {', '.join(PERIODS)}.")
    if scope.date_to < scope.date_from:
        raise DomainError(f"The window ends before it starts ({scope.date_from} to {scope.date_to}).")
    if scope.date_from < today():
        raise DomainError(f"The window starts on {scope.date_from}, in the past.")
    if not scope.dates():
        raise DomainError(f"The window {scope.date_from} to {scope.date_to} has no weekday.")
    if not parts:
        raise DomainError("There are no VO written exams to plan.")
    if not seats:
        raise DomainError("No hall holds VO written sittings yet: plan the written sittings' sites first.")
    if placed_sittings(period, scope, parts):
        raise DomainError(f"The {period} period already has sittings with candidates placed in them; "
                          "their exams cannot move.")


def write_date(part: ExamPart, period: str, slot: Slot) -> FixedExamDate:
    """The part's national date in the period: starts at the slot, lasts the exam's regular length."""
    begin = starts_at(slot)
    row, _ = FixedExamDate.objects.update_or_create(
        part=part, period=period,
        defaults={"starts_at": begin, "ends_at": begin + timedelta(minutes=part.duration_minutes)})
    return row


def plan_written_period(*, period: str, date_from: date, date_to: date, time_limit: float, seed: int = 0,
                        num_workers: int = 2, dry_run: bool = False) -> WrittenPlan:
    """Plan the period's national timetable and, unless ``dry_run`` or without a timetable, write it.

    Raises DomainError when refused (see the module docstring); a period without a timetable is not
    an error here: the plan says why and nothing is written."""
    scope = Scope(date_from=date_from, date_to=date_to, family="vo")
    parts = written_parts()
    seats = national_seats(parts)
    _refuse_if_unsafe(period, scope, parts, seats)
    enrolled = enrolments(scope, parts)
    problem = WrittenPeriod(
        parts=tuple(WrittenPart(code, part.full_name, part.duration_minutes + part.provision_extra_minutes,
                                tuple(enrolled[code])) for code, part in parts.items()),
        slots=slots(scope, parts), seats=seats)
    result = plan_written(problem, time_limit=time_limit, seed=seed, num_workers=num_workers)
    write = result.feasible and not dry_run
    if write:
        with transaction.atomic():
            for code, slot in result.timetable.items():
                write_date(parts[code], period, slot)
    candidates = len({c for people in enrolled.values() for c in people})
    return WrittenPlan(period, date_from, date_to, parts, seats, candidates, result, write)
