"""Greedy warm start for a placement model: a feasible roster built in plain Python, given to CP-SAT as
a hint (so a block always has a good first solution within its time share) and used as the block's
answer if CP-SAT returns no solution in time.

Candidates with deadlines and provisions go first, then those with fewest options; each request takes
the cheapest session that keeps every hard rule: an already open session with seats left before a new
one, nearer before farther, preferred before not.
"""

from __future__ import annotations

from collections import defaultdict

from scheduling import constraints
from scheduling.constraints import (
    deadline_priority,
    max_exams_per_day,
    preferences,
    staff_max_per_day,
    staff_max_per_week,
    staff_travel,
)
from scheduling.context import PlacementContext, StaffContext, candidate_busy, request_usage, session_capacity
from scheduling.model import NT2, Candidate, Request


class _Greedy:
    def __init__(self, ctx: PlacementContext) -> None:
        self.ctx = ctx
        self.ix = ctx.index
        self.residual = {
            sid: session_capacity(self.ix, ref) - ctx.fixed_usage.get(sid, 0)
            for sid, ref in ctx.universe.items()
        }
        self.opened: set[str] = set(ctx.fixed_open)
        self.room_busy: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for room_id, sids in ctx.busy_rooms.items():
            for sid in sids:
                self._occupy(room_id, sid)
        for sid in ctx.fixed_open:
            self._occupy(ctx.universe[sid].room_id, sid)
        self.picks: dict[str, str] = {}
        self._static: dict[str, list[str]] = {}

    def _occupy(self, room_id: str, sid: str) -> None:
        slot = self.ix.slot[self.ix.ref(sid).slot_id]
        self.room_busy[room_id].append((slot.date, slot.start_min, slot.end_min))

    def room_free(self, sid: str) -> bool:
        if sid in self.opened:
            return True
        ref = self.ctx.universe[sid]
        slot = self.ix.slot[ref.slot_id]
        return not any(
            d == slot.date and s < slot.end_min and slot.start_min < e
            for d, s, e in self.room_busy[ref.room_id]
        )

    def options(self, cand: Candidate, req: Request) -> list[str]:
        """The request's sessions, cheapest first: open ones before new ones, then preferred, nearer,
        earlier. The static part of the order is computed once per request."""
        static = self._static.get(req.id)
        if static is None:
            ix = self.ix

            seen: dict[tuple[str, str], tuple] = {}  # by (location, date)

            def cost(sid: str) -> tuple:
                ref = self.ctx.universe[sid]
                key = (ix.room[ref.room_id].location_id, ix.slot[ref.slot_id].date)
                if key not in seen:
                    km = ix.candidate_km(cand, key[0])
                    seen[key] = (preferences.misses(ix, cand, ref), round(km), key[1])
                return (*seen[key], sid)

            static = self._static[req.id] = sorted((sid for sid, _ in self.ctx.x_of_request(req.id)), key=cost)
        return [sid for sid in static if sid in self.opened] + [sid for sid in static if sid not in self.opened]

    def place_candidate(self, cand: Candidate, reqs: list[Request]) -> None:
        fixed = self.ctx.fixed_by_candidate.get(cand.id, []) + self.picked_by(cand)
        anchors: list[tuple[str, str] | None] = [None]
        if cand.same_day:
            fixed_keys = {self._day_loc(sid) for sid in fixed}
            if fixed_keys:
                anchors = list(fixed_keys)[:1]
            else:
                first = self.options(cand, reqs[0]) if reqs else []
                anchors = list(dict.fromkeys(self._day_loc(sid) for sid in first))[:12] or [None]
        best: dict[str, str] = {}
        for anchor in anchors:
            trial = self._try(cand, reqs, fixed, anchor)
            if len(trial) > len(best):
                best = trial
            if len(best) == len(reqs):
                break
        for rid, sid in best.items():
            self._commit(cand, rid, sid)

    def picked_by(self, cand: Candidate) -> list[str]:
        return [sid for rid, sid in self.picks.items() if self.ix.request[rid][0].id == cand.id]

    def _day_loc(self, sid: str) -> tuple[str, str]:
        ref = self.ix.ref(sid)
        return self.ix.slot[ref.slot_id].date, self.ix.room[ref.room_id].location_id

    def _try(self, cand: Candidate, reqs: list[Request], fixed: list[str], anchor) -> dict[str, str]:
        chosen: list[str] = list(fixed)
        picks: dict[str, str] = {}
        used: dict[str, int] = defaultdict(int)
        new_rooms: list[str] = []
        limit = max_exams_per_day.day_limit(self.ix.settings, cand)
        for req in reqs:
            part = self.ix.part[req.part_id]
            need = request_usage(self.ix, cand, part)
            for sid in self.options(cand, req):
                if anchor is not None and self._day_loc(sid) != anchor:
                    continue
                if self.residual[sid] - used[sid] < need or not self.room_free(sid):
                    continue
                if sid not in self.opened and any(self._same_room_clash(sid, other) for other in new_rooms):
                    continue
                if not self._fits_candidate(cand, sid, chosen, limit):
                    continue
                picks[req.id] = sid
                chosen.append(sid)
                used[sid] += need
                if sid not in self.opened:
                    new_rooms.append(sid)
                break
        return picks

    def _same_room_clash(self, a: str, b: str) -> bool:
        ra, rb = self.ix.ref(a), self.ix.ref(b)
        if a == b or ra.room_id != rb.room_id:
            return False
        sa, sb = self.ix.slot[ra.slot_id], self.ix.slot[rb.slot_id]
        return sa.date == sb.date and sa.start_min < sb.end_min and sb.start_min < sa.end_min

    def _fits_candidate(self, cand: Candidate, sid: str, chosen: list[str], limit: int) -> bool:
        busy = candidate_busy(self.ix, cand, self.ix.ref(sid))
        date = self.ix.slot[self.ix.ref(sid).slot_id].date
        same_day = 0
        for other in chosen:
            o = candidate_busy(self.ix, cand, self.ix.ref(other))
            if o[0] < busy[1] and busy[0] < o[1]:
                return False
            if self.ix.slot[self.ix.ref(other).slot_id].date == date:
                same_day += 1
        if cand.family == NT2 and same_day:
            return False
        return same_day < limit

    def _commit(self, cand: Candidate, rid: str, sid: str) -> None:
        part = self.ix.part[self.ix.ref(sid).part_id]
        self.residual[sid] -= request_usage(self.ix, cand, part)
        if sid not in self.opened:
            self.opened.add(sid)
            self._occupy(self.ix.ref(sid).room_id, sid)
        self.picks[rid] = sid


def greedy_placement(ctx: PlacementContext) -> dict[str, str]:
    """A feasible assignment request id -> session id for the context's free requests."""
    greedy = _Greedy(ctx)
    by_cand: dict[str, list[Request]] = defaultdict(list)
    cands: dict[str, Candidate] = {}
    for cand, req in ctx.requests:
        by_cand[cand.id].append(req)
        cands[cand.id] = cand

    fill = _session_fill(ctx)

    def priority(cid: str) -> tuple:
        cand = cands[cid]
        urgent = deadline_priority.is_urgent(ctx.index, cand)
        options = sum(len(ctx.x_of_request(r.id)) for r in by_cand[cid])
        fuller = -sum(fill[r.part_id] for r in by_cand[cid]) / len(by_cand[cid])
        return (not urgent, not cand.provisions.any, round(fuller), options, cid)

    for cid in sorted(by_cand, key=priority):
        published = [r for r in by_cand[cid] if ctx.published.get(r.id) in ctx.universe]
        if published:  # in a repair, keep a published placement first if it is still allowed
            for req in published:
                greedy_keep(greedy, cands[cid], req, ctx.published[req.id])
        greedy.place_candidate(cands[cid], [r for r in by_cand[cid] if r.id not in greedy.picks])
    return greedy.picks


def _session_fill(ctx: PlacementContext) -> dict[str, float]:
    """Per part, how many of the context's requests a session would hold on average if they were packed
    into as few sessions as possible. Candidates whose parts fill sessions go first: when a site has
    fewer room-slots than it needs, its room-slots then hold full sessions of its main parts, and the
    candidates of a part only a few sit look further (what the lower bound's best choice does too)."""
    count: dict[str, int] = defaultdict(int)
    usage: dict[str, int] = {}
    for cand, req in ctx.requests:
        count[req.part_id] += 1
        need = request_usage(ctx.index, cand, ctx.index.part[req.part_id])
        usage[req.part_id] = min(usage.get(req.part_id, need), need)
    capacity: dict[str, int] = defaultdict(int)
    for ref in ctx.universe.values():
        capacity[ref.part_id] = max(capacity[ref.part_id], session_capacity(ctx.index, ref))
    fill: dict[str, float] = {}
    for part_id, n in count.items():
        per_session = max(1, capacity[part_id] // max(1, usage[part_id]))
        fill[part_id] = n / -(-n // per_session)
    return fill


def greedy_keep(greedy: _Greedy, cand: Candidate, req: Request, sid: str) -> None:
    """Keep a published placement if it is still allowed and still fits."""
    if (req.id, sid) not in greedy.ctx.x:
        return
    chosen = greedy.ctx.fixed_by_candidate.get(cand.id, []) + greedy.picked_by(cand)
    need = request_usage(greedy.ix, cand, greedy.ix.part[req.part_id])
    limit = max_exams_per_day.day_limit(greedy.ix.settings, cand)
    if (
        greedy.residual[sid] >= need
        and greedy.room_free(sid)
        and greedy._fits_candidate(cand, sid, chosen, limit)
    ):
        if cand.same_day and chosen and any(greedy._day_loc(o) != greedy._day_loc(sid) for o in chosen):
            return
        greedy._commit(cand, req.id, sid)


def add_hint(ctx: PlacementContext, picks: dict[str, str]) -> None:
    for (rid, sid), var in ctx.x.items():
        ctx.model.add_hint(var, picks.get(rid) == sid)
    used = set(picks.values())
    for sid, var in ctx.open.items():
        if not isinstance(var, int):
            ctx.model.add_hint(var, sid in used)


# Staff ---------------------------------------------------------------------------------------------


class _DayRoster:
    """A day's duties as they are being built, with the rules a duty must keep (one location a day,
    no overlap and breaks, daily and weekly limits) and what a duty would add to the cost."""

    def __init__(self, ctx: StaffContext) -> None:
        self.ctx = ctx
        self.ix = ctx.index
        self.duties: dict[str, set[tuple[str, str]]] = defaultdict(set)  # person -> (session, role)
        self.where: dict[str, str] = {}  # person -> the site they work at today
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.filled: dict[tuple[str, str], int] = defaultdict(int)  # (session, role) -> people

    @property
    def chosen(self) -> set[tuple[str, str, str]]:
        return {(eid, sid, role) for eid, duties in self.duties.items() for sid, role in duties}

    def load(self, eid: str) -> int:
        return len(self.duties.get(eid, ()))

    def fits(self, eid: str, sess) -> bool:
        ex, settings = self.ix.examiner[eid], self.ix.settings
        if self.where.get(eid, sess.location_id) != sess.location_id:
            return False
        if any(sid == sess.sid for sid, _ in self.duties.get(eid, ())):
            return False
        if self.load(eid) >= staff_max_per_day.limit(settings, ex):
            return False
        if self.load(eid) + self.ctx.week_load.get(eid, 0) >= staff_max_per_week.limit(settings, ex):
            return False
        gap = settings.min_break_min
        return not any(s < sess.interval[1] + gap and sess.interval[0] < e + gap for s, e in self.spans[eid])

    def take(self, eid: str, sess, role: str) -> None:
        self.duties[eid].add((sess.sid, role))
        self.where[eid] = sess.location_id
        self.spans[eid].append(sess.interval)
        self.filled[(sess.sid, role)] += 1

    def drop(self, eid: str, sess, role: str) -> None:
        self.duties[eid].discard((sess.sid, role))
        if not self.duties[eid]:
            del self.duties[eid], self.where[eid]
        self.spans[eid].remove(sess.interval)
        self.filled[(sess.sid, role)] -= 1

    def price(self, eid: str, sess) -> int:
        """What taking this place adds: nothing for someone already working at the site today (the
        day is paid), else their day's cost (staff cost plus travel beyond the free distance)."""
        if self.where.get(eid) == sess.location_id:
            return 0
        return staff_travel.day_cost(self.ix, self.ix.examiner[eid], sess.location_id)


def greedy_staff(ctx: StaffContext) -> set[tuple[str, str, str]]:
    """A feasible day roster: published duties kept where they still fit, then the places with fewest
    people within the free travel distance first, each filled by the eligible person who adds least to
    the cost (nothing for someone already working at the site that day, else their day's staff cost and
    travel; then the least loaded, the nearest) and keeps every hard rule (one location a day, breaks,
    daily and weekly limits); a place the shortlist (``ctx.a``) cannot
    fill takes the nearest eligible person of the whole pool, so the result may use triples the model
    has no variable for. Then :func:`_close_costly_days`."""
    ix = ctx.index
    options: dict[tuple[str, str], list[str]] = defaultdict(list)
    for eid, sid, role in ctx.a:
        options[(sid, role)].append(eid)
    roster = _DayRoster(ctx)
    published = {(e, s, r) for e, s, r in ctx.published}

    # published duties first (a repair keeps them), then the scarcest places (an oral's examinator
    # before anyone's second); the rules checked do not depend on the order
    for sess in sorted(ctx.sessions, key=lambda s: (s.interval, s.sid)):
        for role, need in sorted(sess.need.items()):
            for eid in sorted(e for e in options[(sess.sid, role)] if (e, sess.sid, role) in published):
                if roster.filled[(sess.sid, role)] < need and roster.fits(eid, sess):
                    roster.take(eid, sess, role)
    places = [(sess, role, need) for sess in ctx.sessions for role, need in sess.need.items() if need > 0]

    def scarcity(place) -> tuple:
        """Places with the fewest people within the free travel distance first, then the fewest at all."""
        sess, role, need = place
        people = options[(sess.sid, role)]
        free = sum(1 for e in people if staff_travel.chargeable_km(ix, ix.examiner[e], sess.location_id) == 0)
        return (free / need, len(people) / need, sess.interval, sess.sid, role)

    places.sort(key=scarcity)
    for sess, role, need in places:
        people = sorted(
            options[(sess.sid, role)],
            key=lambda e: (
                roster.price(e, sess),
                ctx.prior_load.get(e, 0) + roster.load(e),
                ix.examiner_km(ix.examiner[e], sess.location_id),
                e,
            ),
        )
        for eid in people:
            if roster.filled[(sess.sid, role)] >= need:
                break
            if roster.fits(eid, sess):
                roster.take(eid, sess, role)
    # places still empty: anyone in the pool, nearest first, beyond the model's shortlist
    pool = {ex.id for ex in ctx.examiners}
    for sess, role, need in places:
        for ex in ix.staff_near(sess.location_id):
            if roster.filled[(sess.sid, role)] >= need:
                break
            if ex.id not in pool or (ex.id, sess.sid, role) in ctx.a or not roster.fits(ex.id, sess):
                continue
            if not any(f.staff_forbids(ix, ex, sess, role) for f in constraints.STAFF_FILTERS):
                roster.take(ex.id, sess, role)
    _close_costly_days(roster, options, published)
    return roster.chosen


#: How many passes :func:`_close_costly_days` makes over the day's people.
CLOSE_DAY_PASSES = 3


def _close_costly_days(
    roster: _DayRoster, options: dict[tuple[str, str], list[str]], published: set[tuple[str, str, str]]
) -> None:
    """Local search on a day roster: the costliest working days first, a person's duties at a site are
    handed to others (someone already working there adds nothing, anyone else their day's cost) when
    that costs less than the person's day; the place filled in the greedy's order often finds, later
    in the day, a colleague at the site with a duty to spare. Published duties stay."""
    ctx, ix = roster.ctx, roster.ix
    keep = {e for e, _, _ in published}
    for _ in range(CLOSE_DAY_PASSES):
        changed = False
        days = sorted(
            ((staff_travel.day_cost(ix, ix.examiner[eid], site), eid) for eid, site in roster.where.items()),
            reverse=True,
        )
        for cost, eid in days:
            if eid in keep or roster.where.get(eid) is None:
                continue
            if staff_travel.day_cost(ix, ix.examiner[eid], roster.where[eid]) != cost:
                continue  # moved by an earlier step of this pass
            mine = sorted(roster.duties[eid])
            for sid, role in mine:
                roster.drop(eid, ctx.session(sid), role)
            moved: list[tuple[str, str, str]] = []
            added = 0
            for sid, role in mine:
                sess = ctx.session(sid)
                best = min(
                    (
                        (roster.price(q, sess), ctx.prior_load.get(q, 0) + roster.load(q), q)
                        for q in options[(sid, role)]
                        if q != eid and roster.fits(q, sess)
                    ),
                    default=None,
                )
                if best is None or added + best[0] >= cost:
                    added = cost
                    break
                roster.take(best[2], sess, role)
                moved.append((best[2], sid, role))
                added += best[0]
            if added < cost:
                changed = True
                continue
            for q, sid, role in moved:
                roster.drop(q, ctx.session(sid), role)
            for sid, role in mine:
                roster.take(eid, ctx.session(sid), role)
        if not changed:
            return


def add_staff_hint(ctx: StaffContext, chosen: set[tuple[str, str, str]]) -> None:
    for key, var in ctx.a.items():
        ctx.model.add_hint(var, key in chosen)
