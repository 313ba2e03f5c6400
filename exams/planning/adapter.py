"""The one place that converts between database rows and the solver's typed input and output.

The solver (``scheduling``) knows nothing of Django; this module reads locations, rooms, parts, examiners
and the candidates waiting to be placed into a ``Scenario``, and writes a solver ``Solution`` back as
sessions, registrations and staff assignments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from scheduling import model as sm
from scheduling.holidays import NETHERLANDS, is_exam_day

from ..errors import RuleViolation
from ..models import (
    Availability,
    Closure,
    ConflictOfInterest,
    ExamFamily,
    Examiner,
    ExamPart,
    ExamSession,
    Location,
    PlacementRequest,
    Provision,
    Qualification,
    Registration,
    Room,
    StaffAssignment,
)
from ..models.registrations import SEAT_TAKING

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

    def dates(self, *, every_region: bool = False) -> list[date]:
        """The exam days of the scope: its weekdays that are no public holiday (``scheduling.holidays``) where
        at least one of its locations is (each location is closed on its own holidays, see
        :func:`_locations`); with ``every_region``, no public holiday at any of them (a national timetable's
        days)."""
        regions = self.regions()
        days = (self.date_to - self.date_from).days + 1
        held = all if every_region else any
        return [d for d in (self.date_from + timedelta(n) for n in range(max(days, 0)))
                if held(is_exam_day(d, region) for region in regions)]

    def regions(self) -> set[str]:
        """The holiday regions of the scope's locations (the European Netherlands when it has none)."""
        return set(_location_rows(self).values_list("region", flat=True)) or {NETHERLANDS}

    def refuse_without_exam_day(self) -> None:
        """Refused (``window_no_weekday``, or ``window_no_exam_day`` when its weekdays are all public
        holidays) when the scope has no day to hold an exam on."""
        if self.dates():
            return
        length = (self.date_to - self.date_from).days + 1
        if not any((self.date_from + timedelta(n)).weekday() < 5 for n in range(max(length, 0))):
            raise RuleViolation(f"The window {self.date_from} to {self.date_to} has no weekday.",
                                code="window_no_weekday")
        raise RuleViolation(f"The window {self.date_from} to {self.date_to} has only public holidays on its "
                            "weekdays.", code="window_no_exam_day")


def notice_days(scope: Scope) -> dict[str, int]:
    """Per family of the scope (its code), the days' notice its candidates get: their summons letter goes
    out that many days before (``ExamFamily.summons_days``; a family without summons: its registration
    closing days). Each family's own: an NT2 candidate's fortnight does not hold back a Wft sitting."""
    rows = ExamFamily.objects.filter(code__in=_families(scope))
    return {f.code: f.summons_days if f.summons_days is not None else f.registration_closes_days for f in rows}


def first_new_days(scope: Scope, now: datetime | None = None) -> dict[str, date]:
    """Per family of the scope, the first day a run may place its candidates on: the first day whose first
    slot starts at least the family's notice (:func:`notice_days`) after ``now`` (whole days, on the
    agency's clock)."""
    return {code: _first_day_after(now, days) for code, days in notice_days(scope).items()}


def first_new_day(scope: Scope, now: datetime | None = None) -> date:
    """The first day a run may place anyone of the scope on: that of the family with the shortest notice
    (:func:`first_new_days`)."""
    return min(first_new_days(scope, now).values(), default=_first_day_after(now, 0))


def next_exam_day(now: datetime | None = None) -> date:
    """The first day whose first slot has not begun yet: the earliest a repair can change anything."""
    return _first_day_after(now, 0)


def _first_day_after(now: datetime | None, days: int) -> date:
    cutoff = timezone.localtime(now) + timedelta(days=days)
    first_slot = time(SLOT_TIMES[0][0] // 60, SLOT_TIMES[0][0] % 60)
    return cutoff.date() if cutoff.time() <= first_slot else cutoff.date() + timedelta(days=1)


def scenario_from_db(scope: Scope, *, name: str = "planning") -> sm.Scenario:
    """The scope as the solver sees it, including the roster published in it (kept unless it must change)
    and the planners' pins."""
    dates = scope.dates()
    locations = _locations(scope, dates)
    location_ids = {loc.id for loc in locations}
    rooms = _rooms(location_ids, dates)
    parts = _parts(scope)
    roster = published_roster(scope, room_ids={r.id for r in rooms}, part_ids={p.id for p in parts})
    parts += _sitting_parts(parts, roster.sessions)
    # Each family's notice: its candidates are placed no earlier, and what it published before stays.
    firsts = first_new_days(scope)
    kept = _within_notice(roster, firsts)
    standard = [sm.Slot(f"{d.isoformat()}-{tag}", d.isoformat(), start, end)
                for d in dates for start, end, tag in SLOT_TIMES]
    return sm.Scenario(
        name=name,
        locations=tuple(locations),
        rooms=tuple(rooms),
        slots=tuple(sorted({s.id: s for s in [*standard, *roster.slots]}.values(),
                           key=lambda s: (s.date, s.start_min, s.id))),
        parts=tuple(parts),
        examiners=tuple(_examiners(scope, dates, location_ids)),
        candidates=(*waiting_candidates(scope, placed=roster.request_ids, first_days=firsts, kept=kept,
                                        notice_by_family=notice_days(scope)),
                    *roster.booked_seats(locations)),
        pins=(*roster.pins, *(sm.Pin(key, request_id=rid) for rid, key in sorted(kept.items())
                              if rid not in {p.request_id for p in roster.pins})),
        published=roster.solution if roster.solution.placements or roster.solution.sessions else None,
    )


def _within_notice(roster: PublishedRoster, firsts: dict[str, date]) -> dict[str, str]:
    """The agency's placements (request id -> session id) on a day before their family's first new day:
    their candidates have been summoned, so they stay where they are."""
    kept = {}
    for placement in roster.solution.placements:
        registration = roster.registrations.get(placement.request_id)
        if registration is None:
            continue
        first = firsts.get(registration.part.programme.family.code)
        if first is not None and placement.session_id.rsplit("@", 1)[1][:10] < first.isoformat():
            kept[placement.request_id] = placement.session_id
    return kept


def _slot_of(session: ExamSession) -> sm.Slot:
    """The slot a database session sits in: its half-day slot when it starts at one's time, else a slot of
    its own (``2027-06-14-1000-1200``: its local start and end), so an existing sitting opened at any time
    is one the solver can fill."""
    local = session.room.location.local(session.starts_at)
    start = local.hour * 60 + local.minute
    day = local.date().isoformat()
    tag = next((tag for begin, _end, tag in SLOT_TIMES if begin == start), None)
    if tag is not None:
        standard = next(s for s in SLOT_TIMES if s[2] == tag)
        return sm.Slot(f"{day}-{tag}", day, standard[0], standard[1])
    end = session.room.location.local(session.ends_at)
    end_min = end.hour * 60 + end.minute if end.date() == local.date() else 24 * 60 - 1
    return sm.Slot(f"{day}-{sm.hhmm(start).replace(':', '')}-{sm.hhmm(end_min).replace(':', '')}", day, start,
                   end_min)


def session_key(session: ExamSession) -> str | None:
    """The solver's id of a database session: its part in its room in its slot (a half-day slot, or one of
    its own for a session opened at another time, see :func:`_slot_of`). A sitting of several parts at once
    (a Wft sitting holding several modules) is one session of the part that stands for them all
    (``WFT-BASIS+WFT-VERMOGEN``, see ``scheduling.model.Part.members``); None for a session without parts."""
    parts = list(session.parts.all())
    if not parts:
        return None
    part_id = sm.sitting_part_id(p.code for p in parts)
    return sm.session_id(part_id, f"room{session.room_id}", _slot_of(session).id)


def _sitting_parts(parts: list[sm.Part], sessions: dict[str, ExamSession]) -> list[sm.Part]:
    """One part per combination of parts the scope's sittings hold together: requests for any of them take
    its seats. As long as its longest member, of the members' family and mode."""
    by_id = {p.id: p for p in parts}
    shared = {}
    for key in sessions:
        part_id = sm.parse_session_id(key).part_id
        members = tuple(part_id.split("+"))
        if len(members) < 2 or part_id in shared:
            continue
        first, longest = by_id[members[0]], max((by_id[m] for m in members), key=lambda p: p.duration_min)
        shared[part_id] = replace(longest, id=part_id, name=", ".join(by_id[m].name for m in members),
                                  family=first.family, mode=first.mode, members=members)
    return list(shared.values())


#: Placements of seats candidates booked themselves carry this prefix (``B<registration id>``): the solver
#: counts them in their sitting's seats and staff, the roster versions leave them alone.
BOOKED = "B"


def is_booked_seat(request_id: str) -> bool:
    return request_id.startswith(BOOKED)


def agency_placements(solution: sm.Solution) -> sm.Solution:
    """The roster without the seats candidates booked themselves: what a roster version compares and
    writes."""
    agency = tuple(p for p in solution.placements if not is_booked_seat(p.request_id))
    return replace(solution, placements=agency)


@dataclass
class PublishedRoster:
    """The roster in the database for a scope, in the solver's terms, with the rows behind each id: the
    agency's placements and the sessions they are in, and every other live sitting in the scope with the
    seats candidates booked there themselves (placements ``B<registration id>``, see :data:`BOOKED`)."""

    solution: sm.Solution
    sessions: dict[str, ExamSession]
    registrations: dict[str, Registration]
    assignments: dict[tuple[str, str, str], StaffAssignment]
    pins: tuple[sm.Pin, ...]
    booked: dict[str, tuple[ExamSession, Registration]] = field(default_factory=dict)

    @property
    def request_ids(self) -> set[int]:
        return {int(rid[1:]) for rid in self.registrations}

    @property
    def slots(self) -> list[sm.Slot]:
        return [_slot_of(session) for session in self.sessions.values()]

    def booked_seats(self, locations: list[sm.Location]) -> tuple[sm.Candidate, ...]:
        """One candidate per seat booked in a sitting, at the sitting's location, on its day: they fill
        seats and need staff like anyone placed there, and never move."""
        where = {loc.id: loc for loc in locations}
        seats = []
        for rid, (session, registration) in sorted(self.booked.items()):
            part = registration.part
            loc = where[session.room.location.code]
            day = _slot_of(session).date
            seats.append(sm.Candidate(
                id=rid, family=FAMILY_CODES[part.programme.family.code], lat=loc.lat, lon=loc.lon,
                requests=(sm.Request(rid, part.code),), window_start=day, window_end=day))
        return tuple(seats)


LIVE_DUTIES = ("proposed", "published", "accepted")
#: Declined duties count as published places, so a repair fills them (their examiner is off that day).
PUBLISHED_DUTIES = (*LIVE_DUTIES, "declined")


def published_roster(scope: Scope, *, room_ids: set[str] | None = None,
                     part_ids: set[str] | None = None) -> PublishedRoster:
    """Every placement the agency made in the scope (a placement request placed in a live session), the
    staff of those sessions, and the pins on both."""
    first, last = scope.date_from - timedelta(days=1), scope.date_to + timedelta(days=1)
    requests = (PlacementRequest.objects.filter(
        status=PlacementRequest.Status.PLACED, registration__status="confirmed",
        registration__session__starts_at__date__gte=first, registration__session__starts_at__date__lte=last,
        part__programme__family__code__in=_families(scope),
    ).exclude(registration__session__status=ExamSession.Status.CANCELLED)
        .select_related("registration__session__room__location", "registration__part__programme__family")
        .prefetch_related("registration__session__parts"))
    if scope.location_codes:
        requests = requests.filter(registration__session__room__location__code__in=scope.location_codes)
    days = {d.isoformat() for d in scope.dates()}
    sessions: dict[str, ExamSession] = {}
    registrations: dict[str, Registration] = {}
    placements, pins = [], []
    for request in requests:
        session = request.registration.session
        key = _key_in_scope(session, days, room_ids, part_ids)
        if key is None:
            continue
        sessions[key] = session
        registrations[f"R{request.pk}"] = request.registration
        placements.append(sm.Placement(f"R{request.pk}", key))
        if request.pinned:
            pins.append(sm.Pin(key, request_id=f"R{request.pk}"))
    booked = _booked_sittings(scope, days, sessions, registrations, room_ids, part_ids)
    for rid, (session, _registration) in booked.items():
        key = session_key(session)
        sessions[key] = session
        placements.append(sm.Placement(rid, key))
    assignments: dict[tuple[str, str, str], StaffAssignment] = {}
    by_session = {s.pk: key for key, s in sessions.items()}
    for duty in StaffAssignment.objects.filter(session_id__in=by_session, status__in=PUBLISHED_DUTIES):
        if duty.role not in ROLE_FROM_DB:
            continue
        item = (f"E{duty.examiner_id}", by_session[duty.session_id], ROLE_FROM_DB[duty.role])
        assignments[item] = duty
        if duty.pinned:
            pins.append(sm.Pin(item[1], examiner_id=item[0], role=item[2]))
    solution = sm.Solution(
        sessions=tuple(sorted(sessions)), placements=tuple(sorted(placements, key=lambda p: p.request_id)),
        staff=tuple(sm.StaffAssignment(*item) for item in sorted(assignments)))
    return PublishedRoster(solution, sessions, registrations, assignments, tuple(pins), booked)


def _key_in_scope(session: ExamSession, days: set[str], room_ids: set[str] | None,
                  part_ids: set[str] | None) -> str | None:
    """The session's solver id when it lies on one of the scope's days, in its rooms and of its parts."""
    key = session_key(session)
    if key is None or key.rsplit("@", 1)[1][:10] not in days:
        return None
    ref = sm.parse_session_id(key)
    members = set(ref.part_id.split("+"))  # a sitting of several parts: all of them in the scope
    if (room_ids is not None and ref.room_id not in room_ids) or (part_ids is not None and
                                                                  not members <= part_ids):
        return None
    return key


def _booked_sittings(scope: Scope, days: set[str], agency: dict[str, ExamSession],
                     placed: dict[str, Registration], room_ids: set[str] | None,
                     part_ids: set[str] | None) -> dict[str, tuple[ExamSession, Registration]]:
    """Every other live sitting in the scope (open for booking, closed or held, at any time; of one part or
    several), and the seats candidates booked in those and in the agency's sittings: placements
    ``B<registration>``."""
    first, last = scope.date_from - timedelta(days=1), scope.date_to + timedelta(days=1)
    rows = ExamSession.objects.filter(
        starts_at__date__gte=first, starts_at__date__lte=last, room__active=True,
        parts__programme__family__code__in=_families(scope),
    ).exclude(status__in=[ExamSession.Status.CANCELLED, ExamSession.Status.DRAFT]).distinct() \
        .select_related("room__location").prefetch_related("parts")
    if scope.location_codes:
        rows = rows.filter(room__location__code__in=scope.location_codes)
    agency_registrations = {r.pk for r in placed.values()}
    sittings = {}
    for session in rows:
        key = _key_in_scope(session, days, room_ids, part_ids)
        if key is None:
            continue
        sittings[session.pk] = (key, session)
        agency.setdefault(key, session)
    booked = {}
    for registration in Registration.objects.filter(session_id__in=sittings, status__in=SEAT_TAKING) \
            .exclude(pk__in=agency_registrations).select_related("part__programme__family").order_by("pk"):
        booked[f"{BOOKED}{registration.pk}"] = (sittings[registration.session_id][1], registration)
    return booked


def _families(scope: Scope) -> list[str]:
    return [scope.family] if scope.family else list(FAMILY_CODES)


def _location_rows(scope: Scope):
    rows = Location.objects.filter(active=True, families__code__in=_families(scope)).distinct()
    return rows.filter(code__in=scope.location_codes) if scope.location_codes else rows


def _locations(scope: Scope, dates: list[date]) -> list[sm.Location]:
    """The scope's locations, each closed on its closures and on the public holidays of its own region."""
    rows = _location_rows(scope)
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
            close_min=closes.hour * 60 + closes.minute, region=row.region,
            closed_dates=tuple(sorted({*_closed(row.pk, None, dates),
                                       *(d.isoformat() for d in dates if not is_exam_day(d, row.region))})),
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
    for q in Qualification.objects.filter(family__code__in=_families(scope)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=scope.date_from)).select_related("subject", "family"):
        qualifications[q.examiner_id].append(q)
    availability = defaultdict(list)
    for a in Availability.objects.filter(examiner_id__in=qualifications):
        availability[a.examiner_id].append(a)
    conflicts = defaultdict(list)
    declared = list(ConflictOfInterest.objects.filter(examiner_id__in=qualifications))
    from ..schools import known_schools, school_key

    # A declared school counts however candidates capitalise or space its name.
    schools = known_schools() if any(c.school for c in declared) else {}
    for c in declared:
        conflicts[c.examiner_id] += ([f"C{c.candidate_id}"] if c.candidate_id
                                     else schools.get(school_key(c.school), [c.school]))
    # A declined duty (or one reported sick for) frees the examiner from that day in every run after it.
    declined = defaultdict(set)
    for duty in StaffAssignment.objects.filter(
            examiner_id__in=qualifications, status=StaffAssignment.Status.DECLINED,
            session__starts_at__date__gte=dates[0] - timedelta(days=1) if dates else scope.date_from,
            session__starts_at__date__lte=scope.date_to + timedelta(days=1)).select_related("session__room__location"):
        declined[duty.examiner_id].add(duty.session.local_starts_at.date().isoformat())
    result = []
    for row in Examiner.objects.filter(pk__in=qualifications, active=True).select_related("home_location"):
        quals = qualifications[row.pk]
        home = row.home_location
        if home is None:
            continue
        roles, role_expiries = _roles(quals, scope)
        result.append(sm.Examiner(
            id=f"E{row.pk}", name=f"{row.first_name} {row.last_name}", lat=float(home.latitude),
            lon=float(home.longitude), roles=roles,
            qualifications=tuple(sorted({_subject(q) for q in quals if _examines(q)})),
            available_dates=_without(_available_dates(availability[row.pk], dates), declined[row.pk], dates),
            conflicts=tuple(conflicts[row.pk]), max_per_day=row.max_sessions_per_day,
            max_per_week=row.max_sessions_per_week, max_travel_km=float(row.max_travel_km),
            expires=role_expiries + _subject_expiries(quals, scope),
        ))
    return result


def _role(q: Qualification) -> str:
    return ROLE_FROM_DB[q.role]


def _examines(q: Qualification) -> bool:
    """Only the examinator of an oral needs the subject (any second examiner may sit beside them), so a
    subject counts only from an examinator row: second examiner in Dutch does not make an examinator in
    Dutch of someone who examines English."""
    return q.role == "examinator" and bool(q.subject_id)


def _subject(q: Qualification) -> str:
    return f"{q.subject.code}:{q.level}"


def _roles(quals: list[Qualification], scope: Scope) -> tuple[tuple[str, ...], tuple[sm.Expiry, ...]]:
    """The examiner's role tokens and the last dates of those that lapse in the scope. A role held in
    every family of the scope until the same day is one bare role (``invigilator``); otherwise it is one
    token per family (``invigilator@NT2``), so a role held for NT2 only does not staff inburgering."""
    ends: dict[str, dict[str, list[date | None]]] = defaultdict(lambda: defaultdict(list))
    for q in quals:
        if q.role in ROLE_FROM_DB:
            ends[_role(q)][FAMILY_CODES[q.family.code]].append(q.valid_until)
    tokens, expiries = [], []
    for role, by_family in sorted(ends.items()):
        last = {family: _last(days) for family, days in sorted(by_family.items())}
        if len(last) == len(_families(scope)) and len(set(last.values())) == 1:
            held = [(role, next(iter(last.values())))]
        else:
            held = [(sm.family_role(role, family), end) for family, end in last.items()]
        for token, end in held:
            tokens.append(token)
            if end is not None and end < scope.date_to:
                expiries.append(sm.Expiry(token, end.isoformat()))
    return tuple(tokens), tuple(expiries)


def _subject_expiries(quals: list[Qualification], scope: Scope) -> tuple[sm.Expiry, ...]:
    """A subject qualification lapses in the scope when every examinator row that gives it ends there."""
    ends: dict[str, list[date | None]] = defaultdict(list)
    for q in quals:
        if _examines(q):
            ends[_subject(q)].append(q.valid_until)
    return tuple(sm.Expiry(what, last.isoformat()) for what, days in sorted(ends.items())
                 if (last := _last(days)) is not None and last < scope.date_to)


def _last(days: list[date | None]) -> date | None:
    """The last day any of the rows holds; None when one of them has no end."""
    return None if None in days else max(days)


def _without(available: tuple[str, ...] | None, off: set[str], dates: list[date]) -> tuple[str, ...] | None:
    if not off:
        return available
    return tuple(d for d in (available if available is not None else (x.isoformat() for x in dates)) if d not in off)


def _available_dates(windows: list[Availability], dates: list[date]) -> tuple[str, ...] | None:
    """Weekly patterns, overridden by exceptions on a date. No availability given at all: no restriction."""
    if not windows:
        return None
    weekly = {w.weekday for w in windows if w.weekday is not None and w.available}
    off = {w.on_date for w in windows if w.on_date is not None and not w.available}
    extra = {w.on_date for w in windows if w.on_date is not None and w.available}
    return tuple(d.isoformat() for d in dates if (d.weekday() in weekly or d in extra) and d not in off)


def waiting_candidates(scope: Scope, *, placed: set[int] = frozenset(), first_days: dict[str, date] | None = None,
                       kept: dict[str, str] | None = None, notice_by_family: dict[str, int] | None = None,
                       ) -> list[sm.Candidate]:
    """Candidates with requests waiting for a place in the scope, plus the placed requests of the roster
    published in it (``placed``). A candidate is free no earlier than the first new day of their family
    (``first_days``, :func:`first_new_days`; of several families, the latest), except on the days their
    placements within that notice (``kept``: request id -> session id) stay on; the candidate keeps that
    day and the family's notice in days (``notice_by_family``, :func:`notice_days`) for the explanations."""
    waiting = PlacementRequest.objects.filter(
        status=PlacementRequest.Status.WAITING, part__programme__family__code__in=_families(scope),
    ).filter(Q(latest__isnull=True) | Q(latest__gte=scope.date_from)).filter(
        Q(earliest__isnull=True) | Q(earliest__lte=scope.date_to)
    )
    if scope.location_codes:
        waiting = waiting.filter(Q(preferred_location__code__in=scope.location_codes) |
                                 Q(preferred_location__isnull=True))
    requests = PlacementRequest.objects.filter(Q(pk__in=waiting.values("pk")) | Q(pk__in=placed)).select_related(
        "candidate", "part__programme__family", "preferred_location").order_by("pk")
    by_candidate = defaultdict(list)
    for request in requests:
        by_candidate[request.candidate_id].append(request)
    provisions = defaultdict(list)
    for p in Provision.objects.filter(candidate_id__in=by_candidate, status=Provision.Status.APPROVED):
        provisions[p.candidate_id].append(p)
    days = [d.isoformat() for d in scope.dates()]  # read once: the scope's regions come from the database
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
        notice = max((first_days.get(r.part.programme.family.code, scope.date_from) for r in rows),
                     default=scope.date_from) if first_days else scope.date_from
        notice_family = next((r.part.programme.family.code for r in rows
                              if first_days and first_days.get(r.part.programme.family.code) == notice), None)
        staying = {(kept or {})[f"R{r.pk}"].rsplit("@", 1)[1][:10] for r in rows if f"R{r.pk}" in (kept or {})}
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
            unavailable_dates=tuple(d for d in days if d < notice.isoformat() and d not in staying),
            notice_start=notice.isoformat() if notice_family else None,
            notice_days=(notice_by_family or {}).get(notice_family, 0),
        ))
    return result


def _provisions(rows: list[Provision], *, oral: bool) -> sm.Provisions:
    extra = max((p.extra_minutes for p in rows if p.kind == Provision.Kind.EXTRA_TIME), default=0)
    kinds = {p.kind for p in rows}
    return sm.Provisions(extra_min=0 if oral else extra, extra_prep_min=extra if oral else 0,
                         separate_room=Provision.Kind.SEPARATE_ROOM in kinds,
                         accessible=Provision.Kind.ACCESSIBLE_ROOM in kinds,
                         large_print=Provision.Kind.LARGE_PRINT in kinds)

