"""Planning runs as jobs: create (queued), execute in a worker with live progress, cancel keeping the best
roster, look at the explanation, publish."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_noop

from scheduling import model as sm
from scheduling import scenario_io
from scheduling.constraints import staff_coverage
from scheduling.repair import repair
from scheduling.solve import Progress, SolveOptions, solve
from scheduling.validator import validate

from ..errors import Conflict, DomainError, RuleViolation
from ..jobs.outbox import enqueue
from ..models import PlanningRun, User
from .adapter import Scope, first_new_day, is_booked_seat, next_exam_day, scenario_from_db
from .progress import check_time_limit, claim, reporting
from .wording import Wording

logger = logging.getLogger(__name__)


def run_create(*, scope: Scope, time_limit: int, seed: int = 0, created_by: User | None = None,
               repair: bool = False) -> PlanningRun:
    """Queue a run over ``scope``. The window starts no earlier than the first day candidates of any of its
    families can still be summoned for (``adapter.first_new_day``): what is published before it stays as it
    is, outside the run; inside it each family's candidates keep their own notice (``adapter.first_new_days``).
    Refused for a window that is reversed, wholly past, wholly within the notice, or without exam days.

    A ``repair`` (a disruption: an examiner ill tomorrow, a room closed next week) may start on the next exam
    day instead: within the notice the candidates placed stay where they were summoned to (pinned by the
    adapter) and nobody new is placed, so what the run may change there is the staff rostered."""
    check_time_limit(time_limit)
    if scope.date_to < scope.date_from:
        raise RuleViolation("The period ends before it starts.", code="bad_period")
    if scope.date_to < timezone.localdate():
        raise RuleViolation(f"The period {scope.date_from} to {scope.date_to} lies in the past.",
                            code="period_past")
    first = next_exam_day() if repair else first_new_day(scope)
    if scope.date_to < first:
        if repair:
            raise RuleViolation(f"The period ends before {first}, the first day a repair can still change.",
                                code="period_past", details={"first_day": first.isoformat()})
        raise RuleViolation(f"The period ends before {first}, the first day candidates can still be summoned "
                            "for.", code="period_within_notice", details={"first_day": first.isoformat()})
    scope = replace(scope, date_from=max(scope.date_from, first))
    scope.refuse_without_exam_day()
    run = PlanningRun.objects.create(family=scope.family, date_from=scope.date_from, date_to=scope.date_to,
                                     location_codes=list(scope.location_codes), time_limit=time_limit, seed=seed,
                                     created_by=created_by)
    _queue(run.pk)
    return run


def _queue(run_id: int) -> None:
    from .. import tasks

    enqueue(tasks.planning_run, run_id)


def scope_of(run: PlanningRun) -> Scope:
    return Scope(date_from=run.date_from, date_to=run.date_to, family=run.family,
                 location_codes=tuple(run.location_codes))


def run_execute(*, run_id: int) -> PlanningRun:
    """Solve the run's scope. A re-delivered job for a finished run does nothing."""
    run, claimed = claim(PlanningRun, run_id)
    if not claimed:
        return run
    try:
        scope = scope_of(run)
        scope.refuse_without_exam_day()
        scenario = scenario_from_db(scope, name=f"run-{run.pk}")
        run.snapshot = scenario_io.scenario_to_json(scenario)
        run.save(update_fields=["snapshot"])
        with reporting(f"planning-run-{run.pk}", lambda latest: _write_progress(run.pk, latest),
                       lambda: _cancel_requested(run.pk)) as reporter:
            options = SolveOptions(time_limit_s=run.time_limit, seed=run.seed, num_workers=2,
                                   progress=reporter.on_progress, should_stop=reporter.should_stop)
            # With a roster published in the scope the run repairs it: everything that may stay, stays.
            result = repair(scenario, options).result if scenario.published else solve(scenario, options)
        _store(run, scenario, result)
    except DomainError as error:  # a rule refused the scope: its reason, in words a planner reads
        logger.warning("planning run %s refused: %s", run_id, error.message)
        _failed(run_id, error.message)
    except Exception:  # noqa: BLE001 - the run records that it failed; the worker stays up, the log has why
        logger.exception("planning run %s failed", run_id)
        _failed(run_id, RUN_CRASHED)
    return PlanningRun.objects.get(pk=run_id)


#: What a planner reads of a run that crashed (the page translates it); the exception goes to the log only.
RUN_CRASHED = gettext_noop("The run stopped because of an unexpected error, before it found a roster. The "
                           "error is in the log for the technical team; try again, or with a smaller scope.")


def _failed(run_id: int, reason: str) -> None:
    PlanningRun.objects.filter(pk=run_id).update(status=PlanningRun.Status.FAILED, error=reason[:2000],
                                                 finished_at=timezone.now())


def _write_progress(run_id: int, latest: Progress) -> None:
    PlanningRun.objects.filter(pk=run_id).update(elapsed=round(latest.elapsed_s, 2), objective=latest.objective,
                                                 bound=latest.bound, stage=latest.stage[:100])


def _cancel_requested(run_id: int) -> bool:
    return PlanningRun.objects.filter(pk=run_id, cancel_requested=True).exists()


def _store(run: PlanningRun, scenario: sm.Scenario, result: sm.Result) -> None:
    report = validate(scenario, result.solution)
    # Seats candidates booked themselves are in the scenario (they fill sittings) but are nobody to place.
    requests = sum(len(c.requests) for c in scenario.candidates if not is_booked_seat(c.id))
    placed = sum(1 for p in result.solution.placements if not is_booked_seat(p.request_id))
    cancelled = _cancel_requested(run.pk)
    # Staff cover is a soft rule: the places it leaves empty are counted by the independent check.
    short = [p for p in report.penalties if p.rule == staff_coverage.NAME]
    run.result = scenario_io.solution_to_json(result.solution, result)
    run.summary = {
        "requests": requests, "placed": placed, "unplaced": requests - placed,
        "sessions": len(result.solution.sessions), "staff_assignments": len(result.solution.staff),
        "vacancies": sum(p.amount for p in short), "short_sessions": len({p.subject for p in short}),
        "hard_violations": len(report.violations), "objective": result.objective, "bound": result.best_bound,
        "gap": result.gap, "seconds": round(result.elapsed_s, 2), "status": result.status,
        "penalties": report.breakdown(),
    }
    run.objective, run.bound, run.gap, run.elapsed = result.objective, result.best_bound, result.gap, result.elapsed_s
    run.solver_status = result.status
    run.status = PlanningRun.Status.CANCELLED if cancelled else PlanningRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()


def run_cancel(*, run: PlanningRun) -> PlanningRun:
    """Ask a running job to stop; it keeps the best roster found so far."""
    if run.status in (PlanningRun.Status.DONE, PlanningRun.Status.FAILED, PlanningRun.Status.CANCELLED):
        raise Conflict("This run has already finished.", code="run_finished")
    PlanningRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    if run.status == PlanningRun.Status.QUEUED:
        PlanningRun.objects.filter(pk=run.pk, status=PlanningRun.Status.QUEUED).update(
            status=PlanningRun.Status.CANCELLED, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def run_solution(run: PlanningRun) -> tuple[sm.Scenario, sm.Solution, dict]:
    if not run.result:
        raise Conflict("This run has no roster yet.", code="no_result")
    document = json.loads(run.result)
    return (scenario_io.scenario_from_json(run.snapshot), scenario_io.solution_from_json(run.result),
            document.get("result", {}))


def run_explanation(run: PlanningRun) -> dict:
    """Why the solver decided what it did: unplaced requests, uncovered sessions (and ``vacancies``, the
    staff places left empty) and paid penalties, in sentences naming the rules, plus the penalty per rule
    (and ``nothing_to_plan``: the scope was empty). Each item is stored as the solver wrote it (its
    English ``reasons`` or ``sentence`` and their ``wording``) and gains ``text``: the same in the active
    language."""
    scenario, _solution, result = run_solution(run)
    wording = Wording()
    return {
        "repair": scenario.published is not None,  # a repair of the published roster, not a plan from scratch
        "vacancies": run_vacancies(run), "nothing_to_plan": nothing_to_plan(run),
        "unplaced": [{**u, "text": wording.sentences(u)} for u in result.get("unplaced", [])],
        "uncovered": [{**u, "text": wording.sentences(u)} for u in result.get("uncovered", [])],
        "penalties": [{**p, "text": wording.say(p.get("wording"), p.get("sentence", ""))}
                      for p in result.get("penalties", [])],
        "breakdown": dict(result.get("breakdown", [])),
    }


def run_vacancies(run: PlanningRun) -> int:
    """How many staff places the run's roster leaves empty (a session short of an examinator, a second
    examiner or invigilators counts once per missing person); runs stored before the summary counted them
    are counted from their explanations."""
    if "vacancies" in run.summary:
        return run.summary["vacancies"]
    document = json.loads(run.result) if run.result else {}
    return sum(u.get("missing", 1) for u in document.get("result", {}).get("uncovered", []))


def nothing_to_plan(run: PlanningRun) -> bool:
    """Whether the run's scope had nothing to plan: no request waiting or placed, no session in it."""
    return run.summary.get("requests", 1) == 0 and run.summary.get("sessions", 1) == 0


def run_publish(*, run: PlanningRun, actor: User | None = None, confirm_vacancies: bool = False) -> dict:
    """Publish the run's roster as a new roster version (see ``roster.publish_run``); returns its counts."""
    from .roster import publish_run

    version = publish_run(run=run, actor=actor, confirm_vacancies=confirm_vacancies)
    return {"version": version.pk, **version.counts}


def default_scope(family: str = "", date_from: date | None = None, date_to: date | None = None) -> Scope:
    start = date_from or timezone.localdate()
    return Scope(date_from=start, date_to=date_to or start + timezone.timedelta(days=41), family=family)
