"""Planning runs in the API: start (202 + id), poll progress, cancel, result, explanation, publish."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from exams.errors import Forbidden
from exams.models import PlanningRun, RosterVersion
from exams.planning import roster as roster_versions
from exams.planning import runs
from exams.planning.adapter import FAMILY_CODES, Scope

from .errors import ErrorBody
from .fields import IsoDate, JsonInt, choice_of
from .paging import PAGED, Page, check_date_range, page_of

router = Router(tags=["scheduling"])


def _planner(request: HttpRequest) -> None:
    if not request.auth.is_planner:
        raise Forbidden(_("Only planners can do this."))


class RunIn(Schema):
    time_limit: JsonInt = Field(ge=1, le=3600, description="Seconds the solver may use.")
    family: str | None = Field(None, description="nt2, inburgering, vo or wft; empty plans every family.")
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    locations: list[str] = Field(default_factory=list, max_length=200)
    seed: JsonInt = Field(0, ge=0, le=2**31 - 1)
    repair: bool = Field(False, description="A repair after a disruption: the window may start on the next exam "
                                            "day, within the candidates' notice, where only staff change.")


class ProgressOut(Schema):
    elapsed: float
    best_objective: float | None
    bound: float | None
    stage: str


class RunOut(Schema):
    id: int
    status: choice_of(PlanningRun.Status)
    progress: ProgressOut
    objective: float | None
    bound: float | None
    gap: float | None
    time_limit: int
    family: str
    date_from: date
    date_to: date
    summary: dict
    created_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_progress(run: PlanningRun) -> dict:
        return {"elapsed": run.elapsed, "best_objective": run.objective, "bound": run.bound, "stage": run.stage}


@router.post("/scheduling/runs", summary="Start a planning run",
             response={202: RunOut, 403: ErrorBody, 422: ErrorBody})
def run_start(request: HttpRequest, payload: RunIn):
    """Start a planning job; without a scope it plans everything open in the coming six weeks."""
    _planner(request)
    check_date_range(payload.date_from, payload.date_to)
    family = payload.family or ""
    if family and family not in FAMILY_CODES:
        from exams.errors import RuleViolation

        raise RuleViolation(_("Unknown exam family %(family)s.") % {"family": family}, code="unknown_family")
    base = runs.default_scope(family, payload.date_from, payload.date_to)
    scope = Scope(date_from=base.date_from, date_to=base.date_to, family=family,
                  location_codes=tuple(payload.locations))
    run = runs.run_create(scope=scope, time_limit=payload.time_limit, seed=payload.seed, created_by=request.auth,
                          repair=payload.repair)
    return Status(202, run)


@router.get("/scheduling/runs/{run_id}", summary="Follow a planning run",
            response={200: RunOut, 403: ErrorBody, 404: ErrorBody})
def run_detail(request: HttpRequest, run_id: int) -> PlanningRun:
    """A planning run's status and progress: poll it until `status` is done, failed or cancelled."""
    _planner(request)
    return get_object_or_404(PlanningRun, pk=run_id)


@router.post("/scheduling/runs/{run_id}/cancel", summary="Stop a planning run",
             response={200: RunOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody})
def run_cancel(request: HttpRequest, run_id: int) -> PlanningRun:
    """Ask a queued or running planning run to stop; it keeps the best roster found so far. 409
    `run_finished` when it has already finished."""
    _planner(request)
    return runs.run_cancel(run=get_object_or_404(PlanningRun, pk=run_id))


@router.get("/scheduling/runs/{run_id}/result", summary="Get a run's roster",
            response={200: dict, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody})
def run_result(request: HttpRequest, run_id: int) -> dict:
    """The roster as the solution JSON format (docs/scenario-format.md)."""
    import json

    _planner(request)
    run = get_object_or_404(PlanningRun, pk=run_id)
    runs.run_solution(run)
    return json.loads(run.result)


@router.get("/scheduling/runs/{run_id}/explanation", summary="Explain a run's roster",
            response={200: dict, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody})
def run_explanation(request: HttpRequest, run_id: int) -> dict:
    """Why the run's roster is as it is: requests not placed, sittings not staffed, staff places left empty
    and the penalties paid per rule, in the request's language (409 before the run is done)."""
    _planner(request)
    return runs.run_explanation(get_object_or_404(PlanningRun, pk=run_id))


class ChangeOut(Schema):
    kind: str = Field(description="added, moved, removed, staff_added or staff_removed")
    person: str
    candidate_id: int | None = None
    examiner_id: int | None = None
    part: str
    before: str
    after: str
    role: str


class CountsOut(Schema):
    added: int = 0
    moved: int = 0
    removed: int = 0
    staff_added: int = 0
    staff_removed: int = 0
    kept: int = 0


class CompareOut(Schema):
    counts: CountsOut
    changes: list[ChangeOut]


class VersionOut(Schema):
    id: int
    kind: choice_of(RosterVersion.Kind)
    run_id: int | None
    reverts_id: int | None
    created_at: datetime
    counts: CountsOut
    notified: int
    changes: list[ChangeOut]


@router.get("/scheduling/runs/{run_id}/compare", summary="Compare a run's roster with the published one",
            response={200: CompareOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody})
def run_compare(request: HttpRequest, run_id: int) -> dict:
    """The run's roster against the one published now: who is added, moved or removed."""
    _planner(request)
    diff = roster_versions.compare_run(get_object_or_404(PlanningRun, pk=run_id))
    return {"counts": diff.counts(), "changes": diff.changes}


@router.post("/scheduling/runs/{run_id}/publish", summary="Publish a run's roster",
             response={200: VersionOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody})
def run_publish(request: HttpRequest, run_id: int, confirm_vacancies: bool = False) -> RosterVersion:
    """Publish the run's roster as a new version; everyone it affects is told. A roster that leaves staff
    places empty (``summary.vacancies``) is refused (409 ``vacancies_unconfirmed``) unless
    ``?confirm_vacancies=true``; a run that had nothing to plan is refused (409 ``nothing_to_publish``)."""
    _planner(request)
    return roster_versions.publish_run(run=get_object_or_404(PlanningRun, pk=run_id), actor=request.auth,
                                       confirm_vacancies=confirm_vacancies)


@router.get("/scheduling/versions", summary="List the published roster versions",
            response={200: list[VersionOut], 403: ErrorBody, 422: ErrorBody},
            openapi_extra=PAGED)
def version_list(request: HttpRequest, response: HttpResponse, page: Query[Page]) -> list[RosterVersion]:
    """The published roster versions, newest first, a page at a time (the total in X-Total-Count)."""
    _planner(request)
    return page_of(RosterVersion.objects.order_by("-pk"), page, response)


@router.get("/scheduling/versions/{version_id}", summary="Get a roster version",
            response={200: VersionOut, 403: ErrorBody, 404: ErrorBody})
def version_detail(request: HttpRequest, version_id: int) -> RosterVersion:
    """One published roster version with what it changed."""
    _planner(request)
    return get_object_or_404(RosterVersion, pk=version_id)


@router.post("/scheduling/versions/{version_id}/undo", summary="Undo a roster version",
             response={200: VersionOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody})
def version_undo(request: HttpRequest, version_id: int) -> RosterVersion:
    """Publish the roster that stood before this version again (refused if it changed since or now breaks a
    hard rule)."""
    _planner(request)
    return roster_versions.undo(version=get_object_or_404(RosterVersion, pk=version_id), actor=request.auth)
