"""Planning runs as jobs: create (queued), execute in a worker with live progress, cancel keeping the best
roster, look at the explanation, publish."""

from __future__ import annotations

import json
import logging
from datetime import date

from django.utils import timezone

from scheduling import scenario_io
from scheduling import model as sm
from scheduling.repair import repair
from scheduling.solve import Progress, SolveOptions, solve
from scheduling.validator import validate

from ..errors import Conflict, RuleViolation
from ..jobs.outbox import enqueue
from ..models import PlanningRun, User
from .adapter import Scope, scenario_from_db
from .progress import check_time_limit, claim, reporting
from .wording import Wording

logger = logging.getLogger(__name__)


def run_create(*, scope: Scope, time_limit: int, seed: int = 0, created_by: User | None = None) -> PlanningRun:
    check_time_limit(time_limit)
    if scope.date_to < scope.date_from:
        raise RuleViolation("The period ends before it starts.", code="bad_period")
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
        scenario = scenario_from_db(scope_of(run), name=f"run-{run.pk}")
        run.snapshot = scenario_io.scenario_to_json(scenario)
        run.save(update_fields=["snapshot"])
        with reporting(f"planning-run-{run.pk}", lambda latest: _write_progress(run.pk, latest),
                       lambda: _cancel_requested(run.pk)) as reporter:
            options = SolveOptions(time_limit_s=run.time_limit, seed=run.seed, num_workers=2,
                                   progress=reporter.on_progress, should_stop=reporter.should_stop)
            # With a roster published in the scope the run repairs it: everything that may stay, stays.
            result = repair(scenario, options).result if scenario.published else solve(scenario, options)
        _store(run, scenario, result)
    except Exception as exc:  # noqa: BLE001 - the run records why it failed; the worker stays up
        logger.exception("planning run %s failed", run_id)
        PlanningRun.objects.filter(pk=run_id).update(status=PlanningRun.Status.FAILED, error=repr(exc)[:2000],
                                                     finished_at=timezone.now())
    return PlanningRun.objects.get(pk=run_id)


def _write_progress(run_id: int, latest: Progress) -> None:
    PlanningRun.objects.filter(pk=run_id).update(elapsed=round(latest.elapsed_s, 2), objective=latest.objective,
                                                 bound=latest.bound, stage=latest.stage[:100])


def _cancel_requested(run_id: int) -> bool:
    return PlanningRun.objects.filter(pk=run_id, cancel_requested=True).exists()


def _store(run: PlanningRun, scenario: sm.Scenario, result: sm.Result) -> None:
    report = validate(scenario, result.solution)
    requests = sum(len(c.requests) for c in scenario.candidates)
    cancelled = _cancel_requested(run.pk)
    run.result = scenario_io.solution_to_json(result.solution, result)
    run.summary = {
        "placed": len(result.solution.placements), "unplaced": requests - len(result.solution.placements),
        "sessions": len(result.solution.sessions), "staff_assignments": len(result.solution.staff),
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
    """Why the solver decided what it did: unplaced requests, uncovered sessions and paid penalties, in
    sentences naming the rules, plus the penalty per rule. Each item is stored as the solver wrote it (its
    English ``reasons`` or ``sentence`` and their ``wording``) and gains ``text``: the same in the active
    language."""
    scenario, _solution, result = run_solution(run)
    wording = Wording()
    return {
        "repair": scenario.published is not None,  # a repair of the published roster, not a plan from scratch
        "unplaced": [{**u, "text": wording.sentences(u)} for u in result.get("unplaced", [])],
        "uncovered": [{**u, "text": wording.sentences(u)} for u in result.get("uncovered", [])],
        "penalties": [{**p, "text": wording.say(p.get("wording"), p.get("sentence", ""))}
                      for p in result.get("penalties", [])],
        "breakdown": dict(result.get("breakdown", [])),
    }


def run_publish(*, run: PlanningRun, actor: User | None = None) -> dict:
    """Publish the run's roster as a new roster version (see ``roster.publish_run``); returns its counts."""
    from .roster import publish_run

    version = publish_run(run=run, actor=actor)
    return {"version": version.pk, **version.counts}


def default_scope(family: str = "", date_from: date | None = None, date_to: date | None = None) -> Scope:
    start = date_from or timezone.localdate()
    return Scope(date_from=start, date_to=date_to or start + timezone.timedelta(days=41), family=family)
