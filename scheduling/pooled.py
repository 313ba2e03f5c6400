"""Pooled placement: a placement model in which the interchangeable rooms of a site form one pool.

In the room-by-room model a request may join a session only in the rooms it has a variable for, and
every permutation of sessions over a site's identical rooms is a different solution. When a cluster of
schools fills every room, moving one unplaced candidate in needs a chain of such moves, which CP-SAT's
neighbourhoods find slowly. Here rooms that every rule treats alike (same kind, seats, provisions and
closures: one *room class*) are pooled per site and slot:

- ``y[r, (part, site, class, slot)]``: request r sits in one of the pool's sessions of that part;
- ``n[(part, site, class, slot)]``: how many sessions of the part the pool holds (each takes one of the
  class's rooms that is free in that slot; the parts together take at most the free rooms);
- the load of a pool's part is at most ``n`` sessions' capacity, counted both in capacity units and in
  requests (``n * capacity // least usage``), and a pool never opens more sessions than it has requests;
- sessions already open in the block (someone outside the block sits in them) stay individual options
  with their residual capacity;
- a request that now sits outside the block (``stay``: a candidate placed at a neighbouring school)
  may keep that seat, at its current price, or move into the block: the model then decides which of
  a full school's candidates sit at home, which the block alone cannot trade;
- the candidate rules of the room-by-room model hold unchanged on the pooled variables: no overlapping
  exams (the same busy intervals), at most the daily maximum, NT2's one part per day, and all exams on
  one day at one site where the candidate asked for that.

The objective is the placement objective (unplaced price with its deadline and provision surcharges,
travel, date and location preferences, lateness after a deadline, one session cost per session).

Afterwards each pool's requests are packed into its ``n`` sessions (largest usage first, first fit) and
the sessions get the pool's free rooms in order. Every pair used is one the room-by-room model allows,
so the result keeps every hard rule that model keeps; a request that does not fit the packing (possible
only when usages differ) is left unplaced and priced as such.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling import constraints
from scheduling.bound import placed_price, room_class
from scheduling.builder import RosterState, build_placement
from scheduling.context import Index, request_usage, session_capacity
from scheduling.model import Candidate, Request, SessionRef

Key = tuple[str, ...]  # ("pool", part, site, class, slot), ("open", session id), ("stay", session id), OUT
OUT: Key = ("out",)  # a seat elsewhere, found after solving


@dataclass
class PooledModel:
    index: Index
    requests: list[tuple[Candidate, Request]]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    y: dict[tuple[str, Key], cp_model.IntVar] = field(default_factory=dict)
    n: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    ref: dict[Key, SessionRef] = field(default_factory=dict)
    free_rooms: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    allowed: set[tuple[str, str]] = field(default_factory=set)
    price: dict[tuple[str, Key], int] = field(default_factory=dict)
    unplaced: dict[str, int] = field(default_factory=dict)
    session_cost: dict[Key, int] = field(default_factory=dict)
    placing: cp_model.LinearExprT = 0  # the unplaced prices
    rest: cp_model.LinearExprT = 0  # travel, preferences, lateness, session costs

    def key_of(self, sid: str) -> Key | None:
        """The pooled option a room-by-room session belongs to (None if its room is not free)."""
        for kind in ("open", "stay"):
            if (kind, sid) in self.ref:
                return (kind, sid)
        ref = self.index.ref(sid)
        room = self.index.room[ref.room_id]
        pool = (room.location_id, str(room_class(room)), ref.slot_id)
        if ref.room_id not in self.free_rooms.get(pool, ()):
            return None
        return ("pool", ref.part_id, *pool)

    def cost(self, picks: dict[str, str]) -> int:
        """The model's objective for a room-by-room placement of the requests (plain Python)."""
        total = 0
        opened: set[str] = set()
        for _, req in self.requests:
            sid = picks.get(req.id)
            key = self.key_of(sid) if sid else None
            if key is None or (req.id, key) not in self.price:
                total += self.unplaced[req.id]
                continue
            total += self.price[(req.id, key)]
            if key[0] == "pool":
                opened.add(sid)
        return total + sum(self.session_cost[self.key_of(sid)] for sid in opened)


def poolable(index: Index, date_from: str, date_to: str) -> bool:
    """Whether no two slots overlap on a day of the window: a room then holds at most one session per
    slot, which is what a pool counts."""
    by_date: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for slot in index.scenario.slots:
        if date_from <= slot.date <= date_to:
            by_date[slot.date].append((slot.start_min, slot.end_min))
    for spans in by_date.values():
        spans.sort()
        if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            return False
    return True


def build(
    index: Index,
    state: RosterState,
    requests: list[tuple[Candidate, Request]],
    *,
    location_ids: set[str],
    date_from: str,
    date_to: str,
    unplaced_cost,
    stay: dict[str, str] | None = None,
    out: dict[str, int] | None = None,
) -> PooledModel | None:
    """The pooled model of a block whose requests are not placed in ``state``; None when slots overlap
    in its window (:func:`poolable`). ``stay`` maps requests to the seat outside the block they held
    (and may keep); ``out`` prices a seat somewhere outside the block for requests that may give up
    theirs (the caller finds that seat afterwards, see :func:`sent_out`)."""
    if not poolable(index, date_from, date_to):
        return None
    base = build_placement(
        index,
        requests,
        state,
        location_ids=location_ids,
        date_from=date_from,
        date_to=date_to,
        variables=False,
    )
    slots = {ref.slot_id for ref in base.universe.values()}
    pm = PooledModel(index, requests)
    pm.allowed = set(base.x)
    taken: set[tuple[str, str]] = set()
    for room_id, sids in base.busy_rooms.items():
        for sid in sids:
            busy = index.slot[index.ref(sid).slot_id]
            for slot_id in slots:
                slot = index.slot[slot_id]
                if slot.date == busy.date and slot.start_min < busy.end_min and busy.start_min < slot.end_min:
                    taken.add((room_id, slot_id))
    for sid in base.fixed_open:
        ref = base.universe[sid]
        taken.add((ref.room_id, ref.slot_id))
        pm.ref[("open", sid)] = ref
    for ref in sorted(base.universe.values(), key=lambda r: r.id):
        if (ref.room_id, ref.slot_id) in taken:
            continue
        room = index.room[ref.room_id]
        pool = (room.location_id, str(room_class(room)), ref.slot_id)
        rooms = pm.free_rooms.setdefault(pool, [])
        if ref.room_id not in rooms:
            rooms.append(ref.room_id)
        pm.ref.setdefault(("pool", ref.part_id, *pool), ref)
    model = pm.model
    usage_of: dict[str, int] = {}
    for cand, req in requests:
        part = index.part[req.part_id]
        usage_of[req.id] = request_usage(index, cand, part)
        pm.unplaced[req.id] = unplaced_cost(index, cand)
    options: dict[str, list[Key]] = defaultdict(list)
    for rid, sid in sorted(base.x):
        key = pm.key_of(sid)
        if key is not None and key not in options[rid]:
            options[rid].append(key)
    for rid, sid in sorted((stay or {}).items()):
        pm.ref[("stay", sid)] = index.ref(sid)
        options[rid].append(("stay", sid))
    for rid in sorted(out or {}):
        options[rid].append(OUT)
    for cand, req in requests:
        for key in options.get(req.id, []):
            pm.price[(req.id, key)] = out[req.id] if key == OUT else placed_price(index, cand, pm.ref[key])
            pm.y[(req.id, key)] = model.new_bool_var("")
    by_key: dict[Key, list[str]] = defaultdict(list)
    objective: list = []
    placing: list = []
    for cand, req in requests:
        mine = [pm.y[(req.id, key)] for key in options.get(req.id, [])]
        for key in options.get(req.id, []):
            by_key[key].append(req.id)
            objective.append(pm.price[(req.id, key)] * pm.y[(req.id, key)])
        if mine:
            model.add(sum(mine) <= 1)
        placing.append(pm.unplaced[req.id] * (1 - sum(mine)))
    per_pool: dict[tuple[str, ...], list[cp_model.IntVar]] = defaultdict(list)
    for key, rids in by_key.items():
        if key[0] in ("stay", "out"):  # a seat of the request's own: nobody else in the block takes it
            continue
        ref = pm.ref[key]
        capacity = session_capacity(index, ref)
        ys = [pm.y[(rid, key)] for rid in rids]
        load = cp_model.LinearExpr.weighted_sum(ys, [usage_of[rid] for rid in rids])
        if key[0] == "open":
            model.add(load <= max(0, capacity - base.fixed_usage.get(key[1], 0)))
            continue
        pool = key[2:]
        n = model.new_int_var(0, min(len(pm.free_rooms[pool]), len(rids)), "")
        pm.n[key] = n
        per_pool[pool].append(n)
        model.add(load <= capacity * n)
        model.add(sum(ys) <= (capacity // min(usage_of[rid] for rid in rids)) * n)
        model.add(sum(ys) >= n)
        pm.session_cost[key] = index.scenario.weights_for(index.part[ref.part_id].family).session_cost
        objective.append(pm.session_cost[key] * n)
    for pool, ns in per_pool.items():
        if len(ns) > 1:
            model.add(sum(ns) <= len(pm.free_rooms[pool]))
    _candidate_rules(pm, base.fixed_by_candidate, options)
    pm.placing = sum(placing)
    pm.rest = sum(objective)
    model.minimize(pm.placing + pm.rest)
    return pm


@dataclass
class _CandidateView:
    """What the candidate rules (``constraints.CANDIDATE_RULES``) read of a placement model, for the pooled
    model: each pooled option stands for its representative session (same site, slot and part), so the
    rules see the busy intervals, dates and sites the room-by-room model would."""

    index: Index
    model: cp_model.CpModel
    requests: list[tuple[Candidate, Request]]
    terms: dict[str, list[tuple[str, object]]]

    def candidate_terms(self, cand: Candidate) -> list[tuple[str, object]]:
        return self.terms[cand.id]

    @staticmethod
    def guard(_name: str) -> list:
        return []


def _candidate_rules(pm: PooledModel, fixed: dict[str, list[str]], options: dict[str, list[Key]]) -> None:
    """Post the candidate rules on the pooled variables, for every candidate with a choice in the block
    (the exams decided outside it are constants)."""
    terms: dict[str, list[tuple[str, object]]] = {}
    for cand, _ in pm.requests:
        if cand.id in terms:
            continue
        free = [(pm.ref[key].id, pm.y[(req.id, key)])
                for req in cand.requests for key in options.get(req.id, []) if key != OUT]
        if free:
            terms[cand.id] = [(sid, 1) for sid in fixed.get(cand.id, [])] + free
    view = _CandidateView(pm.index, pm.model, [(c, r) for c, r in pm.requests if c.id in terms], terms)
    for rule in constraints.CANDIDATE_RULES:
        rule.post(view)


def hint(pm: PooledModel, picks: dict[str, str]) -> None:
    """Hint the pooled model with a room-by-room placement."""
    sessions: dict[Key, set[str]] = defaultdict(set)
    chosen: set[tuple[str, Key]] = set()
    for rid, sid in picks.items():
        key = pm.key_of(sid)
        if key is not None and (rid, key) in pm.y:
            chosen.add((rid, key))
            sessions[key].add(sid)
    for pair, var in pm.y.items():
        pm.model.add_hint(var, pair in chosen)
    for key, var in pm.n.items():
        pm.model.add_hint(var, len(sessions.get(key, ())))


def place_most_first(pm: PooledModel) -> None:
    """First of two lexicographic steps: only the unplaced prices count (CP-SAT then spends its search
    on fitting people in, not on kilometres)."""
    pm.model.minimize(pm.placing)


def then_the_rest(pm: PooledModel, solver: cp_model.CpSolver) -> None:
    """Second step: keep at most the unplaced price the first step reached, hint its solution and
    minimise the whole objective."""
    pm.model.add(pm.placing <= round(solver.objective_value))
    pm.model.clear_hints()
    for var in [*pm.y.values(), *pm.n.values()]:
        pm.model.add_hint(var, solver.value(var))
    pm.model.minimize(pm.placing + pm.rest)


def unpool(pm: PooledModel, solver: cp_model.CpSolver) -> dict[str, str]:
    """Room-by-room placement of a pooled solution: each pool's requests packed into its sessions
    (largest usage first, first fit), the sessions given the pool's free rooms in order."""
    index = pm.index
    members: dict[Key, list[str]] = defaultdict(list)
    for (rid, key), var in pm.y.items():
        if solver.boolean_value(var):
            members[key].append(rid)
    picks: dict[str, str] = {}
    rooms_left = {pool: list(rooms) for pool, rooms in pm.free_rooms.items()}
    for key in sorted(members):
        if key == OUT:
            continue
        rids = members[key]
        ref = pm.ref[key]
        if key[0] in ("open", "stay"):
            picks.update((rid, key[1]) for rid in rids)
            continue
        part = index.part[ref.part_id]
        capacity = session_capacity(index, ref)
        pool = key[2:]
        bins: list[tuple[str, list[int]]] = []
        for _ in range(solver.value(pm.n[key])):
            if rooms_left[pool]:
                room_id = rooms_left[pool].pop(0)
                bins.append((SessionRef(ref.part_id, room_id, ref.slot_id).id, [capacity]))
        usage = {rid: request_usage(index, index.request[rid][0], part) for rid in rids}
        for rid in sorted(rids, key=lambda r: (-usage[r], r)):
            for sid, left in bins:
                if left[0] >= usage[rid] and (rid, sid) in pm.allowed:
                    left[0] -= usage[rid]
                    picks[rid] = sid
                    break
    return picks


def sent_out(pm: PooledModel, solver: cp_model.CpSolver) -> list[str]:
    """The requests the solution sends to a seat outside the block."""
    return sorted(rid for (rid, key), var in pm.y.items() if key == OUT and solver.boolean_value(var))
