"""Model builder: turns a sub-problem of the decomposition into a CP-SAT model by creating variables
for the allowed (request, session) and (examiner, session, role) pairs and letting every constraint
module post its part.

``RosterState`` is the roster decided so far (pins, earlier blocks, the untouched part of a published
roster). A sub-problem only sees it as constants: residual seats, busy rooms, a candidate's other exams.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling import constraints
from scheduling.constraints import examiner_qualification, staff_availability, staff_travel
from scheduling.context import (
    Guarded,
    Index,
    PlacementContext,
    StaffContext,
    StaffSession,
    candidate_busy,
    request_usage,
    staff_need,
)
from scheduling.model import (
    Candidate,
    Examiner,
    Placement,
    Request,
    SessionRef,
    Solution,
    StaffAssignment,
    absolute_interval,
)


@dataclass
class RosterState:
    """The roster decided so far, kept incrementally so each sub-problem reads it in O(its size)."""

    index: Index
    placement: dict[str, str] = field(default_factory=dict)
    usage: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    occupants: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_candidate: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    room_sessions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    extra_open: set[str] = field(default_factory=set)
    _open: set[str] = field(default_factory=set)

    @property
    def open_sessions(self) -> set[str]:
        """Sessions holding someone, plus published ones kept open empty (kept up to date; read only)."""
        return self._open

    def place(self, rid: str, sid: str) -> None:
        cand, req = self.index.request[rid]
        if rid in self.placement:
            self.unplace(rid)
        self.placement[rid] = sid
        ref = self.index.ref(sid)
        self.usage[sid] += request_usage(self.index, cand, self.index.part[ref.part_id])
        self.occupants[sid].append(rid)
        self._open.add(sid)
        self.by_candidate[cand.id].append(sid)
        self.room_sessions[ref.room_id].add(sid)

    def unplace(self, rid: str) -> None:
        sid = self.placement.pop(rid)
        cand, _ = self.index.request[rid]
        ref = self.index.ref(sid)
        self.usage[sid] -= request_usage(self.index, cand, self.index.part[ref.part_id])
        self.occupants[sid].remove(rid)
        self.by_candidate[cand.id].remove(sid)
        if not self.occupants[sid] and sid not in self.extra_open:
            self.room_sessions[ref.room_id].discard(sid)
            self._open.discard(sid)

    def solution(self, staff: tuple[StaffAssignment, ...] = ()) -> Solution:
        placements = tuple(Placement(rid, sid) for rid, sid in sorted(self.placement.items()))
        return Solution(sessions=tuple(sorted(self.open_sessions)), placements=placements, staff=staff)

    @classmethod
    def from_solution(cls, index: Index, solution: Solution) -> RosterState:
        state = cls(index)
        for p in solution.placements:
            state.place(p.request_id, p.session_id)
        for sid in solution.sessions:
            if sid not in state.occupants or not state.occupants[sid]:
                state.extra_open.add(sid)
                state._open.add(sid)
                state.room_sessions[index.ref(sid).room_id].add(sid)
        return state


def session_universe(
    index: Index, part_ids: set[str], location_ids: set[str], date_from: str, date_to: str, *, explain: bool
) -> dict[str, SessionRef]:
    """Every (part, room, slot) the sub-problem may open; session filters drop hopeless ones."""
    universe: dict[str, SessionRef] = {}
    slots = [s for s in index.slots_sorted if date_from <= s.date <= date_to]
    hosting = sorted({host for part_id in part_ids for host in index.hosting(part_id)})
    for loc_id in sorted(location_ids):
        for room in index.rooms_at.get(loc_id, []):
            for part_id in hosting:
                if index.part[part_id].mode != room.kind and not explain:
                    continue
                for slot in slots:
                    ref = SessionRef(part_id, room.id, slot.id)
                    if not index.may_open(ref):
                        continue
                    if explain or session_allowed(index, ref):
                        universe[ref.id] = ref
    return universe


def session_allowed(index: Index, ref: SessionRef) -> bool:
    """No session filter rules the session out (cached per scenario: blocks overlap)."""
    cache: dict[tuple[str, str, str], bool] = index.__dict__.setdefault("_session_allowed", {})
    key = (ref.part_id, ref.room_id, ref.slot_id)
    ok = cache.get(key)
    if ok is None:
        ok = cache[key] = not any(f.session_forbids(index, ref) for f in constraints.SESSION_FILTERS)
    return ok


def _rules_forbidding(
    index: Index, cand: Candidate, req: Request, ref: SessionRef, explain: bool
) -> list[str]:
    """Rules that rule the pair out. Session filters already shaped the universe unless explaining."""
    names = [f.NAME for f in constraints.SESSION_FILTERS if f.session_forbids(index, ref)] if explain else []
    names += [f.NAME for f in constraints.REQUEST_FILTERS if f.forbids(index, cand, req, ref)]
    return names


def build_placement(
    index: Index,
    requests: list[tuple[Candidate, Request]],
    state: RosterState,
    *,
    location_ids: set[str],
    date_from: str,
    date_to: str,
    published: dict[str, str] | None = None,
    explain_request: str | None = None,
    variables: bool = True,
    keep: dict[str, str] | None = None,
) -> PlacementContext:
    """A placement model for ``requests`` over sessions at ``location_ids`` between two dates.

    With ``variables=False`` only the allowed (request, session) pairs are computed (``ctx.x`` maps
    them to ``None``, every room kept) and no constraint is posted: what the greedy construction needs,
    at a fraction of the cost of a model. ``keep`` (request id -> session id, the placement a model
    improves) survives the domain reduction."""
    model = cp_model.CpModel()
    explain = explain_request is not None
    part_ids = {req.part_id for _, req in requests}
    universe = session_universe(index, part_ids, location_ids, date_from, date_to, explain=explain)
    open_now = state.open_sessions
    busy_rooms: dict[str, list[str]] = {}
    for room_id in {ref.room_id for ref in universe.values()}:
        busy_rooms[room_id] = [sid for sid in state.room_sessions.get(room_id, ()) if sid not in universe]
    free_cands = {cand.id for cand, _ in requests}
    ctx = PlacementContext(
        index=index,
        model=model,
        requests=requests,
        universe=universe,
        fixed_open={sid for sid in universe if sid in open_now},
        fixed_usage={sid: state.usage[sid] for sid in universe if state.usage.get(sid)},
        fixed_by_candidate={cid: list(state.by_candidate.get(cid, [])) for cid in free_cands},
        busy_rooms=busy_rooms,
        published=dict(published or {}),
        guard=Guarded(model, explain),
        explain_request=explain_request,
        keep=dict(keep or {}),
    )
    _create_placement_vars(ctx, variables)
    if not variables:
        return ctx
    for module in constraints.PLACEMENT_POSTERS:
        module.post(ctx)
    if not explain:
        model.minimize(ctx.objective.expression())
    return ctx


def request_filter_levels() -> tuple[list, list, list]:
    """The request filters split by what they depend on: the room, the slot, or the whole session."""
    room_level = [f for f in constraints.REQUEST_FILTERS if getattr(f, "ROOM_LEVEL", False)]
    slot_level = [f for f in constraints.REQUEST_FILTERS if getattr(f, "SLOT_LEVEL", False)]
    per_session = [f for f in constraints.REQUEST_FILTERS if f not in room_level and f not in slot_level]
    return room_level, slot_level, per_session


def _create_placement_vars(ctx: PlacementContext, variables: bool = True) -> None:
    """Variables for allowed (request, session) pairs. Room-level filters (travel, provisions) are
    checked once per room, slot-level ones (dates, extra time) once per slot, the others per session."""
    index = ctx.index
    by_part_room: dict[str, dict[str, list[SessionRef]]] = defaultdict(lambda: defaultdict(list))
    for ref in ctx.universe.values():
        by_part_room[ref.part_id][ref.room_id].append(ref)
    room_level, slot_level, per_session = request_filter_levels()
    for cand, req in ctx.requests:
        explaining = req.id == ctx.explain_request
        allowed: list[SessionRef] = []
        slot_ok: dict[str, bool] = {}
        relevant = [f for f in per_session if not hasattr(f, "applies") or f.applies(index, req)]
        for refs in (refs for host in index.hosting(req.part_id) for refs in by_part_room[host].values()):
            if explaining:
                for ref in refs:
                    rules = _rules_forbidding(index, cand, req, ref, True)
                    if rules:
                        _forbidden_var(ctx, req, ref, rules)
                    else:
                        allowed.append(ref)
                continue
            if any(f.forbids(index, cand, req, refs[0]) for f in room_level):
                continue
            for ref in refs:
                ok = slot_ok.get(ref.slot_id)
                if ok is None:
                    ok = slot_ok[ref.slot_id] = not any(f.forbids(index, cand, req, ref) for f in slot_level)
                if ok and not any(f.forbids(index, cand, req, ref) for f in relevant):
                    allowed.append(ref)
        keep = allowed if explaining or not variables else _few_rooms_per_slot(index, req, allowed, ctx)
        for ref in keep:
            ctx.x[(req.id, ref.id)] = ctx.model.new_bool_var(f"x[{req.id},{ref.id}]") if variables else None
    ctx.finalise_indexes()
    if not variables:
        return
    for sid in ctx.universe:
        if sid in ctx.fixed_open:
            ctx.open[sid] = 1
        elif ctx.x_of_session(sid):
            ctx.open[sid] = ctx.model.new_bool_var(f"open[{sid}]")


def _forbidden_var(ctx: PlacementContext, req: Request, ref: SessionRef, rules: list[str]) -> None:
    """Explain mode only: the pair exists, and each rule forbidding it is guarded by its assumption."""
    var = ctx.model.new_bool_var(f"x[{req.id},{ref.id}]")
    ctx.x[(req.id, ref.id)] = var
    ctx.forbidden[(req.id, ref.id)] = rules
    for name in rules:
        ctx.model.add(var == 0).only_enforce_if(ctx.guard(name))


def _few_rooms_per_slot(
    index: Index, req: Request, refs: list[SessionRef], ctx: PlacementContext
) -> list[SessionRef]:
    """Domain reduction: where many interchangeable rooms host a slot (Amersfoort's fourteen oral rooms),
    a request gets at most ``max_rooms_per_slot`` of them, rotated by request so that together the
    requests still cover every room. Sessions already open, a published session and the session the
    request is in now (``ctx.keep``) are always kept."""
    limit = index.settings.max_rooms_per_slot
    if limit <= 0:
        return refs
    by_slot: dict[tuple[str, str], list[SessionRef]] = defaultdict(list)
    for ref in refs:
        by_slot[(ref.slot_id, index.room[ref.room_id].location_id)].append(ref)
    out: list[SessionRef] = []
    turn = sum(map(ord, req.id))
    published = ctx.published.get(req.id, "")
    current = ctx.keep.get(req.id, "")
    for group in by_slot.values():
        if len(group) <= limit:
            out.extend(group)
            continue
        start = turn % len(group)
        chosen = {r.id for r in (group[start:] + group[:start])[:limit]}
        out.extend(
            r for r in group if r.id in chosen or r.id in ctx.fixed_open or r.id in (published, current)
        )
    return out


# Staff ---------------------------------------------------------------------------------------------


def staff_sessions_for_day(index: Index, state: RosterState, date: str) -> list[StaffSession]:
    """The open sessions on ``date`` with their staffing need and the people in them."""
    out: list[StaffSession] = []
    for sid in sorted(state.open_sessions):
        ref = index.ref(sid)
        slot = index.slot[ref.slot_id]
        if slot.date != date:
            continue
        room = index.room[ref.room_id]
        loc = index.location[room.location_id]
        occupants = state.occupants.get(sid, [])
        cands = [index.request[rid][0] for rid in occupants]
        part = index.part[ref.part_id]
        out.append(
            StaffSession(
                sid=sid,
                ref=ref,
                location_id=loc.id,
                date=date,
                interval=absolute_interval(slot, loc, slot.start_min, slot.end_min),
                need=staff_need(index, ref, len(occupants)),
                candidate_ids=tuple(c.id for c in cands),
                school_ids=tuple(sorted({c.school_id for c in cands if c.school_id})),
                qualification=part.qualification,
            )
        )
    return out


def _qualified(index: Index, role: str, qualification: str, family: str, date: str) -> set[str]:
    """Ids of the people who may hold ``role`` for ``qualification`` in ``family`` on ``date`` (cached per
    scenario)."""
    cache: dict[tuple[str, str, str, str], set[str]] = index.__dict__.setdefault("_qualified", {})
    key = (role, qualification, family, date)
    if key not in cache:
        cache[key] = {
            ex.id
            for ex in index.scenario.examiners
            if examiner_qualification.qualified(ex, role, qualification, family, date)
        }
    return cache[key]


def eligible_staff(index: Index, sess: StaffSession, role: str, near: list[Examiner], enough: int) -> list[Examiner]:
    """The first ``enough`` people of ``near`` (nearest first) no staff filter rules out."""
    out: list[Examiner] = []
    for ex in near:
        if not any(f.staff_forbids(index, ex, sess, role) for f in constraints.STAFF_FILTERS):
            out.append(ex)
            if len(out) >= enough:
                break
    return out


def build_staff(
    index: Index,
    date: str,
    sessions: list[StaffSession],
    *,
    prior_load: dict[str, int],
    week_load: dict[str, int],
    pair_days: dict[tuple[str, str], int],
    published: set[tuple[str, str, str]] | None = None,
    examiners: list[Examiner] | None = None,
    keep_published: bool = False,
    variables: bool = True,
) -> StaffContext:
    """A staff model for one day. Per (session, role) only ``staff_candidates_per_role`` of the nearest
    eligible people get a variable, those within the free travel distance first, then the least loaded
    (pinned and published ones always do): a domain
    reduction that keeps national days small without excluding anyone the day could need.
    With ``variables=False`` only the allowed triples are computed (``ctx.a`` maps them to ``None``)."""
    model = cp_model.CpModel()
    pool = examiners if examiners is not None else list(index.scenario.examiners)
    published = published or set()
    ctx = StaffContext(
        index=index,
        model=model,
        date=date,
        sessions=sessions,
        examiners=pool,
        prior_load=prior_load,
        week_load=week_load,
        pair_days=pair_days,
        fixed=[],
        published={key for key in published if any(s.sid == key[1] for s in sessions)},
        guard=Guarded(model, False),
        keep_published=keep_published,
    )
    ctx.finalise_indexes()
    keep = index.settings.staff_candidates_per_role
    must = {
        (p.examiner_id, p.session_id, p.role) for p in index.scenario.pins if p.examiner_id
    } | ctx.published
    # cheap pre-selection (the filters still judge every pair): available today and qualified
    allowed = {ex.id for ex in pool if staff_availability.available(index.scenario, ex, date)}
    must_by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for eid, sid, role in must:
        if eid in index.examiner:
            must_by[(sid, role)].add(eid)
    near_fit: dict[tuple[str, str, str, str], list[Examiner]] = {}
    for sess in sessions:
        for role, need in sess.need.items():
            limit = max(keep, 3 * need)
            family = index.part[sess.ref.part_id].family
            key = (sess.location_id, role, sess.qualification, family)
            if key not in near_fit:
                fit = allowed & _qualified(index, role, sess.qualification, family, date)
                near_fit[key] = [ex for ex in index.staff_near(sess.location_id) if ex.id in fit]
            people = eligible_staff(index, sess, role, near_fit[key], 2 * limit)
            people.sort(  # free travel first, then the least loaded
                key=lambda ex: (
                    staff_travel.chargeable_km(index, ex, sess.location_id),
                    prior_load.get(ex.id, 0) // 2,
                    index.examiner_km(ex, sess.location_id),
                )
            )
            chosen = {ex.id for ex in people[:limit]}
            chosen |= {
                eid
                for eid in must_by.get((sess.sid, role), ())
                if not any(
                    f.staff_forbids(index, index.examiner[eid], sess, role) for f in constraints.STAFF_FILTERS
                )
            }
            for eid in sorted(chosen):
                key = (eid, sess.sid, role)
                ctx.a[key] = model.new_bool_var(f"a[{eid},{sess.sid},{role}]") if variables else None
    if not variables:
        return ctx
    for module in constraints.STAFF_POSTERS:
        module.post_staff(ctx)
    model.minimize(ctx.objective.expression())
    return ctx


def candidate_busy_of(index: Index, rid: str, sid: str) -> tuple[int, int]:
    cand, _ = index.request[rid]
    return candidate_busy(index, cand, index.ref(sid))
