"""A proven lower bound on the objective of every roster of a scenario (the validator's total penalty),
from a relaxation made of independent blocks, one per site, each solved exactly in plain Python.

Every candidate belongs to the block of its home site L (:func:`scheduling.solve.home_location`; a
candidate no site within reach can host pays the unplaced price for every request). Relaxation R of
block L, in which every request of the block is either
- placed at L in a session it may use (every hard filter of the request and the session holds), paying
  its travel, preference and lateness there; each session at L of a part costs at least the session
  weight plus a staff share per place it needs: the place is filled by a person whose day at L costs
  ``staff_cost + travel_per_km * km beyond the free distance`` and covers at most their daily maximum
  of places, or it stays uncovered at the uncovered weight, so each place costs at least
  ``min(uncovered, min over qualified, available, reachable people of day cost / daily maximum)``;
  a session holds at most ``capacity // smallest usage`` requests; sessions need room-slots: requests
  are grouped by the room classes they may use (groups sharing a class merged), and a group's sessions
  fit in its classes' room-slots; or
- *away*, at ``a_r``: the least travel and preference cost at any other site within reach that hosts
  the part's family and kind of room; or
- unplaced, at the price the validator charges (unplaced + deadline + provisions).
Pair rotation, workload spread, changes, candidates' day rules and everything else count 0.

Why it is a lower bound: take any roster S. In block L keep only the block's own requests placed at L
and the sessions holding at least one of them. Each kept request pays in S at least its price in R; an
away one at least ``a_r``; an unplaced one exactly its price. Each kept session pays its session cost,
and its staff share out of S's staff costs: a person's day at L is split over the at most daily-maximum
places it covers there, and a place belongs to one session and one site, so nothing in S is counted
twice over the sessions and blocks. The kept sessions satisfy the session and room-slot limits above.
So the cost in R of S restricted to each block, summed over blocks, is at most cost(S), for every S:
the sum of the blocks' optima is at most the optimum.

Each block's optimum is computed exactly, and without search: a session of part p saves at most the
sum of the ``capacity // smallest usage`` largest savings (off-site price minus cheapest home price) of
its requests minus its price; the savings of a part sorted and cut into chunks are concave, so taking
the best sessions of each group up to its room-slots is optimal (:meth:`SiteRelaxation.capacity_bound`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scheduling.builder import request_filter_levels, session_universe
from scheduling.constraints import (
    deadline_priority,
    examiner_qualification,
    preferences,
    staff_availability,
    staff_max_per_day,
    staff_travel,
    travel_cost,
)
from scheduling.context import Index, request_usage, session_capacity, staff_need
from scheduling.model import Candidate, Request, Room, SessionRef

if TYPE_CHECKING:
    from scheduling.solve import Run


@dataclass
class BlockBound:
    site: str
    requests: int
    value: float
    elapsed_s: float
    unplaced: int = 0  # the fewest of the block's requests any roster leaves unplaced


@dataclass
class LowerBound:
    """The bound and how it was obtained, block by block."""

    value: float = 0.0
    unreachable: float = 0.0
    blocks: list[BlockBound] = field(default_factory=list)
    complete: bool = False
    unplaced: int = 0  # the fewest requests any roster leaves unplaced


def lower_bound(index: Index, run: Run) -> LowerBound:
    """The sum over sites of each block's bound (plain Python, seconds at national scale)."""
    from scheduling.solve import home_location, unplaced_cost

    out = LowerBound()
    by_site: dict[str, list[tuple[Candidate, Request]]] = defaultdict(list)
    for cand in index.scenario.candidates:
        home = home_location(index, cand) if cand.requests else None
        if home is None:  # no site within reach hosts the candidate's exams: every request stays unplaced
            out.unreachable += sum(unplaced_cost(index, cand) for _ in cand.requests)
            out.unplaced += len(cand.requests)
            continue
        by_site[home].extend((cand, req) for req in cand.requests)
    out.value = out.unreachable
    for site in sorted(by_site):
        if run.stop_requested():
            break
        t0 = time.monotonic()
        relaxation = SiteRelaxation(index, site, by_site[site], unplaced_cost)
        value = relaxation.capacity_bound()
        out.unplaced += relaxation.least_unplaced
        out.blocks.append(
            BlockBound(site, len(by_site[site]), value, time.monotonic() - t0, relaxation.least_unplaced)
        )
        out.value += value
    out.complete = len(out.blocks) == len(by_site)
    if not out.complete:  # a cancelled bound proves nothing
        out.value = 0.0
    return out


def staff_place_cost(index: Index, site: str, date: str, qualification: str, role: str, family: str) -> float:
    """The least a place in a session at ``site`` on ``date`` can cost: the cheapest qualified,
    available, reachable person's day cost divided by their daily maximum, or the uncovered weight."""
    cache: dict = index.__dict__.setdefault("_place_cost", {})
    key = (site, date, qualification, role, family)
    if key in cache:
        return cache[key]
    best = index.scenario.weights_for(family).uncovered
    most_per_day = index.__dict__.get("_most_per_day")
    if most_per_day is None:
        limits = [staff_max_per_day.limit(index.settings, ex) for ex in index.scenario.examiners]
        most_per_day = index.__dict__["_most_per_day"] = max(limits, default=1)
    for ex in index.staff_near(site):  # nearest first, so the day cost never falls along the list
        day = staff_travel.day_cost(index, ex, site)
        if day >= best * most_per_day:
            break  # nobody further on can be cheaper
        per_day = staff_max_per_day.limit(index.settings, ex)
        if per_day <= 0 or not examiner_qualification.qualified(ex, role, qualification, family, date):
            continue
        if not staff_availability.available(index.scenario, ex, date):
            continue
        best = min(best, day / per_day)
    cache[key] = best
    return best


class SiteRelaxation:
    """Relaxation R for one site's block (see the module docstring)."""

    def __init__(self, index: Index, site: str, requests: list[tuple[Candidate, Request]], unplaced_cost) -> None:
        self.index = index
        self.site = site
        self.requests = requests
        self.unplaced = {req.id: unplaced_cost(index, cand) for cand, req in requests}
        self._away_cache: dict[tuple[str, str, str], int | None] = {}
        self.away = {req.id: self._away_price(cand, req) for cand, req in requests}
        self.classes = _room_classes(index.rooms_at.get(site, []))
        self.options = self._options()
        self.least_unplaced = 0  # set by :meth:`capacity_bound`

    # prices ----------------------------------------------------------------------------------------
    def _away_price(self, cand: Candidate, req: Request) -> int | None:
        part = self.index.part[req.part_id]
        key = (cand.id, part.family, part.mode)
        if key not in self._away_cache:
            self._away_cache[key] = self._cheapest_elsewhere(cand, part)
        return self._away_cache[key]

    def _cheapest_elsewhere(self, cand: Candidate, part) -> int | None:
        return cheapest_elsewhere(self.index, cand, part, self.site)

    def session_price(self, ref: SessionRef) -> float:
        index = self.index
        part = index.part[ref.part_id]
        date = index.slot[ref.slot_id].date
        price = index.scenario.weights_for(part.family).session_cost
        for role in staff_need(index, ref, 1):  # at least one place per role
            price += staff_place_cost(index, self.site, date, part.qualification, role, part.family)
        return price

    # allowed placements ------------------------------------------------------------------------------
    def _options(self) -> dict[str, list[tuple[int, str, SessionRef, int]]]:
        """Per request: (class, slot id, a representative session, price) it may use at the site."""
        from scheduling.solve import window

        index = self.index
        parts = {req.part_id for _, req in self.requests}
        spans = [window(index, cand) for cand, _ in self.requests]
        date_from, date_to = min(s for s, _ in spans), max(e for _, e in spans)
        universe = session_universe(index, parts, {self.site}, date_from, date_to, explain=False)
        by_key: dict[tuple[str, int, str], list[SessionRef]] = defaultdict(list)
        room_class = {room.id: k for k, rooms in enumerate(self.classes) for room in rooms}
        for ref in universe.values():
            by_key[(ref.part_id, room_class[ref.room_id], ref.slot_id)].append(ref)
        self.rooms_open = {key: len(refs) for key, refs in by_key.items()}
        self.key_ref = {key: refs[0] for key, refs in by_key.items()}
        by_part: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for part_id, k, slot_id in by_key:
            by_part[part_id].append((k, slot_id))
        room_level, slot_level, per_session = request_filter_levels()
        out: dict[str, list[tuple[int, str, SessionRef, int]]] = defaultdict(list)
        prices: dict[tuple[str, str], int] = {}  # travel, preference and lateness depend on the date only
        for cand, req in self.requests:
            class_ok: dict[int, bool] = {}
            slot_ok: dict[str, bool] = {}
            for host, k, slot_id in ((h, k, s) for h in index.hosting(req.part_id) for k, s in by_part.get(h, [])):
                refs = by_key[(host, k, slot_id)]
                if k not in class_ok:
                    class_ok[k] = not any(f.forbids(index, cand, req, refs[0]) for f in room_level)
                if slot_id not in slot_ok:
                    slot_ok[slot_id] = not any(f.forbids(index, cand, req, refs[0]) for f in slot_level)
                if not (class_ok[k] and slot_ok[slot_id]):
                    continue
                relevant = [f for f in per_session if not hasattr(f, "applies") or f.applies(index, req)]
                ref = next((r for r in refs if not any(f.forbids(index, cand, req, r) for f in relevant)), None)
                if ref is not None:
                    date = index.slot[slot_id].date
                    if (cand.id, date) not in prices:
                        prices[(cand.id, date)] = placed_price(index, cand, ref)
                    out[req.id].append((k, slot_id, ref, prices[(cand.id, date)]))
        return out

    def capacity_bound(self) -> float:
        """The per-request bound plus what room capacity forces: requests compete for the site's
        room-slots. Requests are grouped by the room classes they may use (groups sharing a class
        merged); a group's pool is the room-slots of its classes. A session of a part holds at most
        ``capacity // smallest usage`` requests and costs at least the part's cheapest session price,
        so a session saves at most the savings (cheapest off-site price minus cheapest home price) of
        that many requests minus its price. Opening the pool's best sessions (the savings of a part,
        sorted, cut into chunks: concave, so choosing greedily is optimal) bounds what placing at home
        can save: bound = sum of off-site prices - best savings."""
        index = self.index
        base = {
            req.id: self.unplaced[req.id] if self.away[req.id] is None else min(self.unplaced[req.id], self.away[req.id])
            for _, req in self.requests
        }
        value = float(sum(base.values()))
        parent: dict[int, int] = {}

        def root(k: int) -> int:
            while parent.setdefault(k, k) != k:
                k = parent[k]
            return k

        for options in self.options.values():
            first = root(options[0][0]) if options else None
            for k, *_ in options:
                parent[root(k)] = first
        per_part: dict[tuple[int, str], list[int]] = defaultdict(list)
        usage: dict[tuple[int, str], list[int]] = defaultdict(list)
        # requests no other site can take: unplaced unless a session at the site seats them
        stuck: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.least_unplaced = 0
        for cand, req in self.requests:
            options = self.options.get(req.id, [])
            saving = base[req.id] - min((price for *_, price in options), default=base[req.id])
            if self.away[req.id] is None:
                self.least_unplaced += 1
                if options:
                    stuck[(root(options[0][0]), req.part_id)].append(request_usage(index, cand, index.part[req.part_id]))
            if saving > 0:
                group = root(options[0][0])
                per_part[(group, req.part_id)].append(saving)
                usage[(group, req.part_id)].append(request_usage(index, cand, index.part[req.part_id]))
        pool: dict[int, int] = defaultdict(int)
        for k, slot_id in {(k, slot_id) for _, k, slot_id in self.key_ref}:
            if k in parent:
                pool[root(k)] += len(self.classes[k])
        sessions: dict[int, list[int]] = defaultdict(list)
        for (group, part_id), savings in per_part.items():
            keys = [key for key in self.key_ref if key[0] in index.hosting(part_id) and root(key[1]) == group]
            per_session = max(session_capacity(index, self.key_ref[key]) for key in keys) // min(usage[(group, part_id)])
            price = min(self.session_price(self.key_ref[key]) for key in keys)
            savings.sort(reverse=True)
            step = max(1, per_session)
            for i in range(0, len(savings), step):
                gain = sum(savings[i : i + step]) - price
                if gain > 0:
                    sessions[group].append(gain)
        for group, gains in sessions.items():
            gains.sort(reverse=True)
            value -= sum(gains[: pool[group]])
        self.least_unplaced -= self._most_seated(stuck, pool, root)
        return value

    def _most_seated(self, stuck: dict[tuple[int, str], list[int]], pool: dict[int, int], root) -> int:
        """The most of the requests no other site can take that the site's room-slots can seat,
        whatever it costs (a session holds at most ``capacity // smallest usage`` of them, and a group's
        sessions fit in its room-slots): what is left is unplaced in every roster."""
        chunks: dict[int, list[int]] = defaultdict(list)
        for (group, part_id), usages in stuck.items():
            keys = [key for key in self.key_ref if key[0] in self.index.hosting(part_id) and root(key[1]) == group]
            per_session = max(1, max(session_capacity(self.index, self.key_ref[key]) for key in keys) // min(usages))
            full, rest = divmod(len(usages), per_session)
            chunks[group].extend([per_session] * full + ([rest] if rest else []))
        return sum(sum(sorted(sizes, reverse=True)[: pool[group]]) for group, sizes in chunks.items())


def cheapest_elsewhere(index: Index, cand: Candidate, part, site: str) -> int | None:
    """The least travel and location-preference price of ``cand`` sitting ``part`` at any site but
    ``site`` within reach that hosts the part's family and kind of room (None when there is none)."""
    weights = index.scenario.weights_for(cand.family)
    best = None
    for loc in index.scenario.locations:
        if loc.id == site or index.candidate_km(cand, loc.id) > index.max_travel(cand):
            continue
        if loc.families and part.family not in loc.families:
            continue
        if not any(room.kind == part.mode for room in index.rooms_at.get(loc.id, [])):
            continue
        miss = int(bool(cand.preferred_location_ids) and loc.id not in cand.preferred_location_ids)
        price = weights.travel_per_km * travel_cost.chargeable_km(index, cand, loc.id) + weights.preference * miss
        best = price if best is None else min(best, price)
    return best


def placed_price(index: Index, cand: Candidate, ref: SessionRef) -> int:
    """What a request of ``cand`` pays for sitting in session ``ref``: travel to its site, missed date
    and location preferences, and lateness after an urgent candidate's deadline."""
    weights = index.scenario.weights_for(cand.family)
    site = index.room[ref.room_id].location_id
    price = weights.travel_per_km * travel_cost.chargeable_km(index, cand, site)
    price += weights.preference * preferences.misses(index, cand, ref)
    if deadline_priority.is_urgent(index, cand) and index.slot[ref.slot_id].date > cand.deadline:
        price += weights.deadline
    return price


def room_class(room: Room) -> tuple:
    """What makes two rooms interchangeable for every placement rule (kind, seats, provisions,
    closures)."""
    return (room.kind, room.seats, room.accessible, room.separate, room.large_print, room.closed_dates)


def _room_classes(rooms: list[Room]) -> list[list[Room]]:
    """Rooms that every rule treats alike, grouped."""
    groups: dict[tuple, list[Room]] = defaultdict(list)
    for room in rooms:
        groups[room_class(room)].append(room)
    return [groups[key] for key in sorted(groups, key=str)]
