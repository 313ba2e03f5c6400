"""What the planner's workspace reads and the hand edits it makes, with the hard rules checked at once."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scheduling import model as sm

from .. import audit
from ..errors import Conflict, RuleViolation
from ..models import (
    Availability,
    Candidate,
    ConflictOfInterest,
    Disruption,
    Examiner,
    ExamPart,
    ExamSession,
    PlacementRequest,
    Provision,
    Qualification,
    Registration,
    StaffAssignment,
    User,
)
from ..models.registrations import SEAT_TAKING
from ..models.staff import StaffRole
from ..schools import school_key
from .adapter import LIVE_DUTIES, ROLE_TO_DB, Scope


@dataclass(frozen=True)
class DemandCell:
    """Seats booked and offered at a location in one week, or (``week`` None) requests still waiting for a
    seat that prefer the location (``location`` empty: no preference)."""

    location: str
    week: int | None
    demand: int
    capacity: int


@dataclass
class Overview:
    demand_capacity: list[DemandCell]
    fill_rate: float
    waiting: int
    past_deadline: int
    unplaced: int
    open_provisions: int
    coverage: float
    workload: list[tuple[str, int]]
    lapsing: list[Lapse] = field(default_factory=list)
    lapsing_total: int = 0


@dataclass(frozen=True)
class Lapse:
    """A qualification that ends inside the period looked at, and how many duties its examiner has in the
    period after that date (the disruption page says which of them actually need it)."""

    qualification: Qualification
    duties_after: int


LAPSES_SHOWN = 30


def lapsing_qualifications(*, family: str, start: date, end: date) -> tuple[list[Lapse], int]:
    """Qualifications of active examiners that end from ``start`` up to (not including) ``end``, soonest
    first: the first :data:`LAPSES_SHOWN` of them and how many there are in all."""
    lapsing = Qualification.objects.filter(valid_until__gte=start, valid_until__lt=end, examiner__active=True)
    if family:
        lapsing = lapsing.filter(family__code=family)
    total = lapsing.count()
    shown = list(lapsing.select_related("examiner", "family", "subject", "part")
                 .order_by("valid_until", "examiner__last_name", "examiner__first_name", "pk")[:LAPSES_SHOWN])
    after = Counter()
    for examiner_id, day in StaffAssignment.objects.filter(
            examiner_id__in={q.examiner_id for q in shown}, session__starts_at__date__gte=start,
            session__starts_at__date__lt=end + timedelta(days=1)).exclude(status__in=["declined", "withdrawn"]) \
            .exclude(session__status=ExamSession.Status.CANCELLED).values_list("examiner_id", "session__starts_at"):
        after[examiner_id, timezone.localtime(day).date()] += 1
    lapses = [Lapse(q, sum(n for (pk, day), n in after.items() if pk == q.examiner_id and q.valid_until < day < end))
              for q in shown]
    return lapses, total


def _period(family: str, start: date, weeks: int):
    sessions = ExamSession.objects.filter(starts_at__date__gte=start, starts_at__date__lt=start + timedelta(weeks=weeks))
    if family:
        sessions = sessions.filter(parts__programme__family__code=family).distinct()
    return sessions.exclude(status=ExamSession.Status.CANCELLED)


def overview(*, family: str, start: date, weeks: int) -> Overview:
    sessions = _period(family, start, weeks).select_related("room__location")
    per_cell: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for session in sessions:
        key = (session.room.location.name, session.local_starts_at.isocalendar().week)
        per_cell[key][0] += session.seats_booked
        per_cell[key][1] += session.capacity
    waiting = PlacementRequest.objects.filter(status="waiting")
    if family:
        waiting = waiting.filter(part__programme__family__code=family)
    for name, count in waiting.values_list("preferred_location__name").annotate(n=Count("pk")):
        per_cell[(name or "", None)][0] += count
    rows = sorted((DemandCell(location, week, d, c) for (location, week), (d, c) in per_cell.items()),
                  key=lambda cell: (-cell.demand, cell.location, cell.week or 0))[:24]
    booked = sum(s.seats_booked for s in sessions)
    capacity = sum(s.capacity for s in sessions) or 1
    today = timezone.localdate()
    past = waiting.filter(candidate__deadlines__kind="integration", candidate__deadlines__due_on__lt=today).count()
    needed, covered, load = 0, 0, Counter()
    staff = StaffAssignment.objects.filter(session__in=sessions).exclude(status__in=["declined", "withdrawn"])
    staffed = Counter(staff.values_list("session_id", flat=True))
    for session in sessions.prefetch_related("parts"):
        need = staff_needed(session)
        needed += need
        covered += min(need, staffed[session.pk])
    for examiner_id, count in staff.values_list("examiner_id").annotate(n=Count("pk")):
        load[examiner_id] = count
    buckets = Counter()
    for count in load.values():
        low = (count - 1) // 3 * 3 + 1
        buckets[f"{low}–{low + 2}"] += 1
    idle = Examiner.objects.filter(active=True).exclude(pk__in=load).count()
    workload = [("0", idle)] + sorted(buckets.items(), key=lambda kv: int(kv[0].split("–")[0]))
    lapsing, lapsing_total = lapsing_qualifications(family=family, start=start, end=start + timedelta(weeks=weeks))
    return Overview(rows, booked / capacity, waiting.count(), past, PlacementRequest.objects.filter(
        status="unplaceable").count(), Provision.objects.filter(status="requested").count(),
        covered / needed if needed else 1.0, workload, lapsing, lapsing_total)


def staff_needed(session: ExamSession) -> int:
    parts = list(session.parts.all())
    if any(p.mode == "oral" for p in parts):
        return 2
    per = max((p.seats_per_invigilator for p in parts), default=0)
    return max(1, math.ceil(max(session.seats_booked, 1) / per)) if per else 0


@dataclass
class RoomRow:
    room: str
    blocks: list[ExamSession] = field(default_factory=list)


def roster_day(*, location_code: str, day: date) -> list[RoomRow]:
    sessions = (ExamSession.objects.filter(room__location__code=location_code, starts_at__date=day)
                .select_related("room__location").prefetch_related("parts__programme", "staff__examiner")
                .order_by("room__name", "starts_at"))
    rows: dict[str, RoomRow] = {}
    for session in sessions:
        rows.setdefault(session.room.name, RoomRow(session.room.name)).blocks.append(session)
    return list(rows.values())


def examiner_problems(*, examiner: Examiner, session: ExamSession, role: str) -> list[str]:
    """The hard rules a staff assignment must meet, each broken one as a sentence (empty: allowed). The rules
    are read by the same functions :func:`fitting_examiners` reads them with for a whole pool."""
    me = {examiner.pk}
    location = session.room.location
    local = location.local(session.starts_at)
    problems = _qualification_problems(examiner, session, role, local.date())
    if _unavailable(me, local, location.local(session.ends_at)):
        problems.append(_("%(name)s is not available on %(day)s at %(time)s.")
                        % {"name": examiner, "day": f"{local:%d-%m-%Y}", "time": f"{local:%H:%M}"})
    duties = _other_duties(me, session)
    if duties.here:
        problems.append(_("%(name)s already has a duty in this session.") % {"name": examiner})
    if duties.overlapping:
        problems.append(_("%(name)s already works elsewhere at that time.") % {"name": examiner})
    if len(duties.that_day) + 1 > examiner.max_sessions_per_day:
        problems.append(_("%(name)s would work %(n)d sessions that day (at most %(limit)d).")
                        % {"name": examiner, "n": len(duties.that_day) + 1, "limit": examiner.max_sessions_per_day})
    elsewhere = next((name for _pk, place, name in duties.that_day if place != location.pk), None)
    if elsewhere is not None:
        problems.append(_("%(name)s already works at %(place)s that day.") % {"name": examiner, "place": elsewhere})
    if duties.that_week[examiner.pk] + 1 > examiner.max_sessions_per_week:
        problems.append(_("%(name)s would work %(n)d sessions that week (at most %(limit)d).")
                        % {"name": examiner, "n": duties.that_week[examiner.pk] + 1,
                           "limit": examiner.max_sessions_per_week})
    km = _distance_km(location, examiner)
    if km is not None and km > examiner.max_travel_km:
        problems.append(_("%(name)s lives %(km)d km away (at most %(limit)d km).")
                        % {"name": examiner, "km": round(km), "limit": examiner.max_travel_km})
    for _pk, candidate in _conflicts(me, session):
        problems.append(_("%(name)s has a declared conflict of interest with %(candidate)s.")
                        % {"name": examiner, "candidate": candidate})
    return problems


def assignment_replace(*, assignment: StaffAssignment, examiner: Examiner, version: int, actor: User | None) -> StaffAssignment:
    """Put another examiner in a staff assignment, if every hard rule holds and nobody changed the session's
    roster since the planner looked at it (``version``)."""
    with transaction.atomic():
        session = ExamSession.objects.select_for_update().select_related("room__location").get(pk=assignment.session_id)
        if session.version != version:
            raise Conflict("Someone changed this session's roster meanwhile; reload and try again.",
                           code="stale_edit", details={"current_version": session.version})
        problems = examiner_problems(examiner=examiner, session=session, role=assignment.role)
        if problems:
            raise RuleViolation(problems[0], code="hard_rule", details=problems)
        before = assignment.examiner_id
        assignment.examiner = examiner
        assignment.status = StaffAssignment.Status.PROPOSED
        assignment.save(update_fields=["examiner", "status"])
        ExamSession.objects.filter(pk=session.pk).update(version=session.version + 1)
        # Recorded and announced like a publish: both examiners get a message with a calendar update.
        audit.record("duty_replaced", obj=assignment, actor=actor, session=session.pk, role=assignment.role,
                     before=before, after=examiner.pk)
        from .. import tasks
        from ..jobs.outbox import enqueue

        enqueue(tasks.duty_replaced, assignment.pk, before, session.version + 1)
    return assignment


@dataclass
class Hole:
    """A staff duty that must change: its examiner declined, fell ill, is unavailable that day or no longer
    holds the qualification it needs."""

    assignment: StaffAssignment
    why: str
    suggestions: list[Examiner]


def holes(*, start: date, days: int, suggestions: int = 3) -> list[Hole]:
    """Every duty in the period that can no longer stand, with the best replacements that break no hard
    rule (nearest first, then least busy). Nothing else is touched: the repair changes only what must."""
    end = start + timedelta(days=days)
    period = StaffAssignment.objects.filter(
        session__starts_at__date__gte=start, session__starts_at__date__lt=end,
    ).exclude(session__status=ExamSession.Status.CANCELLED).exclude(status="withdrawn")
    # Read once which examiners are off on which day (one query, not one per duty: a VO season has 15,000
    # duties in six weeks), then only the duties that must change.
    off = set(Availability.objects.filter(on_date__gte=start - timedelta(days=1), on_date__lte=end,
                                          available=False).values_list("examiner_id", "on_date"))
    off_examiners = {examiner for examiner, _day in off}
    # Whoever has a qualification that ends before the period does: their duties after it may have lost it.
    lapsing = set(Qualification.objects.filter(valid_until__lt=end).values_list("examiner_id", flat=True))
    found = []
    for assignment in period.filter(Q(status=StaffAssignment.Status.DECLINED)
                                    | Q(examiner_id__in=off_examiners | lapsing)) \
            .select_related("examiner", "session__room__location"):
        session = assignment.session
        day = session.room.location.local(session.starts_at).date()
        if assignment.status == StaffAssignment.Status.DECLINED:
            why = _("%(name)s declined: %(reason)s.") % {
                "name": assignment.examiner, "reason": assignment.decline_reason or _("no reason given")}
        elif (assignment.examiner_id, day) in off:
            why = _("%(name)s is not available on %(day)s.") % {"name": assignment.examiner, "day": f"{day:%d-%m-%Y}"}
        elif assignment.examiner_id in lapsing and (
                lapsed := _qualification_problems(assignment.examiner, session, assignment.role, day)):
            why = " ".join(lapsed)
        else:
            continue
        found.append(Hole(assignment, why, _suggest(assignment, suggestions)))
    return found + [Hole(duty, _("Nobody took over from %(name)s: the session still needs a %(role)s.") % {
        "name": duty.examiner, "role": duty.get_role_display()}, _suggest(duty, suggestions))
        for duty in _vacated(start, end)]


def _vacated(start: date, end: date) -> list[StaffAssignment]:
    """Duties a roster withdrew (their examiner fell ill, a repair could not cover them) whose session,
    still held with candidates in it, has fewer people in that role than it needs: its vacancies, one
    withdrawn duty for each person missing."""
    withdrawn = list(StaffAssignment.objects.filter(
        status=StaffAssignment.Status.WITHDRAWN, role__in=ROLE_TO_DB.values(), session__seats_booked__gt=0,
        session__starts_at__date__gte=start, session__starts_at__date__lt=end,
    ).exclude(session__status=ExamSession.Status.CANCELLED)
        .select_related("examiner", "session__room__location").order_by("session__starts_at", "pk"))
    live = Counter(StaffAssignment.objects.filter(session_id__in={d.session_id for d in withdrawn},
                                                  status__in=LIVE_DUTIES).values_list("session_id", "role"))
    ratio = max(1, sm.Settings().invigilator_ratio)
    vacated = []
    for duty in withdrawn:
        key = (duty.session_id, duty.role)
        need = math.ceil(duty.session.seats_booked / ratio) if duty.role == StaffRole.INVIGILATOR else 1
        if live[key] < need:
            live[key] += 1
            vacated.append(duty)
    return vacated


def _suggest(assignment: StaffAssignment, limit: int) -> list[Examiner]:
    return [fit.examiner for fit in fitting_examiners(session=assignment.session, role=assignment.role,
                                                      exclude=(assignment.examiner_id,))[:limit]]


@dataclass(frozen=True)
class Fit:
    """An examiner who may take a duty: how far they live from the site and how many duties they have that
    day, the two things a planner weighs between people who all break no hard rule."""

    examiner: Examiner
    distance_km: float | None
    duties_that_day: int


def fitting_examiners(*, session: ExamSession, role: str, exclude: tuple[int, ...] = ()) -> list[Fit]:
    """Every active examiner with a qualification in the session's family who may take ``role`` in it,
    nearest first, then least busy that day.

    Exactly those for whom :func:`examiner_problems` finds nothing (both read the rules with the functions
    below, and a test holds the two together), but in a fixed number of queries however many examiners
    there are: the rules are read for the whole pool at once instead of person by person, which at national
    scale (2,000 examiners) is the difference between a page that answers and one that does not."""
    parts = list(session.parts.select_related("programme"))
    family_ids = {p.programme.family_id for p in parts}
    pool = {e.pk: e for e in Examiner.objects.filter(active=True, qualifications__family_id__in=family_ids)
            .exclude(pk__in=exclude).distinct().select_related("home_location")}
    ids = set(pool)
    location = session.room.location
    for qualified in _qualifications(role, parts, ids, location.local(session.starts_at).date()).values():
        ids &= qualified
    ids -= _unavailable(ids, location.local(session.starts_at), location.local(session.ends_at))
    duties = _other_duties(ids, session)
    load = Counter(pk for pk, _place, _name in duties.that_day)
    elsewhere = {pk for pk, place, _name in duties.that_day if place != location.pk}
    ids = {pk for pk in ids - duties.overlapping - duties.here - elsewhere
           if load[pk] + 1 <= pool[pk].max_sessions_per_day
           and duties.that_week[pk] + 1 <= pool[pk].max_sessions_per_week}
    ids -= {pk for pk, _candidate in _conflicts(ids, session)}
    fits = []
    for pk in ids:
        distance = _distance_km(location, pool[pk])
        if distance is None or distance <= pool[pk].max_travel_km:
            fits.append(Fit(pool[pk], distance, load[pk]))
    fits.sort(key=lambda f: (9999 if f.distance_km is None else f.distance_km, f.duties_that_day,
                             f.examiner.last_name, f.examiner.first_name, f.examiner.pk))
    return fits


def _qualification_problems(examiner: Examiner, session: ExamSession, role: str, day: date) -> list[str]:
    """Each qualification ``role`` in ``session`` asks that ``examiner`` lacks on ``day``, as a sentence that
    says so when they held it before and it has lapsed."""
    parts = list(session.parts.select_related("subject", "programme__family"))
    me, problems, ever = {examiner.pk}, [], None
    for part, qualified in _qualifications(role, parts, me, day).items():
        if examiner.pk in qualified:
            continue
        ever = ever if ever is not None else _qualifications(role, parts, me, date.min)
        what = part.name if part is not None else _("invigilation") if role == "invigilator" else _("reporting")
        if examiner.pk in ever[part]:
            problems.append(_("%(name)s's qualification for %(what)s is no longer valid on %(day)s.")
                            % {"name": examiner, "what": what, "day": f"{day:%d-%m-%Y}"})
        elif part is None and role == "invigilator":
            problems.append(_("%(name)s is not qualified as an invigilator for this exam.") % {"name": examiner})
        elif part is None:
            problems.append(_("%(name)s is not qualified as a second examiner for this exam.") % {"name": examiner})
        else:
            problems.append(_("%(name)s is not qualified to examine %(part)s (%(level)s).")
                            % {"name": examiner, "part": part.name, "level": part.programme.level})
    return problems


def _qualifications(role: str, parts: list[ExamPart], ids: set[int], day: date) -> dict[ExamPart | None, set[int]]:
    """Who among ``ids`` holds each qualification the duty asks on ``day``, in the session's family, as the
    solver reads them (``scheduling.constraints.examiner_qualification``): an invigilator or a second
    examiner one qualification for the duty (key None), the invigilator role, or the second examiner or
    examinator role (the reporter of an oral needs no subject); an examinator one per part with a subject,
    examinator for that subject at the part's level. A qualification valid until a date before ``day`` does
    not count."""
    quals = Qualification.objects.filter(examiner_id__in=ids, family_id__in={p.programme.family_id for p in parts}) \
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    if role != "examinator":
        roles = ["invigilator"] if role == "invigilator" else [role, "examinator"]
        return {None: set(quals.filter(role__in=roles).values_list("examiner_id", flat=True))}
    return {part: set(quals.filter(role="examinator", subject_id=part.subject_id,
                                   level=part.programme.level).values_list("examiner_id", flat=True))
            for part in parts if part.subject_id}


def _unavailable(ids: set[int], start: datetime, end: datetime) -> set[int]:
    """Those whose availability does not cover ``start``-``end`` (local times): with any window on record,
    the day's own windows decide, else the weekday's; an 'unavailable' window on the day rules the day out."""
    windows = defaultdict(list)
    for window in Availability.objects.filter(examiner_id__in=ids):
        windows[window.examiner_id].append(window)
    out = set()
    for pk, own in windows.items():
        on_day = [w for w in own if w.on_date == start.date()]
        chosen = on_day or [w for w in own if w.weekday == start.weekday()]
        fits = any(w.available and w.starts <= start.time() and end.time() <= w.ends for w in chosen)
        if not fits or any(not w.available for w in on_day):
            out.add(pk)
    return out


@dataclass(frozen=True)
class OtherDuties:
    """The duties examiners have besides the session (declined and withdrawn ones do not count): who has
    one at the same time, every one that day (examiner, site id, site name) and how many that week; and who
    already holds a duty in the session itself, in whatever state (one duty per examiner and session)."""

    overlapping: set[int]
    that_day: list[tuple[int, int, str]]
    that_week: Counter
    here: set[int]


def _other_duties(ids: set[int], session: ExamSession) -> OtherDuties:
    active = StaffAssignment.objects.filter(examiner_id__in=ids).exclude(session=session).exclude(
        status__in=["declined", "withdrawn"])
    day = session.starts_at.date()
    monday = day - timedelta(days=day.weekday())
    return OtherDuties(
        overlapping=set(active.filter(session__starts_at__lt=session.ends_at, session__ends_at__gt=session.starts_at)
                        .values_list("examiner_id", flat=True)),
        that_day=list(active.filter(session__starts_at__date=day).values_list(
            "examiner_id", "session__room__location", "session__room__location__name")),
        that_week=Counter(active.filter(session__starts_at__date__gte=monday,
                                        session__starts_at__date__lt=monday + timedelta(days=7))
                          .values_list("examiner_id", flat=True)),
        here=set(StaffAssignment.objects.filter(examiner_id__in=ids, session=session)
                 .values_list("examiner_id", flat=True)))


def _distance_km(location, examiner: Examiner) -> float | None:
    """How far the examiner lives from the site (None without a home location)."""
    home = examiner.home_location
    return location.distance_km(float(home.latitude), float(home.longitude)) if home else None


def _conflicts(ids: set[int], session: ExamSession) -> list[tuple[int, Candidate]]:
    """Each declared conflict of interest of one of ``ids`` with a candidate seated in the session (that
    candidate, or anyone from that school): the examiner and the candidate."""
    seated = list(Registration.objects.filter(session=session, status__in=SEAT_TAKING).select_related("candidate"))
    return [(conflict.examiner_id, registration.candidate)
            for conflict in ConflictOfInterest.objects.filter(examiner_id__in=ids) for registration in seated
            if conflict.candidate_id == registration.candidate_id
            or (conflict.school and school_key(conflict.school) == school_key(registration.candidate.school))]


def examiner_unavailable(*, examiner: Examiner, start: date, end: date, reason: str) -> int:
    """Mark an examiner unavailable for a period (illness, say): their duties then show up as holes."""
    count = 0
    day = start
    while day <= end:
        Availability.objects.update_or_create(examiner=examiner, on_date=day, available=False,
                                              defaults={"starts": time(0), "ends": time(23, 59)})
        day += timedelta(days=1)
        count += 1
    return count


def location_closed(*, location, room=None, start: date, end: date, reason: str, actor: User | None) -> int:
    """Close a location (or one room) for a period. Sittings candidates booked themselves are cancelled and
    every candidate gets a free new date; sittings the agency placed people in stay for the solver's repair,
    which moves them as little as possible (the closure is a hard rule in the next run)."""
    from ..models import Closure
    from ..services.bookings import session_cancel_by_agency

    zone = location.zone
    Closure.objects.create(location=location, room=room, reason=reason[:200],
                           starts_at=datetime.combine(start, time(0), tzinfo=zone),
                           ends_at=datetime.combine(end, time(23, 59), tzinfo=zone))
    sessions = ExamSession.objects.filter(room__location=location, starts_at__date__gte=start,
                                          starts_at__date__lte=end).exclude(status=ExamSession.Status.CANCELLED)
    if room is not None:
        sessions = sessions.filter(room=room)
    sessions = sessions.exclude(registrations__placement_request__status=PlacementRequest.Status.PLACED)
    return sum(session_cancel_by_agency(session=s, reason=reason, actor=actor) for s in sessions)


def disruption_report(*, examiner: Examiner | None = None, location=None, room=None, start: date, end: date,
                      reason: str, actor: User | None) -> tuple[Disruption, int]:
    """Record a disruption a planner reported and make it count: an examiner absent (their duties become
    holes) or a location or one of its rooms closed (see :func:`location_closed`). Returns the disruption and
    how many candidates were freed to choose a new date (0 for an examiner)."""
    if end < start:
        raise RuleViolation("The period ends before it starts.", code="bad_period")
    if room is not None:
        location = room.location
    kind = (Disruption.Kind.EXAMINER if examiner is not None
            else Disruption.Kind.ROOM if room is not None else Disruption.Kind.LOCATION)
    with transaction.atomic():
        disruption = Disruption.objects.create(kind=kind, examiner=examiner, location=location, room=room,
                                               starts_on=start, ends_on=end, reason=reason[:200],
                                               reported_by=actor)
        if examiner is not None:
            examiner_unavailable(examiner=examiner, start=start, end=end, reason=reason)
            freed = 0
        else:
            freed = location_closed(location=location, room=room, start=start, end=end, reason=reason, actor=actor)
        audit.record("disruption_reported", obj=disruption, actor=actor, kind=kind, start=start.isoformat(),
                     end=end.isoformat())
    return disruption, freed


def disruption_scope(disruption: Disruption) -> Scope:
    """What a repair run for a disruption plans: its period, at its location (every location for an absent
    examiner, who may work anywhere); the run keeps the published roster and changes only what must."""
    codes = (disruption.location.code,) if disruption.location_id else ()
    return Scope(date_from=disruption.starts_on, date_to=disruption.ends_on, location_codes=codes)


@dataclass(frozen=True)
class ScoreLine:
    """One soft rule's points before and after a hand edit, named as the solver's constraint modules are."""

    rule: str
    before: float
    after: float
    detail: str

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class EditPreview:
    """What a hand edit would do, before it is saved: the hard rules it breaks (refused) or the change
    of soft score it costs."""

    problems: list[str]
    lines: list[ScoreLine]

    @property
    def allowed(self) -> bool:
        return not self.problems

    @property
    def change(self) -> float:
        return sum(line.change for line in self.lines)


WEIGHTS, SETTINGS = sm.Weights(), sm.Settings()


def _km(km: list[float]) -> str:
    return _("%(before)s km → %(after)s km") % {"before": f"{km[0]:.0f}", "after": f"{km[1]:.0f}"}


def _travel_points(km: float, free_km: float) -> float:
    return max(0, round(km - free_km)) * WEIGHTS.travel_per_km


def move_preview(*, registration: Registration, target: ExamSession) -> EditPreview:
    """The soft score of moving a candidate to ``target``: travel, date/location preference, exams on the
    same day, and the cost of changing a published placement."""
    from ..services import eligibility

    candidate, source = registration.candidate, registration.session
    problems: list[str] = []
    if registration.status != "confirmed":
        problems.append(_("Only a confirmed exam can be moved."))
    if not target.parts.filter(pk=registration.part_id).exists():
        problems.append(_("That session is for another exam part."))
    if target.status == ExamSession.Status.CANCELLED:
        problems.append(_("That session is cancelled."))
    if not problems:
        ctx = eligibility.Context.load(candidate)
        ctx.registrations = [r for r in ctx.registrations if r.pk != registration.pk]
        problems += [r.message for r in eligibility.reasons_against(ctx, eligibility.Choice(target, registration.part),
                                                                     waive=eligibility.AGENCY_WAIVES)]
        # Every reason, in the order the move itself checks them (full and overlapping: it says both).
        if target.seats_booked >= target.capacity:
            problems.append(_("That session is full."))
    lines = []
    if candidate.latitude is not None:
        here = (float(candidate.latitude), float(candidate.longitude))
        km = [session.room.location.distance_km(*here) for session in (source, target)]
        lines.append(ScoreLine("Travel distance", _travel_points(km[0], SETTINGS.travel_free_km),
                               _travel_points(km[1], SETTINGS.travel_free_km), _km(km)))
    request = PlacementRequest.objects.filter(registration=registration).first()
    if request is not None and request.preferred_location_id:
        miss = [WEIGHTS.preference * (s.room.location_id != request.preferred_location_id) for s in (source, target)]
        lines.append(ScoreLine("Date and location preferences", miss[0], miss[1],
                               _("preferred: %(location)s") % {"location": request.preferred_location.name}))
    same_day = [Registration.objects.filter(candidate=candidate, status__in=SEAT_TAKING,
                                            session__starts_at__date=s.starts_at.date()).exclude(pk=registration.pk)
                .count() for s in (source, target)]
    lines.append(ScoreLine("Exams on the same day", WEIGHTS.spread * same_day[0], WEIGHTS.spread * same_day[1],
                           _("other exams that day: %(before)d → %(after)d") % {"before": same_day[0],
                                                                                 "after": same_day[1]}))
    if request is not None:
        lines.append(ScoreLine("Change to published roster", 0, WEIGHTS.change, _("a published placement moves")))
    return EditPreview(problems, lines)


def replace_preview(*, assignment: StaffAssignment, examiner: Examiner) -> EditPreview:
    """The soft score of putting ``examiner`` in ``assignment``: travel and the spread of workload."""
    session = assignment.session
    problems = examiner_problems(examiner=examiner, session=session, role=assignment.role)
    location = session.room.location
    lines = []
    people = (assignment.examiner, examiner)
    if all(p.home_location_id for p in people):
        km = [location.distance_km(float(p.home_location.latitude), float(p.home_location.longitude)) for p in people]
        lines.append(ScoreLine("Staff travel distance", _travel_points(km[0], SETTINGS.staff_travel_free_km),
                               _travel_points(km[1], SETTINGS.staff_travel_free_km),
                               _km(km)))
    monday = session.starts_at.date() - timedelta(days=session.starts_at.weekday())
    load = [StaffAssignment.objects.filter(examiner=p, session__starts_at__date__gte=monday,
                                           session__starts_at__date__lt=monday + timedelta(days=7)).exclude(
        status__in=["declined", "withdrawn"]).exclude(pk=assignment.pk).count() for p in people]
    # the week's spread between the two people: |a+1 - b| before, |a - (b+1)| after
    lines.append(ScoreLine("Fair workload (spread)", WEIGHTS.fairness * abs(load[0] + 1 - load[1]),
                           WEIGHTS.fairness * abs(load[0] - load[1] - 1),
                           _("duties this week: %(old)s %(old_before)d → %(old_after)d, %(new)s %(new_before)d → "
                             "%(new_after)d") % {"old": people[0], "old_before": load[0] + 1, "old_after": load[0],
                                                 "new": people[1], "new_before": load[1], "new_after": load[1] + 1}))
    if assignment.status in ("published", "accepted"):
        lines.append(ScoreLine("Change to published roster", 0, WEIGHTS.change, _("a published duty changes hands")))
    return EditPreview(problems, lines)


def pin_set(*, obj: StaffAssignment | PlacementRequest, pinned: bool, actor: User | None) -> None:
    """Pin (or release) a duty or a placement: the next solver run keeps a pinned one where it is."""
    type(obj).objects.filter(pk=obj.pk).update(pinned=pinned)
    audit.record("roster_pinned" if pinned else "roster_unpinned", obj=obj, actor=actor)


def session_set_open(*, session: ExamSession, open_: bool, version: int, actor: User | None) -> ExamSession:
    """Open a session for candidates to book, or close it; a stale page is refused."""
    with transaction.atomic():
        locked = ExamSession.objects.select_for_update().get(pk=session.pk)
        if locked.version != version:
            raise Conflict("Someone changed this session's roster meanwhile; reload and try again.",
                           code="stale_edit", details={"current_version": locked.version})
        if locked.status == ExamSession.Status.CANCELLED:
            raise RuleViolation("A cancelled session cannot be opened or closed.", code="session_cancelled")
        if open_ and locked.starts_at <= timezone.now():
            raise RuleViolation("A session in the past cannot be opened for booking.", code="session_past")
        status = ExamSession.Status.OPEN if open_ else ExamSession.Status.CLOSED
        ExamSession.objects.filter(pk=locked.pk).update(status=status, version=F("version") + 1)
        audit.record("session_opened" if open_ else "session_closed", obj=locked, actor=actor)
    locked.refresh_from_db()
    return locked
