"""Roster versions: compare a proposed roster with the published one, publish it as a new version that
changes only what differs, tell exactly the people it affects, and undo a version by publishing the roster
that stood before it.

A roster is handled in the solver's terms (``scheduling.model.Solution``) so that a run's result, the
published state read from the database and a stored version are compared the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from scheduling import model as sm
from scheduling import scenario_io
from scheduling.validator import validate

from .. import audit
from ..errors import Conflict, RuleViolation
from ..jobs.outbox import enqueue
from ..models import (
    Booking,
    Examiner,
    ExamPart,
    ExamSession,
    PlacementRequest,
    PlanningRun,
    Registration,
    RegistrationEvent,
    Room,
    RosterVersion,
    StaffAssignment,
    User,
)
from ..models.registrations import SEAT_TAKING
from ..models.staff import StaffRole
from .adapter import (
    FAMILY_CODES,
    ROLE_TO_DB,
    PublishedRoster,
    Scope,
    agency_placements,
    first_new_days,
    published_roster,
)
from .wording import Wording

ADDED, MOVED, REMOVED = "added", "moved", "removed"
STAFF_ADDED, STAFF_REMOVED = "staff_added", "staff_removed"


@dataclass(frozen=True)
class Change:
    """One difference between two rosters, for one person, in words a planner and the person understand."""

    kind: str
    person: str
    candidate_id: int | None = None
    examiner_id: int | None = None
    part: str = ""
    before: str = ""
    after: str = ""
    role: str = ""
    ref: str = ""  # the request (R…) or the duty (E…|session|role) in the solver's terms

    @property
    def role_label(self) -> str:
        return str(StaffRole(self.role).label) if self.role else ""


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    kept: int = 0
    #: the published roster changed after the run was made: publishing it is refused (``stale_roster``)
    stale: bool = False

    def counts(self) -> dict[str, int]:
        out = {kind: 0 for kind in (ADDED, MOVED, REMOVED, STAFF_ADDED, STAFF_REMOVED)}
        for change in self.changes:
            out[change.kind] += 1
        out["kept"] = self.kept
        return out

    @property
    def candidates(self) -> set[int]:
        return {c.candidate_id for c in self.changes if c.candidate_id}

    @property
    def examiners(self) -> set[int]:
        return {c.examiner_id for c in self.changes if c.examiner_id}


def scope_to_json(scope: Scope) -> dict:
    return {"family": scope.family, "date_from": scope.date_from.isoformat(), "date_to": scope.date_to.isoformat(),
            "location_codes": list(scope.location_codes)}


def scope_from_json(data: dict) -> Scope:
    return Scope(date_from=date.fromisoformat(data["date_from"]), date_to=date.fromisoformat(data["date_to"]),
                 family=data.get("family", ""), location_codes=tuple(data.get("location_codes", ())))


class _Describer:
    """Turns the solver's ids into what people read: names, parts, times and places."""

    def __init__(self, scenario: sm.Scenario, solutions: list[sm.Solution]) -> None:
        self.slots = {s.id: s for s in scenario.slots}
        request_ids = {int(p.request_id[1:]) for sol in solutions for p in sol.placements}
        self.requests = {f"R{r.pk}": r for r in PlacementRequest.objects.filter(pk__in=request_ids)
                         .select_related("candidate", "part")}
        examiner_ids = {int(a.examiner_id[1:]) for sol in solutions for a in sol.staff}
        self.examiners = {f"E{e.pk}": e for e in Examiner.objects.filter(pk__in=examiner_ids)}
        room_ids = {int(sm.parse_session_id(sid).room_id[4:]) for sol in solutions
                    for sid in [*sol.sessions, *(p.session_id for p in sol.placements)]}
        self.rooms = {f"room{r.pk}": r for r in Room.objects.filter(pk__in=room_ids).select_related("location")}

    def session(self, sid: str) -> str:
        ref = sm.parse_session_id(sid)
        slot, room = self.slots.get(ref.slot_id), self.rooms.get(ref.room_id)
        when = f"{date.fromisoformat(slot.date):%d-%m-%Y} {slot.start_min // 60:02d}:{slot.start_min % 60:02d}" \
            if slot else ref.slot_id
        where = f"{room.location.name}, {room.name}" if room else ref.room_id
        return f"{when}, {where}"


def diff(scenario: sm.Scenario, before: sm.Solution, after: sm.Solution) -> Diff:
    """Who is added, moved or removed between two rosters of the same scope, candidates and staff (the seats
    candidates booked themselves are no part of a roster's changes)."""
    before, after = agency_placements(before), agency_placements(after)
    words = _Describer(scenario, [before, after])
    was = {p.request_id: p.session_id for p in before.placements}
    now = {p.request_id: p.session_id for p in after.placements}
    result = Diff()
    for rid in sorted(set(was) | set(now), key=lambda r: int(r[1:])):
        request = words.requests.get(rid)
        if request is None:
            continue
        common = {"person": request.candidate.full_name, "candidate_id": request.candidate_id,
                  "part": request.part.code, "ref": rid}
        if rid not in was:
            result.changes.append(Change(ADDED, after=words.session(now[rid]), **common))
        elif rid not in now:
            result.changes.append(Change(REMOVED, before=words.session(was[rid]), **common))
        elif was[rid] != now[rid]:
            result.changes.append(Change(MOVED, before=words.session(was[rid]), after=words.session(now[rid]),
                                         **common))
        else:
            result.kept += 1
    old, new = set(before.staff), set(after.staff)
    for duty in sorted(old ^ new, key=lambda a: (a.session_id, a.examiner_id)):
        examiner = words.examiners.get(duty.examiner_id)
        if examiner is None:
            continue
        kind = STAFF_ADDED if duty in new else STAFF_REMOVED
        text = words.session(duty.session_id)
        result.changes.append(Change(kind, person=f"{examiner.first_name} {examiner.last_name}",
                                     examiner_id=examiner.pk, part=sm.parse_session_id(duty.session_id).part_id,
                                     role=ROLE_TO_DB[duty.role], before=text if kind == STAFF_REMOVED else "",
                                     after=text if kind == STAFF_ADDED else "", ref=_duty_ref(duty)))
    result.kept += len(old & new)
    return result


def compare_run(run: PlanningRun) -> Diff:
    """The run's roster against the one published now."""
    from .runs import run_solution, scope_of

    scenario, solution, _result = run_solution(run)
    published = published_roster(scope_of(run)).solution
    result = diff(scenario, published, solution)
    result.stale = _key(published) != _key(scenario.published or sm.Solution())
    return result


@dataclass
class _Writer:
    """Writes the difference between the published roster and a target roster to the database."""

    scenario: sm.Scenario
    roster: PublishedRoster
    actor: User | None
    sessions: dict[str, ExamSession] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)
    #: per request or duty ref, the rows written or retired for it (for the messages and calendars)
    rows: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def session(self, key: str) -> ExamSession:
        if key in self.sessions:
            return self.sessions[key]
        ref = sm.parse_session_id(key)
        if "+" in ref.part_id:  # a sitting of several parts is never opened by a roster, only filled
            raise Conflict("A sitting of this roster is no longer open; run again.", code="stale_roster",
                           details={"session": key})
        slot = next(s for s in self.scenario.slots if s.id == ref.slot_id)
        room = Room.objects.select_related("location").get(pk=int(ref.room_id[4:]))
        part = ExamPart.objects.get(code=ref.part_id)
        zone = ZoneInfo(room.location.timezone)
        day = date.fromisoformat(slot.date)
        starts_at = datetime.combine(day, time(slot.start_min // 60, slot.start_min % 60), tzinfo=zone)
        ends_at = datetime.combine(day, time(slot.end_min // 60, slot.end_min % 60), tzinfo=zone)
        # A session an earlier version emptied is taken again rather than opened twice.
        session = ExamSession.objects.filter(room=room, starts_at=starts_at, parts=part, seats_booked=0,
                                             status__in=[ExamSession.Status.CANCELLED, ExamSession.Status.CLOSED]
                                             ).first()
        if session is None:
            session = ExamSession.objects.create(room=room, starts_at=starts_at, ends_at=ends_at, capacity=1,
                                                 seats_booked=0, status=ExamSession.Status.CLOSED)
            session.parts.set([part])
        elif session.status == ExamSession.Status.CANCELLED:
            ExamSession.objects.filter(pk=session.pk).update(status=ExamSession.Status.CLOSED)
        self.sessions[key] = session
        return session

    def place(self, request: PlacementRequest, key: str, *, old: Registration | None) -> Registration:
        session = self.session(key)
        booking = old.booking if old else Booking.objects.create(candidate=request.candidate, status="confirmed",
                                                                 amount=0)
        registration = Registration.objects.create(booking=booking, candidate=request.candidate, session=session,
                                                   part=request.part, status="confirmed", fee=old.fee if old else 0)
        RegistrationEvent.objects.create(registration=registration, to_status="confirmed", actor=self.actor,
                                         reason="placed by the planner's roster")
        self.rows[f"R{request.pk}"].append(registration.pk)
        if old is not None:
            self.rows[f"R{request.pk}"].append(old.pk)
            self.retire(old, "changed", f"moved by the planner's roster to session {session.pk}")
            Registration.objects.filter(pk=old.pk).update(replaced_by=registration)
        PlacementRequest.objects.filter(pk=request.pk).update(status=PlacementRequest.Status.PLACED,
                                                              registration=registration)
        if request.source == PlacementRequest.Source.DISRUPTION and old is None:
            self.take_over_cancelled(request, registration)
        self.touched.add(session.pk)
        return registration

    def take_over_cancelled(self, request: PlacementRequest, registration: Registration) -> None:
        """The paid registration in a sitting the agency cancelled moves to the new one, at no cost."""
        cancelled = Registration.objects.filter(candidate=request.candidate, part=request.part, status="confirmed",
                                                session__status=ExamSession.Status.CANCELLED).first()
        if cancelled is None:
            return
        Registration.objects.filter(pk=registration.pk).update(booking=cancelled.booking, fee=cancelled.fee)
        self.retire(cancelled, "changed", f"moved by the planner to session {registration.session_id}")
        Registration.objects.filter(pk=cancelled.pk).update(replaced_by=registration)

    def retire(self, registration: Registration, status: str, reason: str) -> None:
        RegistrationEvent.objects.create(registration=registration, from_status=registration.status,
                                         to_status=status, actor=self.actor, reason=reason[:200])
        Registration.objects.filter(pk=registration.pk).update(status=status)
        self.touched.add(registration.session_id)

    def write(self, target: sm.Solution) -> None:
        self.sessions.update(self.roster.sessions)
        was = {p.request_id: p.session_id for p in self.roster.solution.placements}
        now = {p.request_id: p.session_id for p in target.placements}
        requests = {f"R{r.pk}": r for r in PlacementRequest.objects.filter(
            pk__in=[int(rid[1:]) for rid in set(was) | set(now)]).select_related("candidate")}
        for rid, key in sorted(now.items()):
            if was.get(rid) != key:
                self.place(requests[rid], key, old=self.roster.registrations.get(rid))
        for rid in sorted(set(was) - set(now)):
            self.rows[rid].append(self.roster.registrations[rid].pk)
            self.retire(self.roster.registrations[rid], "cancelled", "taken off the roster by the planner")
            PlacementRequest.objects.filter(pk=requests[rid].pk).update(status=PlacementRequest.Status.WAITING,
                                                                        registration=None)
        old, new = set(self.roster.assignments), {(a.examiner_id, a.session_id, a.role) for a in target.staff}
        for item in sorted(old - new):
            StaffAssignment.objects.filter(pk=self.roster.assignments[item].pk).exclude(
                status=StaffAssignment.Status.DECLINED).update(status=StaffAssignment.Status.WITHDRAWN)
            self.rows["|".join(item)].append(self.roster.assignments[item].pk)
            self.touched.add(self.roster.assignments[item].session_id)
        for examiner_id, key, role in sorted(new - old):
            session = self.session(key)
            duty, _new = StaffAssignment.objects.update_or_create(
                session=session, examiner_id=int(examiner_id[1:]),
                defaults={"role": ROLE_TO_DB[role], "status": StaffAssignment.Status.PUBLISHED, "pinned": False})
            self.rows["|".join((examiner_id, key, role))].append(duty.pk)
            self.touched.add(session.pk)
        self._recount()

    def _recount(self) -> None:
        """Seats follow the registrations; a session the roster emptied is cancelled.

        Never more people than seats: a sitting open for booking keeps its capacity, and candidates may have
        booked its seats themselves after the roster was made (their bookings do not make the roster
        stale); then the roster no longer fits and the whole publish is refused (``seats_taken_meanwhile``).
        A sitting only the agency fills grows with its roster (the solver sized it to its room)."""
        for session in ExamSession.objects.select_for_update().filter(pk__in=self.touched).order_by("pk"):
            taken = session.registrations.filter(status__in=SEAT_TAKING).count()
            if session.status == ExamSession.Status.OPEN and taken > session.capacity:
                raise Conflict("Candidates booked seats in a sitting of this roster after it was made; it no "
                               "longer fits. Run again.", code="seats_taken_meanwhile",
                               details={"session": session.pk, "seats": session.capacity, "taken": taken})
            staffed = session.staff.filter(status__in=["proposed", "published", "accepted"]).exists()
            status = session.status
            if taken == 0 and not staffed and status == ExamSession.Status.CLOSED:
                status = ExamSession.Status.CANCELLED
            ExamSession.objects.filter(pk=session.pk).update(
                capacity=max(session.capacity, taken, 1), seats_booked=taken, status=status, version=F("version") + 1)


def _publish(*, scenario: sm.Scenario, scope: Scope, expected: sm.Solution, target: sm.Solution,
             kind: str, run: PlanningRun | None, reverts: RosterVersion | None, actor: User | None) -> RosterVersion:
    """Write ``target`` if the published roster is still ``expected``; record and announce the version. Both
    are the agency's roster: seats candidates booked themselves meanwhile do not make it stale, and are
    never written."""
    roster = published_roster(scope)
    roster = replace(roster, solution=agency_placements(roster.solution))
    expected, target = agency_placements(expected), agency_placements(target)
    if _key(roster.solution) != _key(expected):
        raise Conflict("The published roster changed after this roster was made; compare again and retry.",
                       code="stale_roster")
    change = diff(scenario, roster.solution, target)
    writer = _Writer(scenario, roster, actor)
    writer.write(target)
    version = RosterVersion.objects.create(
        kind=kind, run=run, reverts=reverts, scope=scope_to_json(scope),
        scenario=scenario_io.scenario_to_json(scenario), before=scenario_io.solution_to_json(roster.solution),
        after=scenario_io.solution_to_json(target),
        changes=[{**asdict(c), "rows": writer.rows.get(c.ref, [])} for c in change.changes],
        counts=change.counts(), created_by=actor)
    audit.record("roster_published", obj=version, actor=actor, kind=kind, **change.counts())
    _queue_notify(version.pk)
    return version


def _duty_ref(duty: sm.StaffAssignment) -> str:
    return "|".join((duty.examiner_id, duty.session_id, duty.role))


def _key(solution: sm.Solution) -> tuple:
    return (sorted((p.request_id, p.session_id) for p in solution.placements),
            sorted((a.examiner_id, a.session_id, a.role) for a in solution.staff))


def _queue_notify(version_id: int) -> None:
    """Queue the messages with the publish's transaction (through the outbox: a broker outage loses none)."""
    from .. import tasks

    enqueue(tasks.roster_notify, version_id)


def publish_run(*, run: PlanningRun, actor: User | None = None,
                confirm_vacancies: bool = False) -> RosterVersion:
    """Publish a finished run's roster as a new version. Only what differs from the published roster
    changes; a run made against a roster that has changed since is refused, and so is a roster that leaves
    staff places empty unless the planner confirms it (``confirm_vacancies``) and a run that had nothing
    to plan."""
    from .runs import nothing_to_plan, run_solution, run_vacancies, scope_of

    if run.status not in (PlanningRun.Status.DONE, PlanningRun.Status.CANCELLED):
        raise Conflict("Only a finished run can be published.", code="run_not_finished")
    if nothing_to_plan(run):
        raise Conflict("This run had nothing to plan: there is no roster to publish.",
                       code="nothing_to_publish")
    vacancies = run_vacancies(run)
    if vacancies and not confirm_vacancies:
        raise Conflict(f"This roster leaves {vacancies} staff places empty; confirm that it is published "
                       "with its vacancies.", code="vacancies_unconfirmed", details={"vacancies": vacancies})
    with transaction.atomic():
        locked = PlanningRun.objects.select_for_update().get(pk=run.pk)
        if locked.published_at:
            raise Conflict("This run has already been published.", code="already_published")
        scenario, solution, _result = run_solution(locked)
        _refuse_within_notice(scenario, solution, scope_of(locked))
        version = _publish(scenario=scenario, scope=scope_of(locked), expected=scenario.published or sm.Solution(),
                           target=solution, kind=RosterVersion.Kind.PUBLISH, run=locked, reverts=None, actor=actor)
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at"])
    return version


def _refuse_within_notice(scenario: sm.Scenario, solution: sm.Solution, scope: Scope) -> None:
    """Refused (``placement_within_notice``) when the roster places or moves anyone on a day candidates of
    their family can no longer be summoned for: a run published days after it was made may have planned
    such days. ``first_day`` in the details is the earliest of those days over the families it concerns."""
    firsts = {FAMILY_CODES[code]: day.isoformat() for code, day in first_new_days(scope).items()}
    family = {p.id: p.family for p in scenario.parts}
    part_of = {r.id: r.part_id for c in scenario.candidates for r in c.requests}
    was = {p.request_id: p.session_id for p in (scenario.published or sm.Solution()).placements}
    late = {}
    for p in agency_placements(solution).placements:
        first = firsts.get(family.get(part_of.get(p.request_id, ""), ""), "")
        if was.get(p.request_id) != p.session_id and sm.parse_session_id(p.session_id).slot_id[:10] < first:
            late[p.request_id] = first
    if late:
        first = min(late.values())
        raise Conflict(f"This roster places {len(late)} candidates before {first}, within their notice; "
                       "plan it again.", code="placement_within_notice", details={"first_day": first})


def undo(*, version: RosterVersion, actor: User | None = None) -> RosterVersion:
    """Publish the roster that stood before ``version`` again. Refused when the roster changed since
    (a later version or a hand edit would be overwritten) or when the old roster now breaks a hard rule
    (an examiner reported ill, a room closed)."""
    from .adapter import scenario_from_db

    with transaction.atomic():
        locked = RosterVersion.objects.select_for_update().get(pk=version.pk)
        if RosterVersion.objects.filter(reverts=locked).exists():
            raise Conflict("This version has already been undone.", code="already_undone")
        scope = scope_from_json(locked.scope)
        newer = undo_blocked_by(locked)
        if newer is not None:
            raise Conflict(_("Version %(id)s was published after this one and changed the same roster; undo "
                             "version %(id)s first.") % {"id": newer.pk}, code="newer_version",
                           details={"version": newer.pk})
        before = scenario_io.solution_from_json(locked.before)
        now = scenario_from_db(scope, name=f"undo-{locked.pk}")
        problems = validate(now, before).violations
        if problems:
            reason = Wording().say(problems[0].wording, problems[0].message)
            raise RuleViolation(_("The earlier roster no longer holds: %(reason)s") % {"reason": reason},
                                code="hard_rule", details=[f"{p.rule}: {p.message}" for p in problems[:20]])
        return _publish(scenario=scenario_io.scenario_from_json(locked.scenario), scope=scope,
                        expected=scenario_io.solution_from_json(locked.after), target=before,
                        kind=RosterVersion.Kind.UNDO, run=None, reverts=locked, actor=actor)


def undo_blocked_by(version: RosterVersion) -> RosterVersion | None:
    """The newest later version that is still in force, when the roster ``version`` wrote has changed since
    (undoing ``version`` would overwrite it: that one must be undone first); None otherwise. A hand edit
    that changed the roster blocks without a version to name (the undo then says ``stale_roster``)."""
    try:
        scope = scope_from_json(version.scope)
    except (KeyError, TypeError, ValueError):  # no scope to read the roster of: the undo itself will say why
        return None
    if _key(published_roster(scope).solution) == _key(scenario_io.solution_from_json(version.after)):
        return None
    undone = RosterVersion.objects.filter(reverts__isnull=False).values("reverts_id")
    return (RosterVersion.objects.filter(pk__gt=version.pk).exclude(pk__in=undone).exclude(reverts=version)
            .order_by("-pk").first())


def affected_people(version: RosterVersion) -> tuple[dict[int, list[dict]], dict[int, list[dict]]]:
    """Per candidate and per examiner, the changes of a version that concern them."""
    candidates, examiners = defaultdict(list), defaultdict(list)
    for change in version.changes:
        if change.get("candidate_id"):
            candidates[change["candidate_id"]].append(change)
        elif change.get("examiner_id"):
            examiners[change["examiner_id"]].append(change)
    return dict(candidates), dict(examiners)


def stored_changes(version: RosterVersion) -> list[Change]:
    return [Change(**{k: v for k, v in c.items() if k != "rows"}) for c in version.changes]
