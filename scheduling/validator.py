"""Independent plain-Python validator: the test oracle and the check behind a planner's hand edit.

It states every hard rule again, directly on the scenario and the solution, without the CP-SAT model or
the constraint modules' code (only their ``NAME`` strings are shared so reports use the same words), and
recomputes every soft penalty. If the solver and this file disagree, one of them is wrong.
"""

from __future__ import annotations

import datetime as dt
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
    ROOM_CLOSED,
    SECOND,
    SESSION_CANCELLED,
    Candidate,
    Examiner,
    Penalty,
    Placement,
    Scenario,
    SessionRef,
    Solution,
    StaffAssignment,
    distance_km,
    parse_session_id,
)

STRUCTURE = "Roster structure"


@dataclass(frozen=True)
class Violation:
    rule: str
    subject: str
    message: str


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
        self._where: dict[str, str] = {}

    # helpers -------------------------------------------------------------------------------------
    def bad(self, rule: str, subject: str, message: str) -> None:
        self.report.violations.append(Violation(rule, subject, message))

    def pay(self, rule: str, amount: int, weight: int, subject: str, sentence: str) -> None:
        if amount and weight:
            self.report.penalties.append(Penalty(rule, amount, weight, subject, sentence))

    def where(self, sid: str) -> str:
        text = self._where.get(sid)
        if text is None:
            ref = self.refs[sid]
            room, slot = self.ix.room[ref.room_id], self.ix.slot[ref.slot_id]
            text = self._where[sid] = f"{self.ix.location[room.location_id].name} {room.id}, {slot.label}"
        return text

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
                self.bad(STRUCTURE, sid, f"Session id {sid!r} is malformed.")
                continue
            if (
                ref.part_id not in self.ix.part
                or ref.room_id not in self.ix.room
                or ref.slot_id not in self.ix.slot
            ):
                self.bad(STRUCTURE, sid, f"Session {sid} names an unknown part, room or slot.")
                continue
            self.refs[sid] = ref
        seen: set[str] = set()
        for p in self.sol.placements:
            if p.request_id not in self.ix.request:
                self.bad(STRUCTURE, p.request_id, f"Placement of unknown request {p.request_id}.")
                continue
            if p.request_id in seen:
                self.bad(STRUCTURE, p.request_id, f"Request {p.request_id} is placed twice.")
            seen.add(p.request_id)
            if p.session_id not in self.refs:
                self.bad(
                    STRUCTURE,
                    p.request_id,
                    f"Request {p.request_id} is placed in a session that is not open.",
                )
                continue
            cand, req = self.ix.request[p.request_id]
            if self.refs[p.session_id].part_id != req.part_id:
                self.bad(
                    STRUCTURE, p.request_id, f"Request {p.request_id} is placed in a session of another part."
                )
                continue
            self.occupants[p.session_id].append((cand, p.request_id))
            self.by_candidate[cand.id].append((p.request_id, p.session_id))
        for a in self.sol.staff:
            if a.examiner_id not in self.ix.examiner or a.session_id not in self.refs:
                self.bad(
                    STRUCTURE,
                    a.examiner_id,
                    f"Staff assignment {a} names an unknown examiner or closed session.",
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
                    f"{part.name} needs a {part.mode} room; {room.id} is {room.kind}.",
                )
            if loc.families and part.family not in loc.families:
                self.bad(room_equipment.NAME, sid, f"{loc.name} does not host {part.family} exams.")
            if slot.start_min - part.prep_min < loc.open_min or slot.end_min > loc.close_min:
                self.bad(
                    opening_hours.NAME, sid, f"{self.where(sid)} is outside the opening hours of {loc.name}."
                )
            if slot.families and part.family not in slot.families:
                self.bad(opening_hours.NAME, sid, f"{slot.label} is not a {part.family} sitting.")
            if part.duration_min > slot.length:
                self.bad(
                    opening_hours.NAME,
                    sid,
                    f"{part.name} ({part.duration_min} min) does not fit {slot.label}.",
                )
            if self._closed(sid):
                self.bad(closures.NAME, sid, f"{self.where(sid)} is closed or cancelled.")
            self._check_capacity(sid)
        for room_id, sids in rooms.items():
            for i, a in enumerate(sids):
                for b in sids[i + 1 :]:
                    sa, sb = self.ix.slot[self.refs[a].slot_id], self.ix.slot[self.refs[b].slot_id]
                    if sa.date == sb.date and sa.start_min < sb.end_min and sb.start_min < sa.end_min:
                        self.bad(
                            room_single_use.NAME,
                            room_id,
                            f"Room {room_id} hosts {a} and {b} at the same time.",
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
                    f"Orals in {self.where(sid)} need {used} min; the slot has {slot.length}.",
                )
        elif len(occ) > room.seats:
            self.bad(
                session_capacity.NAME,
                sid,
                f"{self.where(sid)} holds {len(occ)} candidates in {room.seats} seats.",
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
        who = f"Candidate {cand.id} ({part.name}) in {self.where(sid)}"
        if (cand.window_start and slot.date < cand.window_start) or (
            cand.window_end and slot.date > cand.window_end
        ):
            self.bad(candidate_availability.NAME, rid, f"{who}: outside the candidate's dates.")
        if slot.date in cand.unavailable_dates:
            self.bad(candidate_availability.NAME, rid, f"{who}: the candidate is unavailable that day.")
        limit = cand.max_travel_km if cand.max_travel_km is not None else self.st.max_travel_km
        km = distance_km(cand.lat, cand.lon, loc.lat, loc.lon)
        if km > limit:
            self.bad(travel_max.NAME, rid, f"{who}: {km:.0f} km from home, maximum {limit:.0f} km.")
        room_for = (
            part.duration_min + prov.extra_min + (self.st.oral_changeover_min if part.mode == ORAL else 0)
        )
        if room_for > slot.length:
            self.bad(extra_time.NAME, rid, f"{who}: {prov.extra_min} min extra time does not fit the slot.")
        if prov.separate_room and not room.separate:
            self.bad(separate_room.NAME, rid, f"{who}: needs a separate room.")
        if room.separate and not prov.separate_room:
            self.bad(separate_room.NAME, rid, f"{who}: the separate room is kept for candidates granted one.")
        if prov.accessible and not room.accessible:
            self.bad(accessible_room.NAME, rid, f"{who}: needs an accessible room.")
        if prov.large_print and not room.large_print:
            self.bad(large_print.NAME, rid, f"{who}: needs large print / a large screen.")
        pinned = {p.request_id: p.session_id for p in self.sc.pins if p.request_id}
        if rid in pinned and pinned[rid] != sid:
            self.bad(pins.NAME, rid, f"Request {rid} is pinned to {pinned[rid]} but sits in {sid}.")

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
                    f"Candidate {cand.id} has {spans[i][1]} and {spans[i + 1][1]} at the same time.",
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
                    f"Candidate {cand.id} has {n} exams on {date} (max {limit}).",
                )
            if cand.family == NT2 and n > 1:
                self.bad(
                    nt2_one_part_per_day.NAME, cand.id, f"Candidate {cand.id} has {n} NT2 parts on {date}."
                )
        if cand.same_day and len({(self.date(sid), self.loc_id(sid)) for _, sid in items}) > 1:
            self.bad(
                same_day_same_location.NAME,
                cand.id,
                f"Candidate {cand.id} asked for one day at one location but is split.",
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
                        f"{self.where(sid)} has {n} {role}(s); it needs {self.need(sid).get(role, 0)}.",
                    )
        for (eid, sid), n in per_person_session.items():
            if n > 1:
                self.bad(staff_coverage.NAME, eid, f"{eid} holds {n} roles in {self.where(sid)}.")
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
                    f"Pinned {pin.role} {pin.examiner_id} is missing from {pin.session_id}.",
                )

    def _check_staff_assignment(self, a: StaffAssignment) -> None:
        ex, sid = self.ix.examiner[a.examiner_id], a.session_id
        part = self.ix.part[self.refs[sid].part_id]
        who = f"{ex.name} ({ex.id}) as {a.role} in {self.where(sid)}"
        if a.role == EXAMINATOR and not (EXAMINATOR in ex.roles and part.qualification in ex.qualifications):
            self.bad(examiner_qualification.NAME, ex.id, f"{who}: not qualified for {part.qualification}.")
        elif a.role == SECOND and not (SECOND in ex.roles or EXAMINATOR in ex.roles):
            self.bad(examiner_qualification.NAME, ex.id, f"{who}: not a second examiner.")
        elif a.role == INVIGILATOR and INVIGILATOR not in ex.roles:
            self.bad(examiner_qualification.NAME, ex.id, f"{who}: not an invigilator.")
        date = self.date(sid)
        off = (
            ex.available_dates is not None and date not in ex.available_dates
        ) or date in ex.unavailable_dates
        off = off or any(
            d.kind == EXAMINER_UNAVAILABLE and d.target_id == ex.id and (not d.dates or date in d.dates)
            for d in self.sc.disruptions
        )
        if off:
            self.bad(staff_availability.NAME, ex.id, f"{who}: not available on {date}.")
        people = {c.id for c, _ in self.occupants.get(sid, [])} | {
            c.school_id for c, _ in self.occupants.get(sid, [])
        }
        if set(ex.conflicts) & people:
            self.bad(
                conflict_of_interest.NAME,
                ex.id,
                f"{who}: declared a conflict of interest with a candidate or school.",
            )
        loc = self.ix.location[self.loc_id(sid)]
        limit = ex.max_travel_km if ex.max_travel_km is not None else self.st.staff_max_travel_km
        if distance_km(ex.lat, ex.lon, loc.lat, loc.lon) > limit:
            self.bad(staff_travel.NAME, ex.id, f"{who}: further than {limit:.0f} km from home.")

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
                    f"{ex.id} has {len(day)} sessions on {date} (max {day_cap}).",
                )
            if len({self.loc_id(s) for s in day}) > 1:
                self.bad(
                    one_location_per_day.NAME, ex.id, f"{ex.id} works at more than one location on {date}."
                )
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
                        f"{ex.id} has overlapping sessions or no {self.st.min_break_min}-minute break on {date}.",
                    )
        for week, n in per_week.items():
            if n > week_cap:
                self.bad(
                    staff_max_per_week.NAME,
                    ex.id,
                    f"{ex.id} has {n} sessions in week {week} (max {week_cap}).",
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
                sid = placed.get(req.id)
                if sid is None:
                    if self.st.require_all_placed:
                        self.bad(
                            place_every_request.NAME,
                            req.id,
                            f"Candidate {cand.id} is not placed for {part.name}.",
                        )
                    self.pay(
                        place_every_request.NAME,
                        1,
                        w.unplaced,
                        req.id,
                        f"Candidate {cand.id} is not placed for {part.name}.",
                    )
                    if urgent:
                        self.pay(
                            deadline_priority.NAME,
                            1,
                            w.deadline,
                            req.id,
                            f"Candidate {cand.id} (deadline {cand.deadline}) is not placed for {part.name}.",
                        )
                    if cand.provisions.any:
                        self.pay(
                            provision_priority.NAME,
                            1,
                            w.provisions,
                            req.id,
                            f"Candidate {cand.id} with special provisions is not placed for {part.name}.",
                        )
                    continue
                if urgent and self.date(sid) > cand.deadline:
                    self.pay(
                        deadline_priority.NAME,
                        1,
                        w.deadline,
                        req.id,
                        f"Candidate {cand.id} sits {part.name} on {self.date(sid)}, after the deadline {cand.deadline}.",
                    )
                loc = self.ix.location[self.loc_id(sid)]
                km = max(0, round(distance_km(cand.lat, cand.lon, loc.lat, loc.lon) - self.st.travel_free_km))
                self.pay(
                    travel_cost.NAME,
                    km,
                    w.travel_per_km,
                    req.id,
                    f"Candidate {cand.id} travels {km} km beyond the free {self.st.travel_free_km:.0f} km to {loc.name} for {part.name}.",
                )
                miss = int(bool(cand.preferred_location_ids) and loc.id not in cand.preferred_location_ids)
                miss += int(bool(cand.preferred_dates) and self.date(sid) not in cand.preferred_dates)
                self.pay(
                    preferences.NAME,
                    miss,
                    w.preference,
                    req.id,
                    f"Candidate {cand.id} sits {part.name} at {loc.name} on {self.date(sid)}, outside their preferred location or date.",
                )

    def price_sessions_and_changes(self) -> None:
        for sid, ref in self.refs.items():
            w = self.sc.weights_for(self.ix.part[ref.part_id].family)
            self.pay(session_cost.NAME, 1, w.session_cost, sid, f"Session {self.where(sid)} is opened.")
            for role, n in self.need(sid).items():
                have = sum(1 for a in self.staff_by_session.get(sid, []) if a.role == role)
                if have < n:
                    if self.st.require_all_covered:
                        self.bad(staff_coverage.NAME, sid, f"{self.where(sid)} lacks {n - have} {role}(s).")
                    self.pay(
                        staff_coverage.NAME,
                        n - have,
                        w.uncovered,
                        sid,
                        f"{self.where(sid)} lacks {n - have} {role}(s).",
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
                    f"Candidate {cand.id}'s published exam {p.session_id} was changed.",
                )
        staff_now = set(self.sol.staff)
        for a in pub.staff:
            if a not in staff_now:
                self.pay(
                    published_changes.NAME,
                    1,
                    self.sc.weights.change,
                    a.examiner_id,
                    f"{a.examiner_id}'s published duty as {a.role} in {a.session_id} was changed.",
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
                f"{ex.name} travels {km} km beyond the free distance to {loc.name} on {date}.",
            )
            self.pay(staff_cost.NAME, 1, w.staff_cost, eid, f"{ex.name} is called in on {date}.")
        for (e1, e2), dates in sorted(pairs.items()):
            extra = len(dates) - self.st.max_pair_days
            self.pay(
                pair_rotation.NAME,
                max(0, extra),
                w.fairness,
                f"{e1}+{e2}",
                f"{e1} and {e2} sit together on {len(dates)} days (rotation allows {self.st.max_pair_days}).",
            )
        self._price_spread(load)

    def _price_spread(self, load: dict[str, int]) -> None:
        """Spread among the people who could have worked: holders of a needed role available on a day
        with sessions."""
        needed = {role for sid in self.refs for role in self.need(sid)}
        dates = {self.date(sid) for sid in self.refs}
        pool = [
            ex
            for ex in self.sc.examiners
            if (set(ex.roles) & needed or (SECOND in needed and EXAMINATOR in ex.roles))
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
            f"Workload ranges from {min(loads)} to {max(loads)} sessions per person (spread {spread}).",
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
