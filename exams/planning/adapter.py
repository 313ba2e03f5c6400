"""The one place that converts between database rows and the solver's typed input and output.

The solver (``scheduling``) knows nothing of Django; this module reads locations, rooms, parts, examiners
and the candidates waiting to be placed into a ``Scenario``, and writes a solver ``Solution`` back as
sessions, registrations and staff assignments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from scheduling import model as sm

from ..models import (
    Availability,
    Booking,
    Closure,
    ConflictOfInterest,
    Examiner,
    ExamPart,
    ExamSession,
    Location,
    PlacementRequest,
    Provision,
    Qualification,
    Registration,
    RegistrationEvent,
    Room,
    StaffAssignment,
)

FAMILY_CODES = {"nt2": sm.NT2, "inburgering": sm.INBURGERING, "vo": sm.VO, "wft": sm.WFT}
DB_FAMILY = {v: k for k, v in FAMILY_CODES.items()}
#: The half-day windows sessions are planned in (local clock time of each location).
SLOT_TIMES = ((9 * 60, 12 * 60 + 30, "am"), (13 * 60 + 30, 17 * 60, "pm"))
ROLE_FROM_DB = {"invigilator": sm.INVIGILATOR, "examinator": sm.EXAMINATOR, "second_examiner": sm.SECOND}
ROLE_TO_DB = {v: k for k, v in ROLE_FROM_DB.items()}


@dataclass(frozen=True)
class Scope:
    date_from: date
    date_to: date
    family: str = ""
    location_codes: tuple[str, ...] = ()

    def dates(self) -> list[date]:
        days = (self.date_to - self.date_from).days + 1
        return [d for d in (self.date_from + timedelta(n) for n in range(max(days, 0))) if d.weekday() < 5]


def scenario_from_db(scope: Scope, *, name: str = "planning") -> sm.Scenario:
    dates = scope.dates()
    locations = _locations(scope, dates)
    location_ids = {loc.id for loc in locations}
    return sm.Scenario(
        name=name,
        locations=tuple(locations),
        rooms=tuple(_rooms(location_ids, dates)),
        slots=tuple(sm.Slot(f"{d.isoformat()}-{tag}", d.isoformat(), start, end)
                    for d in dates for start, end, tag in SLOT_TIMES),
        parts=tuple(_parts(scope)),
        examiners=tuple(_examiners(scope, dates, location_ids)),
        candidates=tuple(_candidates(scope)),
    )


def _families(scope: Scope) -> list[str]:
    return [scope.family] if scope.family else list(FAMILY_CODES)


def _locations(scope: Scope, dates: list[date]) -> list[sm.Location]:
    rows = Location.objects.filter(active=True, families__code__in=_families(scope)).distinct()
    if scope.location_codes:
        rows = rows.filter(code__in=scope.location_codes)
    result = []
    noon = datetime.combine(scope.date_from, time(12))
    for row in rows.prefetch_related("opening_hours", "families"):
        offset = ZoneInfo(row.timezone).utcoffset(noon)
        hours = list(row.opening_hours.all())
        opens = min((h.opens for h in hours), default=time(8))
        closes = max((h.closes for h in hours), default=time(18))
        result.append(sm.Location(
            id=row.code, name=row.name, lat=float(row.latitude), lon=float(row.longitude),
            utc_offset_min=int(offset.total_seconds() // 60), open_min=opens.hour * 60 + opens.minute,
            close_min=closes.hour * 60 + closes.minute, closed_dates=_closed(row.pk, None, dates),
            families=tuple(FAMILY_CODES[f.code] for f in row.families.all()),
        ))
    return result


def _closed(location_id: int, room_id: int | None, dates: list[date]) -> tuple[str, ...]:
    closures = Closure.objects.filter(location_id=location_id)
    closures = closures.filter(room_id=room_id) if room_id else closures.filter(room__isnull=True)
    closed = set()
    for closure in closures:
        for day in dates:
            start = datetime.combine(day, time(8), tzinfo=closure.starts_at.tzinfo)
            if closure.starts_at <= start + timedelta(hours=10) and closure.ends_at >= start:
                closed.add(day.isoformat())
    return tuple(sorted(closed))


def _rooms(location_ids: set[str], dates: list[date]) -> list[sm.Room]:
    rooms = []
    for row in Room.objects.filter(active=True, location__code__in=location_ids, preparation_room=False) \
            .select_related("location"):
        kind = sm.ORAL if row.oral_room else (sm.COMPUTER if row.computer_seats else sm.PAPER)
        seats = 1 if kind == sm.ORAL else (row.computer_seats or row.seats)
        rooms.append(sm.Room(id=f"room{row.pk}", location_id=row.location.code, kind=kind, seats=seats,
                             accessible=row.wheelchair_accessible, separate=row.separate_room_ok,
                             large_print=row.separate_room_ok, closed_dates=_closed(row.location_id, row.pk, dates)))
    return rooms


def _parts(scope: Scope) -> list[sm.Part]:
    parts = ExamPart.objects.filter(active=True, programme__family__code__in=_families(scope)).exclude(
        mode=ExamPart.Mode.PORTFOLIO).select_related("programme__family", "subject")
    return [sm.Part(id=p.code, family=FAMILY_CODES[p.programme.family.code], name=p.name_en, mode=p.mode,
                    duration_min=p.duration_minutes, prep_min=p.preparation_minutes,
                    subject=p.subject.code if p.subject_id else "", level=p.programme.level or "") for p in parts]


def _examiners(scope: Scope, dates: list[date], location_ids: set[str]) -> list[sm.Examiner]:
    qualifications = defaultdict(list)
    for q in Qualification.objects.filter(family__code__in=_families(scope)).select_related("subject"):
        qualifications[q.examiner_id].append(q)
    availability = defaultdict(list)
    for a in Availability.objects.filter(examiner_id__in=qualifications):
        availability[a.examiner_id].append(a)
    conflicts = defaultdict(list)
    for c in ConflictOfInterest.objects.filter(examiner_id__in=qualifications):
        conflicts[c.examiner_id].append(f"C{c.candidate_id}" if c.candidate_id else c.school)
    result = []
    for row in Examiner.objects.filter(pk__in=qualifications, active=True).select_related("home_location"):
        quals = qualifications[row.pk]
        home = row.home_location
        if home is None:
            continue
        result.append(sm.Examiner(
            id=f"E{row.pk}", name=f"{row.first_name} {row.last_name}", lat=float(home.latitude),
            lon=float(home.longitude), roles=tuple(sorted({ROLE_FROM_DB[q.role] for q in quals if q.role in ROLE_FROM_DB})),
            qualifications=tuple(sorted({f"{q.subject.code}:{q.level}" for q in quals if q.subject_id})),
            available_dates=_available_dates(availability[row.pk], dates),
            conflicts=tuple(conflicts[row.pk]), max_per_day=row.max_sessions_per_day,
            max_per_week=row.max_sessions_per_week, max_travel_km=float(row.max_travel_km),
        ))
    return result


def _available_dates(windows: list[Availability], dates: list[date]) -> tuple[str, ...] | None:
    """Weekly patterns, overridden by exceptions on a date. No availability given at all: no restriction."""
    if not windows:
        return None
    weekly = {w.weekday for w in windows if w.weekday is not None and w.available}
    off = {w.on_date for w in windows if w.on_date is not None and not w.available}
    extra = {w.on_date for w in windows if w.on_date is not None and w.available}
    return tuple(d.isoformat() for d in dates if (d.weekday() in weekly or d in extra) and d not in off)


def _candidates(scope: Scope) -> list[sm.Candidate]:
    requests = PlacementRequest.objects.filter(
        status=PlacementRequest.Status.WAITING, part__programme__family__code__in=_families(scope),
    ).filter(Q(latest__isnull=True) | Q(latest__gte=scope.date_from)).filter(
        Q(earliest__isnull=True) | Q(earliest__lte=scope.date_to)
    ).select_related("candidate", "part__programme__family", "preferred_location")
    if scope.location_codes:
        requests = requests.filter(Q(preferred_location__code__in=scope.location_codes) |
                                   Q(preferred_location__isnull=True))
    by_candidate = defaultdict(list)
    for request in requests:
        by_candidate[request.candidate_id].append(request)
    provisions = defaultdict(list)
    for p in Provision.objects.filter(candidate_id__in=by_candidate, status=Provision.Status.APPROVED):
        provisions[p.candidate_id].append(p)
    result = []
    for candidate_id, rows in by_candidate.items():
        person = rows[0].candidate
        family = FAMILY_CODES[rows[0].part.programme.family.code]
        home = rows[0].preferred_location
        lat = float(person.latitude) if person.latitude is not None else (float(home.latitude) if home else 52.1)
        lon = float(person.longitude) if person.longitude is not None else (float(home.longitude) if home else 5.1)
        deadline = person.deadlines.filter(kind="integration").first()
        starts = [r.earliest for r in rows if r.earliest]
        ends = [r.latest for r in rows if r.latest]
        result.append(sm.Candidate(
            id=f"C{candidate_id}", family=family, lat=lat, lon=lon,
            requests=tuple(sm.Request(f"R{r.pk}", r.part.code) for r in rows),
            provisions=_provisions(provisions[candidate_id], oral=any(r.part.mode == "oral" for r in rows)),
            deadline=deadline.effective_date.isoformat() if deadline else None,
            preferred_location_ids=tuple(sorted({r.preferred_location.code for r in rows if r.preferred_location})),
            window_start=max([scope.date_from, *starts]).isoformat(),
            window_end=min([scope.date_to, *ends]).isoformat(),
            max_travel_km=float(person.max_travel_km) if person.max_travel_km else None,
            school_id=person.school,
        ))
    return result


def _provisions(rows: list[Provision], *, oral: bool) -> sm.Provisions:
    extra = max((p.extra_minutes for p in rows if p.kind == Provision.Kind.EXTRA_TIME), default=0)
    kinds = {p.kind for p in rows}
    return sm.Provisions(extra_min=0 if oral else extra, extra_prep_min=extra if oral else 0,
                         separate_room=Provision.Kind.SEPARATE_ROOM in kinds,
                         accessible=Provision.Kind.ACCESSIBLE_ROOM in kinds,
                         large_print=Provision.Kind.LARGE_PRINT in kinds)


def _replace_cancelled(request: PlacementRequest, registration: Registration) -> None:
    """The paid registration in a sitting the agency cancelled moves to the new one, at no cost."""
    old = Registration.objects.filter(candidate=request.candidate, part=request.part, status="confirmed",
                                      session__status=ExamSession.Status.CANCELLED).first()
    if old is None:
        return
    Registration.objects.filter(pk=registration.pk).update(booking=old.booking, fee=old.fee)
    RegistrationEvent.objects.create(registration=old, from_status="confirmed", to_status="changed",
                                     reason=f"moved by the planner to session {registration.session_id}")
    Registration.objects.filter(pk=old.pk).update(status="changed", replaced_by=registration)


@dataclass
class PublishOutcome:
    sessions: int = 0
    registrations: int = 0
    assignments: int = 0


def solution_to_db(scenario: sm.Scenario, solution: sm.Solution) -> PublishOutcome:
    """Write a solved roster: sessions (closed for booking: the agency placed people), a confirmed
    registration per placement, and proposed staff assignments. In one transaction."""
    outcome = PublishOutcome()
    slots = {s.id: s for s in scenario.slots}
    parts = {p.code: p for p in ExamPart.objects.filter(code__in={p.id for p in scenario.parts})}
    requests = {f"R{r.pk}": r for r in PlacementRequest.objects.filter(
        pk__in=[int(p.request_id[1:]) for p in solution.placements]).select_related("candidate")}
    rooms = {f"room{r.pk}": r for r in Room.objects.select_related("location")}
    with transaction.atomic():
        sessions: dict[str, ExamSession] = {}
        placed_by_session = defaultdict(list)
        for placement in solution.placements:
            placed_by_session[placement.session_id].append(placement)
        for session_key in sorted(set(solution.sessions) | set(placed_by_session)):
            ref = sm.parse_session_id(session_key)
            room, slot, part = rooms[ref.room_id], slots[ref.slot_id], parts[ref.part_id]
            zone = ZoneInfo(room.location.timezone)
            day = date.fromisoformat(slot.date)
            starts_at = datetime.combine(day, time(slot.start_min // 60, slot.start_min % 60), tzinfo=zone)
            ends_at = datetime.combine(day, time(slot.end_min // 60, slot.end_min % 60), tzinfo=zone)
            count = len(placed_by_session[session_key])
            session = ExamSession.objects.create(room=room, starts_at=starts_at, ends_at=ends_at,
                                                 capacity=max(count, 1), seats_booked=count, status="closed")
            session.parts.set([part])
            sessions[session_key] = session
            outcome.sessions += 1
            for placement in placed_by_session[session_key]:
                request = requests[placement.request_id]
                booking = Booking.objects.create(candidate=request.candidate, status="confirmed", amount=0)
                registration = Registration.objects.create(booking=booking, candidate=request.candidate,
                                                           session=session, part=part, status="confirmed", fee=0)
                RegistrationEvent.objects.create(registration=registration, to_status="confirmed",
                                                 reason="placed by the planner's roster")
                PlacementRequest.objects.filter(pk=request.pk).update(status="placed", registration=registration)
                if request.source == PlacementRequest.Source.DISRUPTION:
                    _replace_cancelled(request, registration)
                outcome.registrations += 1
        for assignment in solution.staff:
            session = sessions.get(assignment.session_id)
            if session is None:
                continue
            StaffAssignment.objects.get_or_create(session=session, examiner_id=int(assignment.examiner_id[1:]),
                                                  defaults={"role": ROLE_TO_DB[assignment.role], "status": "proposed"})
            outcome.assignments += 1
    return outcome
