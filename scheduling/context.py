"""Lookups and the shared builder contexts that constraint modules post into.

``Index`` is pure data (dicts by id) shared by builder, validator and explanations. ``PlacementContext``
and ``StaffContext`` hold one CP-SAT model each plus its variables; a constraint module reads what it
needs from the context and posts its part. When a context is built for explanation, every hard rule is
guarded by one assumption literal per rule ``NAME`` so that CP-SAT can name the rules in an infeasible core.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.model import (
    ORAL,
    Candidate,
    Examiner,
    Location,
    Part,
    Request,
    Room,
    Scenario,
    SessionRef,
    Slot,
    Weights,
    absolute_interval,
    distance_km,
    parse_session_id,
)


class Index:
    """Dicts by id over a scenario, built once (scenarios are immutable)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.settings = scenario.settings
        self.location: dict[str, Location] = {loc.id: loc for loc in scenario.locations}
        self.room: dict[str, Room] = {r.id: r for r in scenario.rooms}
        self.slot: dict[str, Slot] = {s.id: s for s in scenario.slots}
        self.part: dict[str, Part] = {p.id: p for p in scenario.parts}
        self.candidate: dict[str, Candidate] = {c.id: c for c in scenario.candidates}
        self.examiner: dict[str, Examiner] = {e.id: e for e in scenario.examiners}
        self.request: dict[str, tuple[Candidate, Request]] = {
            r.id: (c, r) for c in scenario.candidates for r in c.requests
        }
        self.rooms_at: dict[str, list[Room]] = defaultdict(list)
        for room in scenario.rooms:
            self.rooms_at[room.location_id].append(room)
        self.slots_sorted = sorted(scenario.slots, key=lambda s: (s.date, s.start_min, s.id))
        self.dates = sorted({s.date for s in scenario.slots})
        self._dist: dict[tuple[str, str], float] = {}
        self._refs: dict[str, SessionRef] = {}
        self.pinned: dict[str, str] = {p.request_id: p.session_id for p in scenario.pins if p.request_id}
        # A request for a part may join sessions of that part and the sittings of several parts holding it.
        self.hosts: dict[str, tuple[str, ...]] = {p.id: (p.id,) for p in scenario.parts if not p.members}
        for shared in (p for p in scenario.parts if p.members):
            for member in shared.members:
                self.hosts[member] = (*self.hosts.get(member, (member,)), shared.id)
        # Where those sittings are: they are never opened anew, only filled where they already stand.
        self.sittings: dict[str, set[tuple[str, str]]] = defaultdict(set)
        existing = [*(scenario.published.sessions if scenario.published else ()), *(p.session_id for p in
                                                                                        scenario.pins)]
        for sid in existing:
            ref = parse_session_id(sid)
            if ref.part_id in self.part and self.part[ref.part_id].members:
                self.sittings[ref.part_id].add((ref.room_id, ref.slot_id))

    def hosting(self, part_id: str) -> tuple[str, ...]:
        """The parts whose sessions a request for ``part_id`` may join: its own and the shared sittings."""
        return self.hosts.get(part_id, (part_id,))

    def may_open(self, ref: SessionRef) -> bool:
        """Whether the session may exist: any of a single part; a sitting of several only where it stands."""
        part = self.part.get(ref.part_id)
        return part is None or not part.members or (ref.room_id, ref.slot_id) in self.sittings[ref.part_id]

    def staff_near(self, location_id: str) -> list[Examiner]:
        """Examiners within their own travel maximum of a location, nearest first (cached)."""
        cache: dict[str, list[Examiner]] = self.__dict__.setdefault("_near", {})
        if location_id not in cache:
            near = [
                e
                for e in self.scenario.examiners
                if self.examiner_km(e, location_id) <= self.staff_max_travel(e)
            ]
            near.sort(key=lambda e: (self.examiner_km(e, location_id), e.id))
            cache[location_id] = near
        return cache[location_id]

    def ref(self, sid: str) -> SessionRef:
        ref = self._refs.get(sid)
        if ref is None:
            ref = self._refs[sid] = parse_session_id(sid)
        return ref

    def location_of(self, sid: str) -> Location:
        return self.location[self.room[self.ref(sid).room_id].location_id]

    def candidate_km(self, cand: Candidate, location_id: str) -> float:
        key = (cand.id, location_id)
        if key not in self._dist:
            loc = self.location[location_id]
            self._dist[key] = distance_km(cand.lat, cand.lon, loc.lat, loc.lon)
        return self._dist[key]

    def examiner_km(self, ex: Examiner, location_id: str) -> float:
        key = ("E:" + ex.id, location_id)
        if key not in self._dist:
            loc = self.location[location_id]
            self._dist[key] = distance_km(ex.lat, ex.lon, loc.lat, loc.lon)
        return self._dist[key]

    def max_travel(self, cand: Candidate) -> float:
        return cand.max_travel_km if cand.max_travel_km is not None else self.settings.max_travel_km

    def staff_max_travel(self, ex: Examiner) -> float:
        return ex.max_travel_km if ex.max_travel_km is not None else self.settings.staff_max_travel_km

    def describe_session(self, sid: str) -> str:
        """Planner wording: 'NT2 Speaking B1, Amsterdam room A, 3 June morning (09:00-12:00)'."""
        ref = self.ref(sid)
        part, room, slot = self.part[ref.part_id], self.room[ref.room_id], self.slot[ref.slot_id]
        loc = self.location[room.location_id]
        return f"{part.name} at {loc.name} {room.id}, {slot.label}"


def session_capacity(index: Index, ref: SessionRef) -> int:
    """Capacity in the unit of :func:`request_usage`: seats for sittings, committee minutes for orals."""
    part, room, slot = index.part[ref.part_id], index.room[ref.room_id], index.slot[ref.slot_id]
    return slot.length if part.mode == ORAL else room.seats


def request_usage(index: Index, cand: Candidate, part: Part) -> int:
    """What one candidate consumes of a session: one seat, or the oral plus extra time plus changeover."""
    if part.mode == ORAL:
        return part.duration_min + cand.provisions.extra_min + index.settings.oral_changeover_min
    return 1


def candidate_busy(index: Index, cand: Candidate, ref: SessionRef) -> tuple[int, int]:
    """Absolute interval a candidate is tied up by a session (preparation, the exam, extra time).

    Orals: the order inside the block is fixed after solving, so the candidate is reserved for the whole
    block (conservative, never double-books)."""
    part, room, slot = index.part[ref.part_id], index.room[ref.room_id], index.slot[ref.slot_id]
    loc = index.location[room.location_id]
    prov = cand.provisions
    start = slot.start_min - part.prep_min - (prov.extra_prep_min if part.prep_min else 0)
    end = slot.end_min if part.mode == ORAL else slot.start_min + part.duration_min + prov.extra_min
    return absolute_interval(slot, loc, start, end)


def staff_need(index: Index, ref: SessionRef, occupants: int) -> dict[str, int]:
    """Staff a session needs: a committee of two for an oral, one invigilator per N candidates otherwise."""
    part = index.part[ref.part_id]
    if part.mode == ORAL:
        return {"examinator": 1, "second": 1}
    ratio = max(1, index.settings.invigilator_ratio)
    return {"invigilator": max(1, math.ceil(occupants / ratio))}


def total(items) -> object:
    """Fast sum of variables and constants (Python's ``sum`` builds a deep expression tree)."""
    items = list(items)
    if all(isinstance(i, int) for i in items):
        return sum(items)
    return cp_model.LinearExpr.sum(items)


class Guarded:
    """Hands out enforcement literals: none in a normal solve, one assumption per rule when explaining."""

    def __init__(self, model: cp_model.CpModel, explain: bool) -> None:
        self.model = model
        self.explain = explain
        self.literals: dict[str, cp_model.IntVar] = {}

    def __call__(self, name: str) -> list[cp_model.IntVar]:
        if not self.explain:
            return []
        if name not in self.literals:
            self.literals[name] = self.model.new_bool_var(f"rule[{name}]")
        return [self.literals[name]]


@dataclass
class Objective:
    """Objective terms kept per rule so the solve step can report a breakdown."""

    terms: dict[str, list[tuple[int, object]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, rule: str, coeff: int, expr: object) -> None:
        if coeff:
            self.terms[rule].append((coeff, expr))

    def expression(self) -> cp_model.LinearExprT:
        """Built once (after every module has posted) and reused by the solve and the warm-start price."""
        if self.__dict__.get("_expr") is not None:
            return self.__dict__["_expr"]
        self.__dict__["_expr"] = self._build()
        return self.__dict__["_expr"]

    def _build(self) -> cp_model.LinearExprT:
        exprs = [e for items in self.terms.values() for _, e in items]
        coeffs = [c for items in self.terms.values() for c, _ in items]
        if not exprs:
            return 0
        return cp_model.LinearExpr.weighted_sum(exprs, coeffs)


@dataclass
class PlacementContext:
    """One placement model: free requests, the session universe they may use, and fixed facts.

    ``fixed_usage`` / ``fixed_open`` / ``fixed_by_candidate`` describe placements decided earlier (pins,
    other blocks, the untouched part of a published roster); they are constants here, not variables.
    """

    index: Index
    model: cp_model.CpModel
    requests: list[tuple[Candidate, Request]]
    universe: dict[str, SessionRef]
    fixed_open: set[str]
    fixed_usage: dict[str, int]
    fixed_by_candidate: dict[str, list[str]]
    busy_rooms: dict[str, list[str]]
    published: dict[str, str]
    guard: Guarded
    explain_request: str | None = None
    keep: dict[str, str] = field(default_factory=dict)
    x: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    open: dict[str, object] = field(default_factory=dict)
    placed: dict[str, object] = field(default_factory=dict)
    objective: Objective = field(default_factory=Objective)
    forbidden: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def scenario(self) -> Scenario:
        return self.index.scenario

    def weights(self, cand: Candidate) -> Weights:
        return self.scenario.weights_for(cand.family)

    def x_of_request(self, rid: str) -> list[tuple[str, cp_model.IntVar]]:
        return self._by_request.get(rid, [])

    def x_of_session(self, sid: str) -> list[tuple[str, cp_model.IntVar]]:
        return self._by_session.get(sid, [])

    def finalise_indexes(self) -> None:
        self._by_request: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        self._by_session: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        for (rid, sid), var in self.x.items():
            self._by_request[rid].append((sid, var))
            self._by_session[sid].append((rid, var))

    def candidate_terms(self, cand: Candidate) -> list[tuple[str, object]]:
        """(session id, 0/1 expression) for every exam of the candidate: free variables and fixed ones."""
        terms: list[tuple[str, object]] = [(sid, 1) for sid in self.fixed_by_candidate.get(cand.id, [])]
        for req in cand.requests:
            terms.extend(self.x_of_request(req.id))
        return terms


@dataclass
class StaffSession:
    """An open session that needs staff on the day being rostered."""

    sid: str
    ref: SessionRef
    location_id: str
    date: str
    interval: tuple[int, int]
    need: dict[str, int]
    candidate_ids: tuple[str, ...]
    school_ids: tuple[str, ...]
    qualification: str


@dataclass
class StaffContext:
    """One staff model for one day: which examiner does which role in which session."""

    index: Index
    model: cp_model.CpModel
    date: str
    sessions: list[StaffSession]
    examiners: list[Examiner]
    prior_load: dict[str, int]
    week_load: dict[str, int]
    pair_days: dict[tuple[str, str], int]
    fixed: list[tuple[str, str, str]]
    published: set[tuple[str, str, str]]
    guard: Guarded
    keep_published: bool = False
    a: dict[tuple[str, str, str], cp_model.IntVar] = field(default_factory=dict)
    short: dict[tuple[str, str], object] = field(default_factory=dict)
    at_location: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    objective: Objective = field(default_factory=Objective)

    @property
    def scenario(self) -> Scenario:
        return self.index.scenario

    def by_examiner(self) -> dict[str, list[tuple[str, str, cp_model.IntVar]]]:
        out: dict[str, list[tuple[str, str, cp_model.IntVar]]] = defaultdict(list)
        for (eid, sid, role), var in self.a.items():
            out[eid].append((sid, role, var))
        return out

    def session(self, sid: str) -> StaffSession:
        return self._sessions[sid]

    def finalise_indexes(self) -> None:
        self._sessions = {s.sid: s for s in self.sessions}
