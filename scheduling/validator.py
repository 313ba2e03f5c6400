"""Independent plain-Python validator: the test oracle and the check behind a planner's hand edit.

It states every hard rule again, directly on the scenario and the solution, without the CP-SAT model or
the constraint modules' code (only their ``NAME`` strings are shared so reports use the same words), and
recomputes every soft penalty. If the solver and this file disagree, one of them is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

from scheduling.constraints import (
    accessible_room,
    candidate_availability,
    closures,
    conflict_of_interest,
    deadline_priority,
    examiner_qualification,
    extra_time,
    large_print,
    max_exams_per_day,
    no_double_booking,
    nt2_one_part_per_day,
    one_location_per_day,
    opening_hours,
    pair_rotation,
    pins,
    place_every_request,
    preferences,
    provision_priority,
    published_changes,
    room_equipment,
    room_single_use,
    same_day_same_location,
    separate_room,
    session_capacity,
    session_cost,
    staff_availability,
    staff_cost,
    staff_coverage,
    staff_max_per_day,
    staff_max_per_week,
    staff_no_overlap,
    staff_travel,
    travel_cost,
    travel_max,
    workload_spread,
)
from scheduling.context import Index
from scheduling.model import (
    EXAMINATOR,
    EXAMINER_UNAVAILABLE,
    INVIGILATOR,
    LOCATION_CLOSED,
    NT2,
    ORAL,
    RENAMED,
    ROOM_CLOSED,
    SECOND,
    SESSION_CANCELLED,
    Candidate,
    Examiner,
    Message,
    Penalty,
    Placement,
    Scenario,
    SessionRef,
    Solution,
    StaffAssignment,
    counted,
    distance_km,
    family_role,
    parse_session_id,
    say,
    template,
)

STRUCTURE = "Roster structure"


@dataclass(frozen=True)
class Violation:
    rule: str
    subject: str
    message: str
    wording: Message | None = None  # the message as a Message, for a reader's language


# Wording of places, violations and penalties ---------------------------------------------------------

WHERE = template("%(location)s, %(room)s, %(slot)s")
RENAMED["%(location)s %(room)s, %(slot)s"] = WHERE  # the location and room ran together
SESSION = template("%(part)s at %(where)s")


def where_wording(index: Index, room_id: str, slot_id: str) -> Message:
    """'Amsterdam A1, 3 June morning (09:00-12:00)'."""
    room = index.room[room_id]
    location = index.location[room.location_id]
    return say(WHERE, inner={"slot": index.slot[slot_id].wording}, location=location.name, room=room.id)


def session_wording(index: Index, sid: str) -> Message:
    """'NT2 Speaking B1 at Amsterdam A1, 3 June morning (09:00-12:00)'."""
    ref = index.ref(sid)
    part = index.part[ref.part_id]
    where = where_wording(index, ref.room_id, ref.slot_id)
    return say(SESSION, inner={"where": where}, part=part.name, part_id=part.id)


MALFORMED = template("Session id %(session)s is malformed.")
UNKNOWN_SESSION = template("Session %(session)s names an unknown part, room or slot.")
UNKNOWN_REQUEST = template("Placement of unknown request %(request)s.")
PLACED_TWICE = template("Request %(request)s is placed twice.")
NOT_OPEN = template("Request %(request)s is placed in a session that is not open.")
OTHER_PART = template("Request %(request)s is placed in a session of another part.")
UNKNOWN_STAFF = template(
    "Staff assignment %(examiner)s as %(role)s in %(session)s names an unknown examiner or closed session."
)
WRONG_ROOM = template("%(part)s needs a %(mode)s room; %(room)s is %(kind)s.")
NOT_HOSTED = template("%(location)s is not a site for %(family)s.")
AFTER_HOURS = template("%(where)s is outside the opening hours of %(location)s.")
OTHER_SITTING = template("%(slot)s is not a sitting for %(family)s.")
RENAMED["%(location)s does not host %(family)s exams."] = NOT_HOSTED  # stored runs named the family by code
RENAMED["%(slot)s is not a %(family)s sitting."] = OTHER_SITTING
TOO_LONG = template("%(part)s (%(minutes)s min) does not fit %(slot)s.")
CLOSED = template("%(where)s is closed or cancelled.")
ROOM_TWICE = template("Room %(room)s hosts %(session)s and %(other)s at the same time.")
ORALS_TOO_LONG = template("Orals in %(where)s need %(used)s min; the slot has %(cap)s.")
OVERFULL = template("%(where)s holds %(used)s candidates in %(seats)s seats.")
CANDIDATE_IN = template("Candidate %(candidate)s (%(part)s) in %(where)s")
OUTSIDE_DATES = template("%(who)s: outside the candidate's dates.")
UNAVAILABLE_DAY = template("%(who)s: the candidate is unavailable that day.")
TOO_FAR = template("%(who)s: %(km)s km from home, maximum %(limit)s km.")
EXTRA_TIME = template("%(who)s: %(minutes)s min extra time does not fit the slot.")
NEEDS_SEPARATE = template("%(who)s: needs a separate room.")
SEPARATE_KEPT = template("%(who)s: the separate room is kept for candidates granted one.")
NEEDS_ACCESSIBLE = template("%(who)s: needs an accessible room.")
NEEDS_LARGE_PRINT = template("%(who)s: needs large print / a large screen.")
NOT_PINNED_PLACE = template("Request %(request)s is pinned to %(session)s but sits in %(other)s.")
CANDIDATE_CLASH = template("Candidate %(candidate)s has %(request)s and %(other)s at the same time.")
EXAMS_A_DAY = template("Candidate %(candidate)s has %(n)s exams on %(date)s (max %(limit)s).")
NT2_A_DAY = template("Candidate %(candidate)s has %(n)s NT2 parts on %(date)s.")
SPLIT_DAY = template("Candidate %(candidate)s asked for one day at one location but is split.")
OVERSTAFFED = template("%(where)s has %(n)s %(role)s(s); it needs %(limit)s.")
TWO_ROLES = template("%(examiner)s holds %(n)s roles in %(where)s.")
NOT_PINNED_DUTY = template("Pinned %(role)s %(examiner)s is missing from %(session)s.")
STAFF_IN = template("%(name)s (%(examiner)s) as %(role)s in %(where)s")
NOT_QUALIFIED = template("%(who)s: not qualified for %(qualification)s.")
NOT_SECOND = template("%(who)s: not a second examiner.")
NOT_INVIGILATOR = template("%(who)s: not an invigilator for %(family)s.")
LAPSED = template("%(who)s: %(what)s held only until %(date)s.")
STAFF_OFF = template("%(who)s: not available on %(date)s.")
CONFLICT = template("%(who)s: declared a conflict of interest with a candidate or school.")
STAFF_TOO_FAR = template("%(who)s: further than %(limit)s km from home.")
SESSIONS_A_DAY = template("%(examiner)s has %(n)s sessions on %(date)s (max %(limit)s).")
LOCATIONS_A_DAY = template("%(examiner)s works at more than one location on %(date)s.")
NO_BREAK = template("%(examiner)s has overlapping sessions or no %(minutes)s-minute break on %(date)s.")
SESSIONS_A_WEEK = template("%(examiner)s has %(n)s sessions in week %(week)s (max %(limit)s).")
NOT_PLACED = template("Candidate %(candidate)s is not placed for %(part)s.")
NOT_PLACED_DEADLINE = template("Candidate %(candidate)s (deadline %(deadline)s) is not placed for %(part)s.")
NOT_PLACED_PROVISIONS = template(
    "Candidate %(candidate)s with special provisions is not placed for %(part)s."
)
AFTER_DEADLINE = template(
    "Candidate %(candidate)s sits %(part)s on %(date)s, after the deadline %(deadline)s."
)
TRAVELS = template(
    "Candidate %(candidate)s travels %(km)s km beyond the free %(free)s km to %(location)s for %(part)s."
)
NOT_PREFERRED = template(
    "Candidate %(candidate)s sits %(part)s at %(location)s on %(date)s, outside their preferred location or date."
)
OPENED = template("Session %(where)s is opened.")
SHORT = counted(
    "%(where)s lacks %(missing)s %(role)s.",
    "%(where)s lacks %(missing)s %(role)s(s).",
    count="missing",
)
EXAM_CHANGED = template("Candidate %(candidate)s's published exam %(session)s was changed.")
DUTY_CHANGED = template("%(examiner)s's published duty as %(role)s in %(session)s was changed.")
STAFF_TRAVELS = template("%(name)s travels %(km)s km beyond the free distance to %(location)s on %(date)s.")
CALLED_IN = template("%(name)s is called in on %(date)s.")
PAIRED = template("%(examiner)s and %(other)s sit together on %(n)s days (rotation allows %(limit)s).")
SPREAD = template("Workload ranges from %(low)s to %(high)s sessions per person (spread %(spread)s).")


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def breakdown(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for p in self.penalties:
            out[p.rule] += p.cost
        return dict(out)

    def total(self) -> int:
        return sum(p.cost for p in self.penalties)

    def rules_violated(self) -> set[str]:
        return {v.rule for v in self.violations}


class _Checker:
    """Holds the lookups of one validation run; each ``check_*`` method states one rule."""

    def __init__(self, scenario: Scenario, solution: Solution, index: Index | None) -> None:
        self.sc = scenario
        self.sol = solution
        self.ix = index or Index(scenario)
        self.st = scenario.settings
        self.report = Report()
        self.refs: dict[str, SessionRef] = {}
        self.occupants: dict[str, list[tuple[Candidate, str]]] = defaultdict(list)
        self.by_candidate: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.staff_by_session: dict[str, list[StaffAssignment]] = defaultdict(list)
        self._where: dict[str, Message] = {}

    # helpers -------------------------------------------------------------------------------------
    def bad(self, rule: str, subject: str, wording: Message) -> None:
        self.report.violations.append(Violation(rule, subject, wording.text, wording))

    def pay(self, rule: str, amount: int, weight: int, subject: str, wording: Message) -> None:
        if amount and weight:
            self.report.penalties.append(Penalty(rule, amount, weight, subject, wording.text, wording))

    def where(self, sid: str) -> dict[str, Message]:
        """The session's room and slot, as the ``where`` of a message."""
        wording = self._where.get(sid)
        if wording is None:
            ref = self.refs[sid]
            wording = self._where[sid] = where_wording(self.ix, ref.room_id, ref.slot_id)
        return {"where": wording}

    def abs_time(self, sid: str, start: int, end: int) -> tuple[int, int]:
        ref = self.refs[sid]
        slot = self.ix.slot[ref.slot_id]
        loc = self.ix.location[self.ix.room[ref.room_id].location_id]
        days = (dt.date.fromisoformat(slot.date) - dt.date(2000, 1, 1)).days
        return days * 1440 - loc.utc_offset_min + start, days * 1440 - loc.utc_offset_min + end

    def date(self, sid: str) -> str:
        return self.ix.slot[self.refs[sid].slot_id].date

    def loc_id(self, sid: str) -> str:
        return self.ix.room[self.refs[sid].room_id].location_id

    # structure ----------------------------------------------------------------------------------
    def check_structure(self) -> None:
        for sid in self.sol.sessions:
            try:
                ref = parse_session_id(sid)
            except ValueError:
                self.bad(STRUCTURE, sid, say(MALFORMED, session=repr(sid)))
                continue
            if (
                ref.part_id not in self.ix.part
                or ref.room_id not in self.ix.room
                or ref.slot_id not in self.ix.slot
            ):
                self.bad(STRUCTURE, sid, say(UNKNOWN_SESSION, session=sid))
                continue
            self.refs[sid] = ref
        seen: set[str] = set()
        for p in self.sol.placements:
            if p.request_id not in self.ix.request:
                self.bad(STRUCTURE, p.request_id, say(UNKNOWN_REQUEST, request=p.request_id))
                continue
            if p.request_id in seen:
                self.bad(STRUCTURE, p.request_id, say(PLACED_TWICE, request=p.request_id))
            seen.add(p.request_id)
            if p.session_id not in self.refs:
                self.bad(
                    STRUCTURE,
                    p.request_id,
                    say(NOT_OPEN, request=p.request_id),
                )
                continue
            cand, req = self.ix.request[p.request_id]
            if self.refs[p.session_id].part_id not in self.ix.hosting(req.part_id):
                self.bad(STRUCTURE, p.request_id, say(OTHER_PART, request=p.request_id))
                continue
            self.occupants[p.session_id].append((cand, p.request_id))
            self.by_candidate[cand.id].append((p.request_id, p.session_id))
        for a in self.sol.staff:
            if a.examiner_id not in self.ix.examiner or a.session_id not in self.refs:
                self.bad(
                    STRUCTURE,
                    a.examiner_id,
                    say(UNKNOWN_STAFF, examiner=a.examiner_id, role=a.role, session=a.session_id),
                )
                continue
            self.staff_by_session[a.session_id].append(a)

    # sessions -----------------------------------------------------------------------------------
    def check_sessions(self) -> None:
        rooms: dict[str, list[str]] = defaultdict(list)
        for sid, ref in self.refs.items():
            part, room, slot = self.ix.part[ref.part_id], self.ix.room[ref.room_id], self.ix.slot[ref.slot_id]
            loc = self.ix.location[room.location_id]
            rooms[room.id].append(sid)
            if room.kind != part.mode:
                self.bad(
                    room_equipment.NAME,
                    sid,
                    say(
                        WRONG_ROOM,
                        part=part.name,
                        part_id=part.id,
                        mode=part.mode,
                        room=room.id,
                        kind=room.kind,
                    ),
                )
            if loc.families and part.family not in loc.families:
                self.bad(room_equipment.NAME, sid, say(NOT_HOSTED, location=loc.name, family=part.family))
            if slot.start_min - part.prep_min < loc.open_min or slot.end_min > loc.close_min:
                self.bad(opening_hours.NAME, sid, say(AFTER_HOURS, inner=self.where(sid), location=loc.name))
            if slot.families and part.family not in slot.families:
                self.bad(
                    opening_hours.NAME,
                    sid,
                    say(OTHER_SITTING, inner={"slot": slot.wording}, family=part.family),
                )
            if part.duration_min > slot.length:
                self.bad(
                    opening_hours.NAME,
                    sid,
                    say(
                        TOO_LONG,
                        inner={"slot": slot.wording},
                        part=part.name,
                        part_id=part.id,
                        minutes=part.duration_min,
                    ),
                )
            if self._closed(sid):
                self.bad(closures.NAME, sid, say(CLOSED, inner=self.where(sid)))
            self._check_capacity(sid)
        for room_id, sids in rooms.items():
            for i, a in enumerate(sids):
                for b in sids[i + 1 :]:
                    sa, sb = self.ix.slot[self.refs[a].slot_id], self.ix.slot[self.refs[b].slot_id]
                    if sa.date == sb.date and sa.start_min < sb.end_min and sb.start_min < sa.end_min:
                        self.bad(
                            room_single_use.NAME,
                            room_id,
                            say(ROOM_TWICE, room=room_id, session=a, other=b),
                        )

    def _closed(self, sid: str) -> bool:
        ref = self.refs[sid]
        room, date = self.ix.room[ref.room_id], self.date(sid)
        loc = self.ix.location[room.location_id]
        if date in room.closed_dates or date in loc.closed_dates:
            return True
        for d in self.sc.disruptions:
            hit = not d.dates or date in d.dates
            if (d.kind == ROOM_CLOSED and d.target_id == room.id and hit) or (
                d.kind == LOCATION_CLOSED and d.target_id == loc.id and hit
            ):
                return True
            if d.kind == SESSION_CANCELLED and d.target_id == sid:
                return True
        return False

    def _check_capacity(self, sid: str) -> None:
        ref = self.refs[sid]
        part, room, slot = self.ix.part[ref.part_id], self.ix.room[ref.room_id], self.ix.slot[ref.slot_id]
        occ = self.occupants.get(sid, [])
        if part.mode == ORAL:
            used = sum(
                part.duration_min + c.provisions.extra_min + self.st.oral_changeover_min for c, _ in occ
            )
            if used > slot.length:
                self.bad(
                    session_capacity.NAME,
                    sid,
                    say(ORALS_TOO_LONG, inner=self.where(sid), used=used, cap=slot.length),
                )
        elif len(occ) > room.seats:
            self.bad(
                session_capacity.NAME,
                sid,
                say(OVERFULL, inner=self.where(sid), used=len(occ), seats=room.seats),
            )

    # candidates ---------------------------------------------------------------------------------
    def check_candidates(self) -> None:
        for cand in self.sc.candidates:
            items = self.by_candidate.get(cand.id, [])
            for rid, sid in items:
                self._check_placement(cand, rid, sid)
            self._check_candidate_day_rules(cand, items)

    def _check_placement(self, cand: Candidate, rid: str, sid: str) -> None:
        ref = self.refs[sid]
        part, room, slot = self.ix.part[ref.part_id], self.ix.room[ref.room_id], self.ix.slot[ref.slot_id]
        loc = self.ix.location[room.location_id]
        prov = cand.provisions
        who = {
            "who": say(
                CANDIDATE_IN, inner=self.where(sid), candidate=cand.id, part=part.name, part_id=part.id
            )
        }
        if (cand.window_start and slot.date < cand.window_start) or (
            cand.window_end and slot.date > cand.window_end
        ):
            self.bad(candidate_availability.NAME, rid, say(OUTSIDE_DATES, inner=who))
        if slot.date in cand.unavailable_dates:
            self.bad(candidate_availability.NAME, rid, say(UNAVAILABLE_DAY, inner=who))
        limit = cand.max_travel_km if cand.max_travel_km is not None else self.st.max_travel_km
        km = distance_km(cand.lat, cand.lon, loc.lat, loc.lon)
        if km > limit:
            self.bad(travel_max.NAME, rid, say(TOO_FAR, inner=who, km=f"{km:.0f}", limit=f"{limit:.0f}"))
        room_for = (
            part.duration_min + prov.extra_min + (self.st.oral_changeover_min if part.mode == ORAL else 0)
        )
        if room_for > slot.length:
            self.bad(extra_time.NAME, rid, say(EXTRA_TIME, inner=who, minutes=prov.extra_min))
        if prov.separate_room and not room.separate:
            self.bad(separate_room.NAME, rid, say(NEEDS_SEPARATE, inner=who))
        if room.separate and not prov.separate_room:
            self.bad(separate_room.NAME, rid, say(SEPARATE_KEPT, inner=who))
        if prov.accessible and not room.accessible:
            self.bad(accessible_room.NAME, rid, say(NEEDS_ACCESSIBLE, inner=who))
        if prov.large_print and not room.large_print:
            self.bad(large_print.NAME, rid, say(NEEDS_LARGE_PRINT, inner=who))
        pinned = {p.request_id: p.session_id for p in self.sc.pins if p.request_id}
        if rid in pinned and pinned[rid] != sid:
            self.bad(pins.NAME, rid, say(NOT_PINNED_PLACE, request=rid, session=pinned[rid], other=sid))

    def _busy(self, cand: Candidate, sid: str) -> tuple[int, int]:
        ref = self.refs[sid]
        part, slot = self.ix.part[ref.part_id], self.ix.slot[ref.slot_id]
        prep = part.prep_min + (cand.provisions.extra_prep_min if part.prep_min else 0)
        end = (
            slot.end_min
            if part.mode == ORAL
            else slot.start_min + part.duration_min + cand.provisions.extra_min
        )
        return self.abs_time(sid, slot.start_min - prep, end)

    def _check_candidate_day_rules(self, cand: Candidate, items: list[tuple[str, str]]) -> None:
        spans = sorted((self._busy(cand, sid), rid) for rid, sid in items)
        for i in range(len(spans) - 1):
            if spans[i + 1][0][0] < spans[i][0][1]:
                self.bad(
                    no_double_booking.NAME,
                    cand.id,
                    say(CANDIDATE_CLASH, candidate=cand.id, request=spans[i][1], other=spans[i + 1][1]),
                )
        per_day: dict[str, int] = defaultdict(int)
        for _, sid in items:
            per_day[self.date(sid)] += 1
        limit = (
            max(self.st.max_exams_per_day, len(cand.requests)) if cand.same_day else self.st.max_exams_per_day
        )
        for date, n in per_day.items():
            if n > limit:
                self.bad(
                    max_exams_per_day.NAME,
                    cand.id,
                    say(EXAMS_A_DAY, candidate=cand.id, n=n, date=date, limit=limit),
                )
            if cand.family == NT2 and n > 1:
                self.bad(
                    nt2_one_part_per_day.NAME, cand.id, say(NT2_A_DAY, candidate=cand.id, n=n, date=date)
                )
        if cand.same_day and len({(self.date(sid), self.loc_id(sid)) for _, sid in items}) > 1:
            self.bad(
                same_day_same_location.NAME,
                cand.id,
                say(SPLIT_DAY, candidate=cand.id),
            )

    # staff --------------------------------------------------------------------------------------
    def need(self, sid: str) -> dict[str, int]:
        part = self.ix.part[self.refs[sid].part_id]
        if part.mode == ORAL:
            return {EXAMINATOR: 1, SECOND: 1}
        return {
            INVIGILATOR: max(
                1, math.ceil(len(self.occupants.get(sid, [])) / max(1, self.st.invigilator_ratio))
            )
        }

    def check_staff(self) -> None:
        per_person_session: dict[tuple[str, str], int] = defaultdict(int)
        for sid, items in self.staff_by_session.items():
            counts: dict[str, int] = defaultdict(int)
            for a in items:
                counts[a.role] += 1
                per_person_session[(a.examiner_id, sid)] += 1
                self._check_staff_assignment(a)
            for role, n in counts.items():
                if n > self.need(sid).get(role, 0):
                    self.bad(
                        staff_coverage.NAME,
                        sid,
                        say(
                            OVERSTAFFED,
                            inner=self.where(sid),
                            n=n,
                            role=role,
                            limit=self.need(sid).get(role, 0),
                        ),
                    )
        for (eid, sid), n in per_person_session.items():
            if n > 1:
                self.bad(staff_coverage.NAME, eid, say(TWO_ROLES, inner=self.where(sid), examiner=eid, n=n))
        by_person: dict[str, list[str]] = defaultdict(list)
        for a in self.sol.staff:
            if a.session_id in self.refs and a.examiner_id in self.ix.examiner:
                by_person[a.examiner_id].append(a.session_id)
        for eid, sids in by_person.items():
            self._check_staff_days(self.ix.examiner[eid], sids)
        staff = set(self.sol.staff)
        for pin in self.sc.pins:
            if pin.examiner_id and StaffAssignment(pin.examiner_id, pin.session_id, pin.role) not in staff:
                self.bad(
                    pins.NAME,
                    pin.examiner_id,
                    say(NOT_PINNED_DUTY, role=pin.role, examiner=pin.examiner_id, session=pin.session_id),
                )

    def _check_staff_assignment(self, a: StaffAssignment) -> None:
        ex, sid = self.ix.examiner[a.examiner_id], a.session_id
        part = self.ix.part[self.refs[sid].part_id]
        who = {"who": say(STAFF_IN, inner=self.where(sid), name=ex.name, examiner=ex.id, role=a.role)}
        date = self.date(sid)
        family = part.family
        held = functools.partial(ex.holds_role, family=family, date=date)
        if a.role == EXAMINATOR:
            needs = (EXAMINATOR, part.qualification)
            fine = held(EXAMINATOR) and ex.holds(part.qualification, date)
            refusal = say(NOT_QUALIFIED, inner=who, qualification=part.qualification)
        elif a.role == SECOND:
            needs, fine = (SECOND, EXAMINATOR), held(SECOND) or held(EXAMINATOR)
            refusal = say(NOT_SECOND, inner=who)
        else:
            needs, fine = (a.role,), held(a.role)
            refusal = say(NOT_INVIGILATOR, inner=who, family=family)
        if not fine:
            tokens = {*needs, *(family_role(role, family) for role in needs)}
            lapsed = next((e for e in ex.expires if e.what in tokens and e.last_date < date), None)
            if lapsed is not None:
                refusal = say(LAPSED, inner=who, what=lapsed.what, date=lapsed.last_date)
            self.bad(examiner_qualification.NAME, ex.id, refusal)
        off = (
            ex.available_dates is not None and date not in ex.available_dates
        ) or date in ex.unavailable_dates
        off = off or any(
            d.kind == EXAMINER_UNAVAILABLE and d.target_id == ex.id and (not d.dates or date in d.dates)
            for d in self.sc.disruptions
        )
        if off:
            self.bad(staff_availability.NAME, ex.id, say(STAFF_OFF, inner=who, date=date))
        people = {c.id for c, _ in self.occupants.get(sid, [])} | {
            c.school_id for c, _ in self.occupants.get(sid, [])
        }
        if set(ex.conflicts) & people:
            self.bad(
                conflict_of_interest.NAME,
                ex.id,
                say(CONFLICT, inner=who),
            )
        loc = self.ix.location[self.loc_id(sid)]
        limit = ex.max_travel_km if ex.max_travel_km is not None else self.st.staff_max_travel_km
        if distance_km(ex.lat, ex.lon, loc.lat, loc.lon) > limit:
            self.bad(staff_travel.NAME, ex.id, say(STAFF_TOO_FAR, inner=who, limit=f"{limit:.0f}"))

    def _check_staff_days(self, ex: Examiner, sids: list[str]) -> None:
        per_day: dict[str, list[str]] = defaultdict(list)
        per_week: dict[str, int] = defaultdict(int)
        for sid in sids:
            per_day[self.date(sid)].append(sid)
            per_week[self.ix.slot[self.refs[sid].slot_id].week] += 1
        day_cap = ex.max_per_day if ex.max_per_day is not None else self.st.staff_max_per_day
        week_cap = ex.max_per_week if ex.max_per_week is not None else self.st.staff_max_per_week
        for date, day in per_day.items():
            if len(day) > day_cap:
                self.bad(
                    staff_max_per_day.NAME,
                    ex.id,
                    say(SESSIONS_A_DAY, examiner=ex.id, n=len(day), date=date, limit=day_cap),
                )
            if len({self.loc_id(s) for s in day}) > 1:
                self.bad(one_location_per_day.NAME, ex.id, say(LOCATIONS_A_DAY, examiner=ex.id, date=date))
            spans = sorted(
                self.abs_time(
                    s,
                    self.ix.slot[self.refs[s].slot_id].start_min,
                    self.ix.slot[self.refs[s].slot_id].end_min,
                )
                for s in day
            )
            for i in range(len(spans) - 1):
                if spans[i + 1][0] < spans[i][1] + self.st.min_break_min:
                    self.bad(
                        staff_no_overlap.NAME,
                        ex.id,
                        say(NO_BREAK, examiner=ex.id, minutes=self.st.min_break_min, date=date),
                    )
        for week, n in per_week.items():
            if n > week_cap:
                self.bad(
                    staff_max_per_week.NAME,
                    ex.id,
                    say(SESSIONS_A_WEEK, examiner=ex.id, n=n, week=week, limit=week_cap),
                )

    # penalties ----------------------------------------------------------------------------------
    def price_candidates(self) -> None:
        placed = {p.request_id: p.session_id for p in self.sol.placements if p.session_id in self.refs}
        horizon_end = self.ix.dates[-1] if self.ix.dates else "9999-12-31"
        urgent_until = (
            (
                dt.date.fromisoformat(horizon_end) + dt.timedelta(days=self.st.deadline_horizon_days)
            ).isoformat()
            if self.ix.dates
            else ""
        )
        for cand in self.sc.candidates:
            w = self.sc.weights_for(cand.family)
            urgent = bool(cand.deadline and urgent_until and cand.deadline <= urgent_until)
            for req in cand.requests:
                part = self.ix.part[req.part_id]
                who = {"candidate": cand.id, "part": part.name, "part_id": part.id}
                sid = placed.get(req.id)
                if sid is None:
                    if self.st.require_all_placed:
                        self.bad(
                            place_every_request.NAME,
                            req.id,
                            say(NOT_PLACED, **who),
                        )
                    self.pay(
                        place_every_request.NAME,
                        1,
                        w.unplaced,
                        req.id,
                        say(NOT_PLACED, **who),
                    )
                    if urgent:
                        self.pay(
                            deadline_priority.NAME,
                            1,
                            w.deadline,
                            req.id,
                            say(NOT_PLACED_DEADLINE, deadline=cand.deadline, **who),
                        )
                    if cand.provisions.any:
                        self.pay(
                            provision_priority.NAME,
                            1,
                            w.provisions,
                            req.id,
                            say(NOT_PLACED_PROVISIONS, **who),
                        )
                    continue
                if urgent and self.date(sid) > cand.deadline:
                    self.pay(
                        deadline_priority.NAME,
                        1,
                        w.deadline,
                        req.id,
                        say(AFTER_DEADLINE, date=self.date(sid), deadline=cand.deadline, **who),
                    )
                loc = self.ix.location[self.loc_id(sid)]
                km = max(0, round(distance_km(cand.lat, cand.lon, loc.lat, loc.lon) - self.st.travel_free_km))
                self.pay(
                    travel_cost.NAME,
                    km,
                    w.travel_per_km,
                    req.id,
                    say(TRAVELS, km=km, free=f"{self.st.travel_free_km:.0f}", location=loc.name, **who),
                )
                miss = int(bool(cand.preferred_location_ids) and loc.id not in cand.preferred_location_ids)
                miss += int(bool(cand.preferred_dates) and self.date(sid) not in cand.preferred_dates)
                self.pay(
                    preferences.NAME,
                    miss,
                    w.preference,
                    req.id,
                    say(NOT_PREFERRED, location=loc.name, date=self.date(sid), **who),
                )

    def price_sessions_and_changes(self) -> None:
        for sid, ref in self.refs.items():
            w = self.sc.weights_for(self.ix.part[ref.part_id].family)
            self.pay(session_cost.NAME, 1, w.session_cost, sid, say(OPENED, inner=self.where(sid)))
            for role, n in self.need(sid).items():
                have = sum(1 for a in self.staff_by_session.get(sid, []) if a.role == role)
                if have < n:
                    if self.st.require_all_covered:
                        self.bad(
                            staff_coverage.NAME,
                            sid,
                            say(SHORT, inner=self.where(sid), missing=n - have, role=role),
                        )
                    self.pay(
                        staff_coverage.NAME,
                        n - have,
                        w.uncovered,
                        sid,
                        say(SHORT, inner=self.where(sid), missing=n - have, role=role),
                    )
        pub = self.sc.published
        if pub is None:
            return
        now = {p.request_id: p.session_id for p in self.sol.placements}
        for p in pub.placements:
            if now.get(p.request_id) != p.session_id and p.request_id in self.ix.request:
                cand, _ = self.ix.request[p.request_id]
                self.pay(
                    published_changes.NAME,
                    1,
                    self.sc.weights_for(cand.family).change,
                    p.request_id,
                    say(EXAM_CHANGED, candidate=cand.id, session=p.session_id),
                )
        staff_now = set(self.sol.staff)
        for a in pub.staff:
            if a not in staff_now:
                self.pay(
                    published_changes.NAME,
                    1,
                    self.sc.weights.change,
                    a.examiner_id,
                    say(DUTY_CHANGED, examiner=a.examiner_id, role=a.role, session=a.session_id),
                )

    def price_staff(self) -> None:
        w = self.sc.weights
        days: set[tuple[str, str, str]] = set()
        load: dict[str, int] = defaultdict(int)
        pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for sid, items in self.staff_by_session.items():
            roles = {a.role: a.examiner_id for a in items}
            for a in items:
                days.add((a.examiner_id, self.date(sid), self.loc_id(sid)))
                load[a.examiner_id] += 1
            if EXAMINATOR in roles and SECOND in roles:
                pairs[pair_rotation.pair_key(roles[EXAMINATOR], roles[SECOND])].add(self.date(sid))
        for eid, date, loc_id in sorted(days):
            ex, loc = self.ix.examiner[eid], self.ix.location[loc_id]
            km = max(0, round(distance_km(ex.lat, ex.lon, loc.lat, loc.lon) - self.st.staff_travel_free_km))
            self.pay(
                staff_travel.NAME,
                km,
                w.travel_per_km,
                eid,
                say(STAFF_TRAVELS, name=ex.name, km=km, location=loc.name, date=date),
            )
            self.pay(staff_cost.NAME, 1, w.staff_cost, eid, say(CALLED_IN, name=ex.name, date=date))
        for (e1, e2), dates in sorted(pairs.items()):
            extra = len(dates) - self.st.max_pair_days
            self.pay(
                pair_rotation.NAME,
                max(0, extra),
                w.fairness,
                f"{e1}+{e2}",
                say(PAIRED, examiner=e1, other=e2, n=len(dates), limit=self.st.max_pair_days),
            )
        self._price_spread(load)

    def _price_spread(self, load: dict[str, int]) -> None:
        """Spread among the people who could have worked: holders of a needed role available on a day
        with sessions."""
        needed = {(role, self.ix.part[self.refs[sid].part_id].family) for sid in self.refs for role in self.need(sid)}
        needed |= {(EXAMINATOR, family) for role, family in needed if role == SECOND}
        tokens = {*(role for role, _ in needed), *(family_role(role, family) for role, family in needed)}
        dates = {self.date(sid) for sid in self.refs}
        pool = [
            ex
            for ex in self.sc.examiners
            if not tokens.isdisjoint(ex.roles)
            and any(ex.available_dates is None or d in ex.available_dates for d in dates)
        ]
        if len(pool) < 2:
            return
        loads = [load.get(ex.id, 0) for ex in pool]
        spread = max(loads) - min(loads)
        self.pay(
            workload_spread.NAME,
            spread,
            self.sc.weights.spread,
            "staff",
            say(SPREAD, low=min(loads), high=max(loads), spread=spread),
        )


def validate(scenario: Scenario, solution: Solution, *, index: Index | None = None) -> Report:
    """Check every hard rule and recompute every penalty of ``solution`` for ``scenario``."""
    checker = _Checker(scenario, solution, index)
    checker.check_structure()
    checker.check_sessions()
    checker.check_candidates()
    checker.check_staff()
    checker.price_candidates()
    checker.price_sessions_and_changes()
    checker.price_staff()
    return checker.report


# Hand edits -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """A planner's change: ``move`` / ``place`` a request into a session, ``unplace`` it, ``assign`` or
    ``unassign`` an examiner in a role."""

    kind: str
    request_id: str = ""
    session_id: str = ""
    examiner_id: str = ""
    role: str = ""


@dataclass(frozen=True)
class EditCheck:
    accepted: bool
    reasons: tuple[str, ...]
    solution: Solution


def apply_edit(solution: Solution, edit: Edit) -> Solution:
    if edit.kind in ("move", "place", "unplace"):
        old = next((p.session_id for p in solution.placements if p.request_id == edit.request_id), None)
        placements = [p for p in solution.placements if p.request_id != edit.request_id]
        sessions = set(solution.sessions)
        if edit.kind != "unplace":
            placements.append(Placement(edit.request_id, edit.session_id))
            sessions.add(edit.session_id)
        if old and not any(p.session_id == old for p in placements):
            sessions.discard(old)  # an emptied sitting closes, and its staff go home
        staff = tuple(a for a in solution.staff if a.session_id in sessions)
        return replace(solution, sessions=tuple(sorted(sessions)), placements=tuple(placements), staff=staff)
    assignment = StaffAssignment(edit.examiner_id, edit.session_id, edit.role)
    if edit.kind == "assign":
        return replace(solution, staff=solution.staff + (assignment,))
    if edit.kind == "unassign":
        return replace(solution, staff=tuple(a for a in solution.staff if a != assignment))
    raise ValueError(f"unknown edit kind {edit.kind!r}")


def check_edit(scenario: Scenario, solution: Solution, edit: Edit) -> EditCheck:
    """Accept a hand edit only if it breaks no hard rule that was not already broken; say why otherwise."""
    before = {(v.rule, v.message) for v in validate(scenario, solution).violations}
    try:
        edited = apply_edit(solution, edit)
    except ValueError as exc:
        return EditCheck(False, (str(exc),), solution)
    new = [v for v in validate(scenario, edited).violations if (v.rule, v.message) not in before]
    if new:
        return EditCheck(False, tuple(f"{v.rule}: {v.message}" for v in new), solution)
    return EditCheck(True, (), edited)
