"""Explanations a planner understands, for every unplaced request and every uncovered session.

Two tools:
- **Diagnosis** (always, plain Python, fast): every session the request could have used is classified by
  the first rule that rules it out, given the roster as it stands; the sentence names the rules and the
  closest resources ("Amsterdam A1, 3 June morning, 40/40 seats").
- **CP-SAT core** (:func:`explain_with_core`, on demand): the request is forced in, everyone else stays,
  every rule is guarded by an assumption literal, and CP-SAT's ``sufficient_assumptions_for_infeasibility``
  names a set of rules that together make it impossible. Assumption cores need one worker and no
  objective, so this is for one request at a time.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduling.builder import RosterState, build_placement
from scheduling.constraints import (
    accessible_room,
    candidate_availability,
    closures,
    conflict_of_interest,
    examiner_qualification,
    extra_time,
    large_print,
    max_exams_per_day,
    no_double_booking,
    nt2_one_part_per_day,
    one_location_per_day,
    opening_hours,
    pins,
    room_equipment,
    room_single_use,
    same_day_same_location,
    separate_room,
    session_capacity,
    staff_availability,
    staff_max_per_day,
    staff_max_per_week,
    staff_no_overlap,
    staff_travel,
    travel_max,
)
from scheduling.context import (
    Index,
    StaffSession,
    candidate_busy,
    request_usage,
    staff_need,
)
from scheduling.context import (
    session_capacity as capacity_of,
)
from scheduling.model import (
    NT2,
    RENAMED,
    Candidate,
    Examiner,
    Message,
    Penalty,
    Request,
    Scenario,
    SessionRef,
    Solution,
    Uncovered,
    Unplaced,
    absolute_interval,
    counted,
    say,
    template,
)
from scheduling.validator import session_wording, where_wording

NOT_CHOSEN = "Not chosen"
IN_USE = "Full or in use"
NOTICE = "Notice before the exam"  # the family's summons notice, not the candidate, rules out a day

_ORDER = (
    closures.NAME,
    opening_hours.NAME,
    pins.NAME,
    NOTICE,
    candidate_availability.NAME,
    travel_max.NAME,
    extra_time.NAME,
    separate_room.NAME,
    accessible_room.NAME,
    large_print.NAME,
    no_double_booking.NAME,
    nt2_one_part_per_day.NAME,
    max_exams_per_day.NAME,
    same_day_same_location.NAME,
    room_single_use.NAME,
    session_capacity.NAME,
    NOT_CHOSEN,
    IN_USE,
)


class RosterView:
    """The roster as it stands, in the shapes the diagnoses ask about."""

    def __init__(self, index: Index, solution: Solution) -> None:
        self.index = index
        self.state = RosterState.from_solution(index, solution)
        self.staff_by_person: dict[str, list[str]] = defaultdict(list)
        self.staff_by_session: dict[str, list[str]] = defaultdict(list)
        for a in solution.staff:
            self.staff_by_person[a.examiner_id].append(a.session_id)
            self.staff_by_session[a.session_id].append(a.role)


# Unplaced requests ----------------------------------------------------------------------------------


def _request_reason(
    view: RosterView, cand: Candidate, req: Request, ref: SessionRef
) -> tuple[str, Message | None]:
    """First rule ruling a session out for a request, with a detail for examples."""
    index, state = view.index, view.state
    for module in (closures, opening_hours):
        if module.session_forbids(index, ref):
            return module.NAME, None
    for module in (
        pins,
        candidate_availability,
        travel_max,
        extra_time,
        separate_room,
        accessible_room,
        large_print,
    ):
        if module.forbids(index, cand, req, ref):
            return module.NAME, None
    sid, slot = ref.id, index.slot[ref.slot_id]
    others = [s for s in state.by_candidate.get(cand.id, []) if s != sid]
    busy = candidate_busy(index, cand, ref)
    for other in others:
        o = candidate_busy(index, cand, index.ref(other))
        if o[0] < busy[1] and busy[0] < o[1]:
            return no_double_booking.NAME, session_wording(index, other)
    same_day = [o for o in others if index.slot[index.ref(o).slot_id].date == slot.date]
    if cand.family == NT2 and same_day:
        return nt2_one_part_per_day.NAME, session_wording(index, same_day[0])
    if len(same_day) >= max_exams_per_day.day_limit(index.settings, cand):
        return max_exams_per_day.NAME, say(DATE, date=slot.date)
    loc_id = index.room[ref.room_id].location_id
    if cand.same_day and any(
        (index.slot[index.ref(o).slot_id].date, index.room[index.ref(o).room_id].location_id)
        != (slot.date, loc_id)
        for o in others
    ):
        return same_day_same_location.NAME, None
    if sid not in state.open_sessions:
        for other in state.room_sessions.get(ref.room_id, ()):
            os = index.slot[index.ref(other).slot_id]
            if (
                other != sid
                and os.date == slot.date
                and os.start_min < slot.end_min
                and slot.start_min < os.end_min
            ):
                return room_single_use.NAME, session_wording(index, other)
    cap = capacity_of(index, ref)
    used = state.usage.get(sid, 0)
    if used + request_usage(index, cand, index.part[ref.part_id]) > cap:
        full = ORAL_FULL if index.part[ref.part_id].mode == "oral" else SEATS_FULL
        where = where_wording(index, ref.room_id, ref.slot_id)
        return session_capacity.NAME, say(full, inner={"where": where}, used=used, cap=cap)
    return NOT_CHOSEN, session_wording(index, sid)


DATE = template("%(date)s")
SEATS_FULL = template("%(where)s, %(used)s/%(cap)s seats")
ORAL_FULL = template("%(where)s, %(used)s/%(cap)s min")

_PHRASES = {
    closures.NAME: counted(
        "%(n)s is closed or cancelled",
        "%(n)s are closed or cancelled",
    ),
    opening_hours.NAME: counted(
        "%(n)s falls outside opening hours",
        "%(n)s fall outside opening hours",
    ),
    pins.NAME: counted(
        "%(n)s differs from the pinned session",
        "%(n)s differ from the pinned session",
    ),
    NOTICE: counted(
        "%(n)s is before %(day)s, the first day the candidate can be summoned for in time",
        "%(n)s are before %(day)s, the first day the candidate can be summoned for in time",
    ),
    candidate_availability.NAME: counted(
        "%(n)s falls outside the candidate's dates",
        "%(n)s fall outside the candidate's dates",
    ),
    travel_max.NAME: counted(
        "%(n)s is beyond %(km)s km from home (hard maximum travel)",
        "%(n)s are beyond %(km)s km from home (hard maximum travel)",
    ),
    extra_time.NAME: counted(
        "%(n)s is too short for %(minutes)s min extra time",
        "%(n)s are too short for %(minutes)s min extra time",
    ),
    separate_room.NAME: counted(
        "%(n)s is not in a room matching the separate-room provision",
        "%(n)s are not in a room matching the separate-room provision",
    ),
    accessible_room.NAME: counted(
        "%(n)s is not in an accessible room",
        "%(n)s are not in an accessible room",
    ),
    large_print.NAME: counted(
        "%(n)s has no large print / large screen",
        "%(n)s have no large print / large screen",
    ),
    no_double_booking.NAME: counted(
        "%(n)s clashes with the candidate's other exams",
        "%(n)s clash with the candidate's other exams",
    ),
    nt2_one_part_per_day.NAME: counted(
        "%(n)s is on a day with their other NT2 part",
        "%(n)s are on a day with their other NT2 part",
    ),
    max_exams_per_day.NAME: counted(
        "%(n)s is on a day that already holds their maximum of exams",
        "%(n)s are on days that already hold their maximum of exams",
    ),
    same_day_same_location.NAME: counted(
        "%(n)s is not on the day and at the location of their other exams",
        "%(n)s are not on the day and at the location of their other exams",
    ),
    room_single_use.NAME: counted(
        "%(n)s needs a room already used by another exam at that time",
        "%(n)s need a room already used by another exam at that time",
    ),
    session_capacity.NAME: counted(
        "%(n)s is full",
        "%(n)s are full",
    ),
    NOT_CHOSEN: counted(
        "%(n)s still had room but was not chosen within the time limit",
        "%(n)s still had room but were not chosen within the time limit",
    ),
    IN_USE: counted(
        "%(n)s was full, in use by another exam, or clashed with the candidate's other exams (not examined "
        "one by one: too many candidates were left without a place)",
        "%(n)s were full, in use by another exam, or clashed with the candidate's other exams (not examined "
        "one by one: too many candidates were left without a place)",
    ),
}
# Runs stored before say the summary in the planner's words too.
RENAMED[
    "%(n)s were full, in use by another exam, or clashed with the candidate's other exams "
    "(summary; explain.explain_unplaced gives the full diagnosis)"
] = _PHRASES[IN_USE]
BY_RULE = template("%(reason)s (%(rule)s)")
BY_RULE_FOR_EXAMPLE = template("%(reason)s (%(rule)s): %(items)s")
NOT_PLACED = template(
    "Candidate %(candidate)s could not be placed for %(part)s: of %(total)s possible sessions, %(items)s."
)
NOTICE_AFTER_WINDOW = counted(
    "Candidate %(candidate)s could not be placed for %(part)s: candidates for %(exams)s can be placed from "
    "%(day)s (%(days)s day's notice); the run's window ends before that.",
    "Candidate %(candidate)s could not be placed for %(part)s: candidates for %(exams)s can be placed from "
    "%(day)s (%(days)s days' notice); the run's window ends before that.",
    count="days",
)
NOTICE_AFTER_LATEST = counted(
    "Candidate %(candidate)s could not be placed for %(part)s: candidates for %(exams)s can be placed from "
    "%(day)s (%(days)s day's notice); the candidate's last possible day, %(date)s, is before that.",
    "Candidate %(candidate)s could not be placed for %(part)s: candidates for %(exams)s can be placed from "
    "%(day)s (%(days)s days' notice); the candidate's last possible day, %(date)s, is before that.",
    count="days",
)
NO_ROOM = template(
    "Candidate %(candidate)s could not be placed for %(part)s: no %(mode)s room exists at any site for %(family)s."
)
# Runs stored before named the family by its code ("hosts WFT exams"); said now by its name.
RENAMED["Candidate %(candidate)s could not be placed for %(part)s: no %(mode)s room exists at a site that hosts "
        "%(family)s exams."] = NO_ROOM


def _by_rule(reason: Message, rule: str, examples: list[Message] | tuple[Message, ...] = ()) -> Message:
    """'4 are full (Seat capacity): Amsterdam A1, ...; ...'."""
    text = BY_RULE_FOR_EXAMPLE if examples else BY_RULE
    return say(text, inner={"reason": reason}, items=examples, rule=rule)


_ROOM_RULES = (travel_max, separate_room, accessible_room, large_print)


def _room_reason(index: Index, cand: Candidate, req: Request, room_id: str, slot_id: str) -> str | None:
    """Rules that depend on the room alone rule out every slot of that room at once (fast path)."""
    ref = SessionRef(req.part_id, room_id, slot_id)
    for module in _ROOM_RULES:
        if module.forbids(index, cand, req, ref):
            return module.NAME
    return None


def _dates_reason(cand: Candidate, date: str) -> str | None:
    """Why the candidate cannot sit on ``date``: their own dates, or the notice their family's summons
    needs (a day before ``notice_start`` that is unavailable for no other reason); None: they can."""
    if (cand.window_start and date < cand.window_start) or (cand.window_end and date > cand.window_end):
        return candidate_availability.NAME
    if date in cand.unavailable_dates:
        return NOTICE if cand.notice_start and date < cand.notice_start else candidate_availability.NAME
    return None


def _no_day_after_notice(index: Index, cand: Candidate, part_id: str, rid: str) -> Unplaced | None:
    """The sentence for a candidate whose notice leaves no day of the run (or of their own dates) to sit on;
    None when some day is left."""
    dates = index.dates
    last = min(cand.window_end or dates[-1], dates[-1]) if dates else None
    if not cand.notice_start or last is None or cand.notice_start <= last:
        return None
    if any(_dates_reason(cand, d) is None for d in dates):
        return None
    part = index.part[part_id]
    text = NOTICE_AFTER_LATEST if last < dates[-1] else NOTICE_AFTER_WINDOW
    wording = say(text, candidate=cand.id, part=part.name, part_id=part.id, exams=cand.family,
                  day=cand.notice_start, days=cand.notice_days, date=last)
    return Unplaced(rid, cand.id, part.id, (NOTICE,), (wording.text,), (wording,))


def explain_unplaced(
    index: Index, solution: Solution, rid: str, view: RosterView | None = None, quick: bool = False
) -> Unplaced:
    """Diagnose one unplaced request. ``quick`` stops after the room and date rules and reports the
    sessions left as full or in use (used beyond ``explain_limit`` requests in national runs)."""
    view = view or RosterView(index, solution)
    cand, req = index.request[rid]
    part = index.part[req.part_id]
    late = _no_day_after_notice(index, cand, part.id, rid)
    if late is not None:
        return late
    groups: dict[str, list[Message | None]] = defaultdict(list)
    total = 0
    slots = index.slots_sorted
    for room in index.scenario.rooms:
        families = index.location[room.location_id].families
        if room.kind != part.mode or (families and part.family not in families) or not slots:
            continue
        by_room = _room_reason(index, cand, req, room.id, slots[0].id)
        if by_room is not None:
            groups[by_room].extend([None] * len(slots))
            total += len(slots)
            continue
        for slot in slots:
            if slot.families and part.family not in slot.families:
                continue
            by_date = _dates_reason(cand, slot.date)
            if by_date is not None:  # fast path, no session needed
                groups[by_date].append(None)
                total += 1
                continue
            if quick:
                groups[IN_USE].append(None)
                total += 1
                continue
            rule, detail = _request_reason(view, cand, req, SessionRef(part.id, room.id, slot.id))
            groups[rule].append(detail)
            total += 1
    who = {"candidate": cand.id, "part": part.name, "part_id": part.id}
    if total == 0:
        wording = say(NO_ROOM, mode=part.mode, family=part.family, **who)
        return Unplaced(rid, cand.id, part.id, (room_equipment.NAME,), (wording.text,), (wording,))
    parts = []
    for rule in _ORDER:
        if rule not in groups:
            continue
        phrase = say(
            _PHRASES[rule],
            n=len(groups[rule]),
            **({"day": cand.notice_start} if rule == NOTICE else {}),
            km=f"{index.max_travel(cand):.0f}",
            minutes=cand.provisions.extra_min,
        )
        examples = list(dict.fromkeys(d for d in groups[rule] if d))[:2]
        parts.append(_by_rule(phrase, rule, examples))
    wording = say(NOT_PLACED, items=parts, total=total, **who)
    rules = tuple(r for r in _ORDER if r in groups)
    return Unplaced(rid, cand.id, part.id, rules, (wording.text,), (wording,))


NOT_REVISITED = template(
    "Candidate %(candidate)s (%(part)s) was not placed in the published roster either; "
    "this repair did not revisit it."
)


def explain_all_unplaced(
    index: Index, solution: Solution, only: set[str] | None = None, limit: int = 500
) -> tuple[Unplaced, ...]:
    """Every unplaced request, explained; the first ``limit`` in full, the rest by the quick diagnosis;
    with ``only`` (a repair) requests the repair did not touch get a short note."""
    placed = {p.request_id for p in solution.placements}
    view = RosterView(index, solution)
    out = []
    for cand in index.scenario.candidates:
        for req in cand.requests:
            if req.id in placed:
                continue
            if only is None or req.id in only:
                out.append(explain_unplaced(index, solution, req.id, view, quick=len(out) >= limit))
            else:
                part = index.part[req.part_id]
                wording = say(NOT_REVISITED, candidate=cand.id, part=part.name, part_id=part.id)
                out.append(Unplaced(req.id, cand.id, part.id, (), (wording.text,), (wording,)))
    return tuple(out)


# Uncovered sessions ---------------------------------------------------------------------------------


def _staff_session(index: Index, view: RosterView, sid: str) -> StaffSession:
    ref = index.ref(sid)
    slot, room = index.slot[ref.slot_id], index.room[ref.room_id]
    loc = index.location[room.location_id]
    occ = view.state.occupants.get(sid, [])
    cands = [index.request[r][0] for r in occ]
    return StaffSession(
        sid,
        ref,
        loc.id,
        slot.date,
        absolute_interval(slot, loc, slot.start_min, slot.end_min),
        staff_need(index, ref, len(occ)),
        tuple(c.id for c in cands),
        tuple(sorted({c.school_id for c in cands if c.school_id})),
        index.part[ref.part_id].qualification,
    )


def _staff_reason(index: Index, view: RosterView, ex: Examiner, sess: StaffSession, role: str) -> str:
    for module in (examiner_qualification, staff_availability, conflict_of_interest, staff_travel):
        if module.staff_forbids(index, ex, sess, role):
            return module.NAME
    mine = [s for s in view.staff_by_person.get(ex.id, []) if s != sess.sid]
    today = [s for s in mine if index.slot[index.ref(s).slot_id].date == sess.date]
    if any(index.room[index.ref(s).room_id].location_id != sess.location_id for s in today):
        return one_location_per_day.NAME
    gap = index.settings.min_break_min
    for s in today:
        other = _staff_session(index, view, s).interval
        if other[0] < sess.interval[1] + gap and sess.interval[0] < other[1] + gap:
            return staff_no_overlap.NAME
    if len(today) >= staff_max_per_day.limit(index.settings, ex):
        return staff_max_per_day.NAME
    week = index.slot[sess.ref.slot_id].week
    if sum(1 for s in mine if index.slot[index.ref(s).slot_id].week == week) >= staff_max_per_week.limit(
        index.settings, ex
    ):
        return staff_max_per_week.NAME
    return NOT_CHOSEN


_STAFF_PHRASES = {
    examiner_qualification.NAME: counted(
        "%(n)s lacks the role or qualification",
        "%(n)s lack the role or qualification",
    ),
    staff_availability.NAME: counted(
        "%(n)s is unavailable that day",
        "%(n)s are unavailable that day",
    ),
    conflict_of_interest.NAME: counted(
        "%(n)s has a conflict of interest with a candidate or school",
        "%(n)s have a conflict of interest with a candidate or school",
    ),
    staff_travel.NAME: counted(
        "%(n)s lives beyond their maximum travel distance",
        "%(n)s live beyond their maximum travel distance",
    ),
    one_location_per_day.NAME: counted(
        "%(n)s already works at another location that day",
        "%(n)s already work at another location that day",
    ),
    staff_no_overlap.NAME: counted(
        "%(n)s has an overlapping session or would miss their break",
        "%(n)s have an overlapping session or would miss their break",
    ),
    staff_max_per_day.NAME: counted(
        "%(n)s has reached their maximum sessions that day",
        "%(n)s reached their maximum sessions that day",
    ),
    staff_max_per_week.NAME: counted(
        "%(n)s has reached their maximum sessions that week",
        "%(n)s reached their maximum sessions that week",
    ),
    NOT_CHOSEN: counted(
        "%(n)s was free but not chosen (only the nearest candidates per role are searched)",
        "%(n)s were free but not chosen (only the nearest candidates per role are searched)",
    ),
}
SHORT = counted(
    "%(session)s lacks %(missing)s %(role)s: of %(total)s other staff, %(items)s.",
    "%(session)s lacks %(missing)s %(role)s(s): of %(total)s other staff, %(items)s.",
    count="missing",
)
SHORT_NOBODY = counted(
    "%(session)s lacks %(missing)s %(role)s: no staff exist.",
    "%(session)s lacks %(missing)s %(role)s(s): no staff exist.",
    count="missing",
)
SHORT_NOT_REVISITED = counted(
    "%(session)s lacks %(missing)s %(role)s as published; this repair did not revisit that day.",
    "%(session)s lacks %(missing)s %(role)s(s) as published; this repair did not revisit that day.",
    count="missing",
)


def explain_uncovered(index: Index, view: RosterView, sid: str, role: str, missing: int) -> Uncovered:
    sess = _staff_session(index, view, sid)
    groups: dict[str, list[str]] = defaultdict(list)
    for ex in index.scenario.examiners:
        if sid in view.staff_by_person.get(ex.id, []):
            continue
        groups[_staff_reason(index, view, ex, sess, role)].append(ex.id)
    rules = tuple(r for r in _STAFF_PHRASES if r in groups)
    parts = [_by_rule(say(_STAFF_PHRASES[r], n=len(groups[r])), r) for r in rules]
    session = {"session": session_wording(index, sid)}
    total = sum(len(v) for v in groups.values())
    wording = (
        say(SHORT, inner=session, items=parts, missing=missing, role=role, total=total)
        if parts
        else say(SHORT_NOBODY, inner=session, missing=missing, role=role)
    )
    return Uncovered(sid, role, missing, rules, (wording.text,), (wording,))


def explain_all_uncovered(
    index: Index, solution: Solution, dates: set[str] | None = None
) -> tuple[Uncovered, ...]:
    """Every session short of staff, explained; with ``dates`` (a repair) only those days are diagnosed."""
    view = RosterView(index, solution)
    out = []
    for sid in solution.sessions:
        occ = len(view.state.occupants.get(sid, []))
        have = defaultdict(int)
        for role in view.staff_by_session.get(sid, []):
            have[role] += 1
        for role, need in staff_need(index, index.ref(sid), occ).items():
            if have[role] >= need:
                continue
            if dates is None or index.slot[index.ref(sid).slot_id].date in dates:
                out.append(explain_uncovered(index, view, sid, role, need - have[role]))
            else:
                wording = say(
                    SHORT_NOT_REVISITED,
                    inner={"session": session_wording(index, sid)},
                    missing=need - have[role],
                    role=role,
                )
                out.append(Uncovered(sid, role, need - have[role], (), (wording.text,), (wording,)))
    return tuple(out)


# CP-SAT assumption cores ----------------------------------------------------------------------------


def explain_with_core(
    scenario: Scenario, solution: Solution, rid: str, time_limit_s: float = 10.0
) -> tuple[str, ...]:
    """Names of rules that together stop ``rid`` from being placed while everyone else stays put.

    Returns () if the request can in fact be placed (then the diagnosis says which session was free)."""
    index = Index(scenario)
    others = Solution(
        solution.sessions, tuple(p for p in solution.placements if p.request_id != rid), solution.staff
    )
    state = RosterState.from_solution(index, others)
    cand, req = index.request[rid]
    ctx = build_placement(
        index,
        [(cand, req)],
        state,
        location_ids={loc.id for loc in scenario.locations},
        date_from=index.dates[0],
        date_to=index.dates[-1],
        explain_request=rid,
    )
    literals = ctx.guard.literals
    ctx.model.add_assumptions(list(literals.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # assumption cores need a single worker
    solver.parameters.max_time_in_seconds = time_limit_s
    status = solver.solve(ctx.model)
    if status != cp_model.INFEASIBLE:
        return ()
    by_index = {lit.index: name for name, lit in literals.items()}
    return tuple(
        sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index)
    )


# Penalties ------------------------------------------------------------------------------------------


def penalty_lines(penalties: tuple[Penalty, ...] | list[Penalty], limit: int = 5) -> list[str]:
    """Per rule: the total and the first few sentences, largest rule first."""
    by_rule: dict[str, list[Penalty]] = defaultdict(list)
    for p in penalties:
        by_rule[p.rule].append(p)
    lines = []
    for rule, items in sorted(by_rule.items(), key=lambda kv: -sum(p.cost for p in kv[1])):
        lines.append(f"{rule}: {sum(p.cost for p in items)} ({len(items)} items)")
        lines.extend(f"  - {p.sentence} [{p.amount} x {p.weight}]" for p in items[:limit])
    return lines
