"""Planning a VO written period from the planner's page: a job in a worker, a preview, then apply.

``plan_create`` checks the form's period at once (the same refusals as the command, plus a period that
cannot have a timetable at all) and queues ``exams.tasks.written_plan``; ``plan_execute`` runs the
exam-timetabling core in the worker with its progress (time used, best penalty) on the row twice a
second, and stores the timetable it found as a preview: nothing of the period's ``FixedExamDate`` rows
changes. ``plan_apply`` writes the stored timetable in one transaction with
:func:`exams.planning.written.write_timetable`, which checks again what planning checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from scheduling import scenario_io
from scheduling.written import Slot

from ..errors import Conflict, DomainError
from ..jobs.outbox import enqueue
from ..models import ExamPart, FixedExamDate, User, WrittenPlanRun
from . import written
from .adapter import SLOT_TIMES, Scope
from .progress import check_time_limit, claim, reporting

logger = logging.getLogger(__name__)


def plan_create(*, period: str, date_from: date, date_to: date, time_limit: int, seed: int = 0,
                created_by: User | None = None) -> WrittenPlanRun:
    """Queue the planning of ``period`` in the window; refused at once (a DomainError with its code) when
    the window or period is unsafe or no timetable can exist."""
    check_time_limit(time_limit)
    data = written.check_period(period=period, date_from=date_from, date_to=date_to)
    with transaction.atomic():
        plan = WrittenPlanRun.objects.create(period=period, date_from=date_from, date_to=date_to,
                                             time_limit=time_limit, seed=seed, seats=data.seats,
                                             candidates=data.candidates, created_by=created_by)
        from .. import tasks

        enqueue(tasks.written_plan, plan.pk)
    return plan


def plan_execute(*, plan_id: int) -> WrittenPlanRun:
    """Plan the stored form's period and keep the timetable as a preview. A re-delivered job for a plan
    already claimed does nothing; a refusal or a crash marks the plan failed with the reason."""
    plan, claimed = claim(WrittenPlanRun, plan_id)
    if not claimed:
        return plan
    try:
        with reporting(f"written-plan-{plan_id}", lambda elapsed, penalty: WrittenPlanRun.objects.filter(
                pk=plan_id).update(elapsed=round(elapsed, 2), best_penalty=penalty),
                lambda: WrittenPlanRun.objects.filter(pk=plan_id, stop_requested=True).exists()) as reporter:
            planned = written.plan_written_period(
                period=plan.period, date_from=plan.date_from, date_to=plan.date_to, time_limit=plan.time_limit,
                seed=plan.seed, dry_run=True, on_progress=reporter.on_progress, should_stop=reporter.should_stop)
    except DomainError as error:
        _failed(plan_id, error.message, error.code)
    except Exception as exc:  # the plan records why it failed; the worker stays up
        logger.exception("written plan %s failed", plan_id)
        _failed(plan_id, repr(exc), "")
    else:
        _store(plan, planned)
    return WrittenPlanRun.objects.get(pk=plan_id)


def _failed(plan_id: int, message: str, code: str) -> None:
    WrittenPlanRun.objects.filter(pk=plan_id).update(status=WrittenPlanRun.Status.FAILED, error=message[:2000],
                                                     error_code=code[:40], finished_at=timezone.now())


def _store(plan: WrittenPlanRun, planned: written.WrittenPlan) -> None:
    result = planned.result
    plan.timetable = {code: {"day": slot.day.isoformat(), "start": f"{slot.start:%H:%M}", "length": slot.length}
                      for code, slot in result.timetable.items()}
    plan.penalty = result.penalty
    plan.best_penalty = result.penalty if result.feasible else plan.best_penalty
    plan.breakdown = [{"rule": r.rule, "times": r.times, "candidates": r.candidates, "penalty": r.penalty,
                       "words": r.words, "wording": scenario_io.to_data(r.wording)} for r in result.breakdown]
    plan.reason = None if result.wording is None else scenario_io.to_data(result.wording)
    plan.enrolled = {code: len(people) for code, people in planned.enrolled.items()}
    plan.seats, plan.candidates, plan.elapsed = planned.seats, planned.candidates, round(result.elapsed, 2)
    plan.status, plan.finished_at = WrittenPlanRun.Status.DONE, timezone.now()
    plan.save()


def stored_timetable(plan: WrittenPlanRun) -> dict[str, Slot]:
    """The plan's timetable as the library's slots, by part code."""
    return {code: Slot(date.fromisoformat(s["day"]), time.fromisoformat(s["start"]), s["length"])
            for code, s in plan.timetable.items()}


def plan_stop(*, plan: WrittenPlanRun) -> None:
    """Ask a plan still planning to stop: it ends as soon as the worker hears of it (within a second) with
    the best timetable found so far, as a preview like any other. Refused once it has finished."""
    if not WrittenPlanRun.objects.filter(pk=plan.pk, status__in=[WrittenPlanRun.Status.QUEUED,
                                                                 WrittenPlanRun.Status.RUNNING]).update(
            stop_requested=True):
        raise Conflict("This plan has already finished.", code="written_finished")


def plan_apply(*, plan: WrittenPlanRun, actor: User | None = None) -> int:
    """Write the plan's timetable as the period's national dates, all or nothing; returns how many.

    Refused when the plan has no timetable (``written_no_timetable``), was applied already
    (``written_applied``), or when writing it is no longer safe (see ``write_timetable``)."""
    with transaction.atomic():
        plan = WrittenPlanRun.objects.select_for_update().get(pk=plan.pk)
        if plan.applied_at is not None:
            raise Conflict("This timetable has already been applied.", code="written_applied")
        if plan.status != WrittenPlanRun.Status.DONE or not plan.timetable:
            raise Conflict("Only a finished plan with a timetable can be applied.", code="written_no_timetable")
        count = written.write_timetable(period=plan.period, date_from=plan.date_from, date_to=plan.date_to,
                                        timetable=stored_timetable(plan))
        plan.applied_at, plan.applied_by = timezone.now(), actor
        plan.save(update_fields=["applied_at", "applied_by"])
    return count


@dataclass(frozen=True)
class Sitting:
    """One exam part in a cell of the preview: the part and its candidates."""

    part: ExamPart
    candidates: int


@dataclass(frozen=True)
class Cell:
    """A slot of the window (``start`` local clock time) with the parts planned in it and the seats
    they take."""

    start: time
    sittings: list[Sitting]

    @property
    def candidates(self) -> int:
        return sum(s.candidates for s in self.sittings)


@dataclass(frozen=True)
class Comparison:
    """A part's national date in the period now (None: none yet) and in the plan."""

    part: ExamPart
    current: datetime | None
    planned: datetime | None

    @property
    def changed(self) -> bool:
        return self.current != self.planned


def grid(plan: WrittenPlanRun) -> list[tuple[date, list[Cell]]]:
    """The preview as a calendar: every weekday of the window with its morning and afternoon slot, each
    listing the parts planned then (by full name) with their candidates."""
    parts = written.written_parts()
    by_slot: dict[tuple[date, time], list[Sitting]] = {}
    for code, slot in stored_timetable(plan).items():
        if code in parts:
            by_slot.setdefault((slot.day, slot.start), []).append(
                Sitting(parts[code], plan.enrolled.get(code, 0)))
    starts = [time(start // 60, start % 60) for start, _end, _tag in SLOT_TIMES]
    days = Scope(date_from=plan.date_from, date_to=plan.date_to, family="vo").dates(every_region=True)
    return [(day, [Cell(start, sorted(by_slot.get((day, start), []), key=lambda s: s.part.full_name))
                   for start in starts]) for day in days]


def comparison(plan: WrittenPlanRun) -> list[Comparison]:
    """Every written part's current date in the plan's period beside its planned one, in planned order."""
    current = {row.part.code: row.starts_at for row in
               FixedExamDate.objects.filter(period=plan.period).select_related("part")}
    planned = {code: written.starts_at(slot) for code, slot in stored_timetable(plan).items()}
    rows = [Comparison(part, current.get(code), planned.get(code)) for code, part in written.written_parts().items()]
    never = datetime.max.replace(tzinfo=written.NATIONAL_CLOCK)
    return sorted(rows, key=lambda r: (r.planned or never, r.part.full_name))
