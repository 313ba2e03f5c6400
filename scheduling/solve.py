"""Solve step: runs the decomposition and maps every CP-SAT status explicitly.

Decomposition (why: a national season is far too large for one CP-SAT model on two cores):
1. **Placement blocks.** Candidates are grouped by home location (school, preferred site) and the week
   their date window opens; each block (all families at that location, so rooms are never shared
   between models) is first placed greedily (no model), then improved by one CP-SAT model.
2. **Spill.** Requests a block could not place go to the nearest sites within their travel maximum
   and their whole window, on top of what the blocks decided: greedily, then by CP-SAT.
   **Neighbourhood sweeps** come first among the CP-SAT steps where requests are still unplaced: the
   neighbouring sites those candidates can reach are re-placed together on the pooled model
   (:mod:`scheduling.pooled`, a site's interchangeable rooms counted per slot), two days at a time,
   so schools a few kilometres apart share sessions.
3. **Staff per day.** Days in date order, greedily for the first roster, then each one model; earlier
   days arrive as prior workload, weekly counts and pair history, so weekly limits and pair rotation
   hold across days.
A complete roster (every block and the spill placed greedily, every day staffed greedily) exists
before the first CP-SAT model is built. Every sub-solve gets a share of the remaining time, a seed,
``num_workers``, hints, and reports progress. ``should_stop`` cancels: the current sub-solve stops
keeping its best solution, remaining ones are skipped, and the result is ``CANCELLED`` with a complete
roster. The objective reported is the validator's total penalty of the roster; the bound is the proven
lower bound of :mod:`scheduling.bound` (0 in a repair).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model, cp_model_helper

from scheduling import pooled
from scheduling.bound import cheapest_elsewhere, lower_bound
from scheduling.builder import RosterState, build_placement, build_staff, staff_sessions_for_day
from scheduling.constraints import deadline_priority, pair_rotation, preferences, staff_travel, travel_cost
from scheduling.context import Index, PlacementContext, StaffContext
from scheduling.model import (
    CANCELLED,
    EXAMINATOR,
    FEASIBLE,
    INFEASIBLE,
    MODEL_INVALID,
    OPTIMAL,
    SECOND,
    UNKNOWN,
    Candidate,
    Request,
    Result,
    Scenario,
    Slot,
    StaffAssignment,
    StageStats,
)
from scheduling.warmstart import add_hint, add_staff_hint, greedy_placement, greedy_staff

STATUS_MAP: dict[int, str] = {
    cp_model.OPTIMAL: OPTIMAL,
    cp_model.FEASIBLE: FEASIBLE,
    cp_model.INFEASIBLE: INFEASIBLE,
    cp_model.MODEL_INVALID: MODEL_INVALID,
    cp_model.UNKNOWN: UNKNOWN,
}


@dataclass(frozen=True)
class Progress:
    stage: str
    elapsed_s: float
    objective: float | None
    bound: float | None


@dataclass
class SolveOptions:
    """How to run. ``num_workers`` stays <= 2 on shared machines; ``gap_limit`` stops a sub-solve once it
    is proven within that relative gap (saves time for blocks that do not need more)."""

    time_limit_s: float = 30.0
    seed: int = 0
    num_workers: int = 2
    gap_limit: float = 0.001
    progress: Callable[[Progress], None] | None = None
    should_stop: Callable[[], bool] | None = None
    placement_share: float = 0.95
    spill_share: float = 0.15
    explain: bool = True
    explain_limit: int = 25  # unplaced requests diagnosed in full; the rest by the quick diagnosis
    log: bool = False


def map_status(code: int, cancelled: bool) -> str:
    status = STATUS_MAP.get(code)
    if status is None:
        raise ValueError(f"unexpected CP-SAT status {code}")
    if cancelled and status in (FEASIBLE, UNKNOWN):
        return CANCELLED
    return status


#: The stages progress is reported in (``Progress.stage``): the two named ones, staffing one day
#: (``staff 2027-06-14``), and any other name is a block of requests being placed (``block AMS 2027-W24``).
#: A portal names them in its reader's language (``exams.planning.progress.stage_label``).
FIRST_ROSTER = "first roster"
LOWER_BOUND = "lower bound"
STAFF_STAGE = "staff "


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution; asks ``should_stop`` so a cancel keeps the best found."""

    def __init__(
        self,
        stage: str,
        clock: Callable[[], float],
        options: SolveOptions,
        offset: float,
        report: bool,
        enough: Callable[[cp_model.CpSolverSolutionCallback], bool] | None = None,
    ) -> None:
        super().__init__()
        self.stage, self.clock, self.options, self.offset = stage, clock, options, offset
        self.report = report
        self.enough = enough
        self.last_solution = time.monotonic()

    def on_solution_callback(self) -> None:
        self.last_solution = time.monotonic()
        if self.options.progress and self.report:
            obj, bound = self.objective_value, self.best_objective_bound
            self.options.progress(Progress(self.stage, self.clock(), self.offset + obj, self.offset + bound))
        cancelled = bool(self.options.should_stop and self.options.should_stop())
        if cancelled or (self.enough is not None and self.enough(self)):
            self.stop_search()


@dataclass
class SubSolve:
    status: str
    objective: float
    bound: float
    elapsed_s: float
    solver: cp_model.CpSolver


@dataclass
class Run:
    """Mutable bookkeeping of one solve call."""

    options: SolveOptions
    started: float = field(default_factory=time.monotonic)
    stages: list[StageStats] = field(default_factory=list)
    cancelled: bool = False
    lower_bound: float = 0.0
    site_bounds: dict[str, float] = field(default_factory=dict)  # each site's block of the bound
    site_unplaced: dict[str, int] = field(default_factory=dict)  # and the fewest it leaves unplaced
    staff_reserve_s: float = 0.0  # kept at the end for the staff roster (see ``STAFF_RESERVE``)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return max(0.0, self.options.time_limit_s - self.elapsed())

    def finish_reserve(self) -> float:
        """The time kept after the staff roster for validating and explaining the result."""
        return min(self.options.time_limit_s * FINISH_SHARE, FINISH_MAX_S)

    def placement_end(self) -> float:
        """The latest a placement step may run (seconds since the start): the staff roster and the
        finish that follow need their reserves."""
        return self.options.time_limit_s - self.staff_reserve_s - self.finish_reserve()

    def stop_requested(self) -> bool:
        if self.options.should_stop and self.options.should_stop():
            self.cancelled = True
        return self.cancelled

    def objective(self) -> float:
        return sum(s.objective for s in self.stages if s.status in (OPTIMAL, FEASIBLE, CANCELLED))



def run_cp_sat(
    model: cp_model.CpModel,
    run: Run,
    stage: str,
    time_limit: float,
    gap_limit: float | None = None,
    report: bool = True,
    stall_s: float | None = None,
    seed: int | None = None,
    enough: Callable[[cp_model.CpSolverSolutionCallback], bool] | None = None,
) -> SubSolve:
    """One CP-SAT call with seed, workers, limits, progress (unless ``report`` is off) and cooperative
    cancel; with ``stall_s``, the search also stops once that long has passed without a better
    solution (a model whose bound CP-SAT cannot close gives its time back); with ``enough``, once a
    solution satisfies it (what is known to be the best reachable, which CP-SAT cannot prove)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, time_limit)
    params.num_workers = max(1, min(2, run.options.num_workers))
    params.random_seed = run.options.seed if seed is None else seed
    params.relative_gap_limit = run.options.gap_limit if gap_limit is None else gap_limit
    params.log_search_progress = run.options.log
    callback = _Callback(stage, run.elapsed, run.options, run.objective(), report, enough)
    stop = threading.Event()
    watcher = None
    if run.options.should_stop or stall_s:
        watcher = threading.Thread(target=_watch, args=(solver, run, stop, callback, stall_s), daemon=True)
        watcher.start()
    t0 = time.monotonic()
    code = solver.solve(model, callback)
    stop.set()
    if watcher:
        watcher.join()
    status = map_status(code, run.stop_requested())
    has = status in (OPTIMAL, FEASIBLE, CANCELLED) and code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if has else 0.0
    bound = solver.best_objective_bound if has else 0.0
    return SubSolve(status, objective, bound, time.monotonic() - t0, solver)


def _watch(
    solver: cp_model.CpSolver, run: Run, stop: threading.Event, callback: _Callback, stall_s: float | None
) -> None:
    while not stop.wait(0.1):
        stalled = stall_s is not None and time.monotonic() - callback.last_solution > stall_s
        if stalled or run.stop_requested():
            solver.stop_search()
            return


# Placement decomposition ---------------------------------------------------------------------------


@dataclass
class Block:
    name: str
    requests: list[tuple[Candidate, Request]]
    location_ids: set[str]
    date_from: str
    date_to: str
    sweep: bool = False  # improved by a pooled sweep over pairs of days (:func:`sweep_block`)
    home: bool = False  # a site's own candidates, pooled, who may also sit elsewhere (:func:`home_block`)


def home_location(index: Index, cand: Candidate) -> str | None:
    """The location a candidate is first tried at: a preferred one if reachable, else the nearest
    (cached per scenario)."""
    cache: dict[str, str | None] = index.__dict__.setdefault("_home", {})
    if cand.id not in cache:
        cache[cand.id] = _home_location(index, cand)
    return cache[cand.id]


def _home_location(index: Index, cand: Candidate) -> str | None:
    modes = {index.part[r.part_id].mode for r in cand.requests}
    families = {index.part[r.part_id].family for r in cand.requests}
    usable = [
        loc.id
        for loc in index.scenario.locations
        if any(room.kind in modes for room in index.rooms_at.get(loc.id, []))
        and (not loc.families or families & set(loc.families))
        and index.candidate_km(cand, loc.id) <= index.max_travel(cand)
    ]
    for loc_id in cand.preferred_location_ids:
        if loc_id in usable:
            return loc_id
    return min(usable, key=lambda loc_id: index.candidate_km(cand, loc_id), default=None)


def window(index: Index, cand: Candidate) -> tuple[str, str]:
    first, last = index.dates[0], index.dates[-1]
    return max(first, cand.window_start or first), min(last, cand.window_end or last)


def plan_blocks(index: Index, free: list[tuple[Candidate, Request]]) -> list[Block]:
    """Group free requests by (home location, week their window opens); split large groups."""
    groups: dict[tuple[str, str], list[tuple[Candidate, Request]]] = defaultdict(list)
    for cand, req in free:
        loc = home_location(index, cand)
        if loc is None:
            continue
        start, _ = window(index, cand)
        groups[(loc, Slot("", start, 0, 0).week)].append((cand, req))
    blocks: list[Block] = []
    limit = max(1, index.settings.block_max_requests)
    for (loc, week), items in sorted(groups.items()):
        items.sort(key=lambda cr: (cr[0].id, cr[1].id))
        chunks = _chunk_by_candidate(items, limit)
        for i, chunk in enumerate(chunks):
            starts, ends = zip(*(window(index, c) for c, _ in chunk), strict=True)
            name = f"block {loc} {week}" + (f" #{i + 1}" if len(chunks) > 1 else "")
            blocks.append(Block(name, chunk, {loc}, min(starts), max(ends)))
    return blocks


def _chunk_by_candidate(
    items: list[tuple[Candidate, Request]], limit: int
) -> list[list[tuple[Candidate, Request]]]:
    chunks: list[list[tuple[Candidate, Request]]] = [[]]
    for cand, req in items:
        if len(chunks[-1]) >= limit and chunks[-1][-1][0].id != cand.id:
            chunks.append([])
        chunks[-1].append((cand, req))
    return chunks


def spill_blocks(
    index: Index, free: list[tuple[Candidate, Request]], size: int = 150, prefix: str = "spill", sites: int = 6
) -> list[Block]:
    """Unplaced requests, grouped like the blocks (home site, window) so each spill model spans one
    window, over the ``sites`` nearest locations within reach of each of its candidates."""
    groups: dict[tuple[str, str, str], list[tuple[Candidate, Request]]] = defaultdict(list)
    for cand, req in free:
        groups[(home_location(index, cand) or "", *window(index, cand))].append((cand, req))
    blocks = []
    for key in sorted(groups):
        items = sorted(groups[key], key=lambda cr: (cr[0].id, cr[1].id))
        for chunk in _chunk_by_candidate(items, size):
            locs: set[str] = set()
            for cand in {cand.id: cand for cand, _ in chunk}.values():
                near = sorted(
                    (index.candidate_km(cand, loc.id), loc.id)
                    for loc in index.scenario.locations
                    if index.candidate_km(cand, loc.id) <= index.max_travel(cand)
                )
                locs.update(loc_id for _, loc_id in near[:sites])
            starts, ends = zip(*(window(index, c) for c, _ in chunk), strict=True)
            blocks.append(Block(f"{prefix} #{len(blocks) + 1} {key[0]}", chunk, locs, min(starts), max(ends)))
    return blocks


#: The most requests a neighbourhood block may hold (about 80 variables each on the VO season: a model
#: CP-SAT improves within a minute on two cores).
NEIGHBOURHOOD_MAX_REQUESTS = 1200


def neighbourhood_blocks(
    index: Index, state: RosterState, left: list[tuple[Candidate, Request]], sites: int = 6
) -> list[Block]:
    """Blocks that let neighbouring sites pool their sessions. For each group of unplaced requests (home
    site, window), the sites most of the group can reach, nearest first, with every request placed at
    those sites in that window: sessions are opened per part, so candidates of schools a few kilometres
    apart who sit the same subject can share one, which the per-site blocks cannot see. Sites are added
    while the block stays within ``NEIGHBOURHOOD_MAX_REQUESTS``."""
    placed_at: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rid, sid in state.placement.items():
        ref = index.ref(sid)
        placed_at[(index.room[ref.room_id].location_id, index.slot[ref.slot_id].date)].append(rid)
    groups: dict[tuple[str, str, str], list[tuple[Candidate, Request]]] = defaultdict(list)
    for cand, req in left:
        groups[(home_location(index, cand) or "", *window(index, cand))].append((cand, req))
    blocks: list[Block] = []
    for (home, first, last), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        merged = next(
            (b for b in blocks if home in b.location_ids and (b.date_from, b.date_to) == (first, last)), None
        )
        if merged is not None:  # a neighbour's block already holds this site and window
            known = {req.id for _, req in merged.requests}
            merged.requests.extend(cr for cr in items if cr[1].id not in known)
            continue
        cands = list({cand.id: cand for cand, _ in items}.values())
        reach: dict[str, int] = defaultdict(int)
        for cand in cands:
            for loc in index.scenario.locations:
                if index.candidate_km(cand, loc.id) <= index.max_travel(cand):
                    reach[loc.id] += 1
        near = sorted(
            (loc_id for loc_id, n in reach.items() if 2 * n >= len(cands) or loc_id == home),
            key=lambda loc_id: (loc_id != home, min(index.candidate_km(c, loc_id) for c in cands)),
        )
        chosen: set[str] = set()
        requests = {req.id: (cand, req) for cand, req in items}
        for loc_id in near[:sites]:
            inside = [rid for (site, date), rids in placed_at.items() if site == loc_id and first <= date <= last
                      for rid in rids]
            if chosen and len(requests) + len(inside) > NEIGHBOURHOOD_MAX_REQUESTS:
                break
            chosen.add(loc_id)
            requests.update((rid, index.request[rid]) for rid in inside)
        blocks.append(Block(f"neighbourhood {home} {first}", list(requests.values()), chosen, first, last, True))
    for block in blocks:
        block.requests.sort(key=lambda cr: (cr[0].id, cr[1].id))
    return blocks


def _build(
    index: Index,
    state: RosterState,
    block: Block,
    published: dict[str, str],
    variables: bool = True,
    keep: dict[str, str] | None = None,
) -> PlacementContext:
    return build_placement(
        index,
        block.requests,
        state,
        location_ids=block.location_ids,
        date_from=block.date_from,
        date_to=block.date_to,
        published=published,
        variables=variables,
        keep=keep,
    )


def construct_block(index: Index, state: RosterState, block: Block, published: dict[str, str]) -> StageStats:
    """Greedy construction of one block, applied at once; no CP-SAT model is built (only the allowed
    pairs), so a complete roster exists seconds after the start."""
    t0 = time.monotonic()
    ctx = _build(index, state, block, published, variables=False)
    picks = greedy_placement(ctx)
    for rid, sid in picks.items():
        state.place(rid, sid)
    cost = placement_cost(index, state, block.requests)
    return StageStats(block.name, FEASIBLE, cost, 0.0, time.monotonic() - t0, len(ctx.x))


def placement_cost(index: Index, state: RosterState, requests: list[tuple[Candidate, Request]]) -> float:
    """What the requests' own placement terms cost as they stand (unplaced, travel, preferences): the
    order in which blocks are improved, costliest first."""
    cost = 0
    for cand, req in requests:
        sid = state.placement.get(req.id)
        if sid is None:
            cost += unplaced_cost(index, cand)
            continue
        ref = index.ref(sid)
        weights = index.scenario.weights_for(cand.family)
        cost += weights.travel_per_km * travel_cost.chargeable_km(index, cand, index.room[ref.room_id].location_id)
        cost += weights.preference * preferences.misses(index, cand, ref)
    return float(cost)


def improve_block(
    index: Index, state: RosterState, block: Block, run: Run, time_limit: float, published: dict[str, str]
) -> StageStats:
    """LNS step: free the block's requests that sit in it (or nowhere), rebuild, hint the current
    placement, let CP-SAT improve it. Requests the spill placed at other sites stay where they are. The
    previous placement is restored unless CP-SAT returns one that costs no more."""
    movable, current = _movable(index, state, block)
    part = Block(block.name, movable, block.location_ids, block.date_from, block.date_to)
    for rid in current:
        state.unplace(rid)
    ctx = _build(index, state, part, published, keep=current)
    picks = current if current else greedy_placement(ctx)
    add_hint(ctx, picks)
    before = objective_of(ctx, picks)
    sub = run_cp_sat(ctx.model, run, block.name, time_limit)
    found = sub.status in (OPTIMAL, FEASIBLE, CANCELLED) and sub.solver.response_proto.solution
    if found and sub.objective <= before:
        apply_placement(ctx, sub.solver, state)
        return StageStats(block.name, sub.status, sub.objective, sub.bound, sub.elapsed_s, len(ctx.x))
    for rid, sid in picks.items():
        state.place(rid, sid)
    status = INFEASIBLE if sub.status == INFEASIBLE else FEASIBLE
    return StageStats(block.name, status, before, sub.bound if found else 0.0, sub.elapsed_s, len(ctx.x))


def pool_block(
    index: Index,
    state: RosterState,
    block: Block,
    run: Run,
    time_limit: float,
    published: dict[str, str],
    max_variables: int | None = None,
    seed: int | None = None,
    away: bool = False,
    seats_only: bool = False,
) -> StageStats | None:
    """LNS step on the pooled model (:mod:`scheduling.pooled`): the block's movable requests are freed
    and re-placed with each site's interchangeable rooms pooled per slot. The previous placement is
    restored unless the pooled one costs less. None (nothing changed) in a repair, which prices changes
    room by room, when the block's slots cannot be pooled, or when the model would have more than
    ``max_variables`` variables. With ``away``, the block's requests that sit outside it may keep their
    seat or move in. With ``seats_only`` (a sweep's step, which is there to seat people), a step that
    seats nobody more leaves the placement as it was rather than spending its time on cost."""
    if published:
        return None
    movable, current = _movable(index, state, block)
    stay: dict[str, str] = {}
    out: dict[str, int] = {}
    if away:
        inside = {req.id for _, req in movable}
        stay = {req.id: state.placement[req.id] for _, req in block.requests if req.id not in inside}
        if len(block.location_ids) == 1:
            (site,) = block.location_ids
            for cand, req in movable:
                price = cheapest_elsewhere(index, cand, index.part[req.part_id], site)
                if price is not None:
                    out[req.id] = price
        movable = movable + [(cand, req) for cand, req in block.requests if req.id in stay]
        current = {**current, **stay}
    before_all = _roster_price(index, state, movable) if out else 0.0  # a trade elsewhere is judged on it
    for rid in current:
        state.unplace(rid)
    pm = pooled.build(
        index,
        state,
        movable,
        location_ids=block.location_ids,
        date_from=block.date_from,
        date_to=block.date_to,
        unplaced_cost=unplaced_cost,
        stay=stay,
        out=out,
    )
    if pm is None or (max_variables is not None and len(pm.y) > max_variables):
        for rid, sid in current.items():
            state.place(rid, sid)
        return None
    before = pm.cost(current)
    pooled.hint(pm, current)
    t0 = time.monotonic()
    patient = True  # a long stall allowance while the search may still find seats
    unseated = sum(1 for _, req in movable if req.id not in current)
    if unseated:  # someone to fit in: that first
        pooled.place_most_first(pm)
        floor = _fewest_unplaced(index, state, run, block, movable)
        seats = cp_model.LinearExpr.sum(list(pm.y.values()))

        def enough(cb: cp_model.CpSolverSolutionCallback) -> bool:  # the bound's fewest: no better exists
            return len(movable) - cb.value(seats) <= floor

        # patient while seats may still be found; stops as soon as the bound's fewest is reached
        seating = time_limit * 0.6
        stall = max(POOLED_STALL_S, seating / 4)
        first = run_cp_sat(pm.model, run, block.name, seating, stall_s=stall, seed=seed, enough=enough)
        if first.status in (OPTIMAL, FEASIBLE) and first.solver.response_proto.solution:
            pooled.then_the_rest(pm, first.solver)
            seated = {rid for (rid, _), var in pm.y.items() if first.solver.boolean_value(var)}
            left_out = sum(1 for _, req in movable if req.id not in seated)
            patient = left_out > floor
            if seats_only and left_out >= unseated:
                for rid, sid in current.items():
                    state.place(rid, sid)
                return StageStats(block.name, FEASIBLE, before, first.bound, time.monotonic() - t0, len(pm.y))
        else:
            pm.model.minimize(pm.placing + pm.rest)
    left = time_limit - (time.monotonic() - t0)
    stall = max(POOLED_STALL_S, left / 4) if patient else POOLED_STALL_S
    sub = run_cp_sat(pm.model, run, block.name, left, stall_s=stall, seed=seed)
    found = sub.status in (OPTIMAL, FEASIBLE, CANCELLED) and sub.solver.response_proto.solution
    picks = pooled.unpool(pm, sub.solver) if found else {}
    gone = pooled.sent_out(pm, sub.solver) if found else []
    after = pm.cost(picks) if found else before
    if gone:  # seats elsewhere for those the model sent out, then the whole roster's price decides
        for rid, sid in picks.items():
            state.place(rid, sid)
        for spill in spill_blocks(index, [index.request[rid] for rid in gone], prefix="out"):
            construct_block(index, state, spill, published)
        saving = before_all - _roster_price(index, state, movable)
        if saving > 0:
            after = before - saving
        else:
            for _, req in movable:
                if req.id in state.placement:
                    state.unplace(req.id)
            after = before
    if not gone or after >= before:
        for rid, sid in (picks if after < before else current).items():
            state.place(rid, sid)
    status = sub.status if found else FEASIBLE
    return StageStats(
        block.name, status, float(min(before, after)), sub.bound, time.monotonic() - t0, len(pm.y)
    )


def _fewest_unplaced(
    index: Index, state: RosterState, run: Run, block: Block, movable: list[tuple[Candidate, Request]]
) -> int:
    """The fewest of ``movable`` that any placement of them can leave unplaced, as far as the bound
    knows: of the candidates whose home is one of the block's sites, the bound's fewest unplaced
    less those of them outside ``movable`` that stay unplaced."""
    inside = {req.id for _, req in movable}
    floor = 0
    for site in block.location_ids:
        least = run.site_unplaced.get(site, 0)
        if least:
            outside = sum(
                1
                for cand in index.scenario.candidates
                if home_location(index, cand) == site
                for req in cand.requests
                if req.id not in inside and req.id not in state.placement
            )
            floor += max(0, least - outside)
    return floor


def _roster_price(index: Index, state: RosterState, requests: list[tuple[Candidate, Request]]) -> float:
    """The requests' own placement terms plus the price of every open session: compares two
    placements that differ only in where these requests sit."""
    sessions = sum(
        index.scenario.weights_for(index.part[index.ref(sid).part_id].family).session_cost
        for sid in state.open_sessions
    )
    return placement_cost(index, state, requests) + sessions


#: The share of the time limit that the requests seated away from home get at the end of placement
#: (:func:`away_blocks`), taken from the home blocks. In the VO season's 10 minutes the away blocks got
#: through 44 of 68 groups at 0.2 (gap 1.86 %) and 51 at 0.25 (1.80 %).
AWAY_SHARE = 0.25
#: The share of the time limit kept after the staff roster for validating and explaining the result,
#: so that a run ends within its limit. The month (60 s) needs 0.5-0.9 s to finish; at 0.02 a run on a
#: loaded machine still ended at 60.4-60.7 s, at 0.03 it ended at 57.7-58.4 s.
FINISH_SHARE = 0.03
#: ... and at most this long: the finish takes about as long in a long run as in a short one (1.1 s
#: for the VO season at any limit), so a 10-minute run keeps 5 s instead of 18.
FINISH_MAX_S = 5.0
#: The time kept for the staff roster after placement, as a multiple of how long the first roster's
#: greedy staff took (the last step builds every day again, and CP-SAT improves a day only when its
#: share of the time allows): the VO season's last staff step takes 2.8 times its greedy one.
STAFF_RESERVE = 3.0
#: How long a pooled model may search without finding a better solution before it gives its time
#: back (at least; a quarter of its time limit when that is longer).
POOLED_STALL_S = 6.0
#: The share of the time limit neighbourhood sweeps may take beyond ``SolveOptions.placement_share``
#: (taken from the staff rostering at the end, when they need it).
SWEEP_EXTRA_SHARE = 0.1
#: How many times a sweep restarts a whole pooled model that leaves requests unplaced.
POOLED_RESTARTS = 3
#: The largest pooled model a sweep solves whole (Bonaire's week: about 1,500 variables; a cluster of
#: four schools for a week: 70,000, swept two days at a time instead).
POOLED_WHOLE_MAX = 20_000
#: The least time a pooled step of a sweep gets (a two-day model of a full cluster needs ~8 s on two
#: cores to move a few candidates in; shorter steps mostly presolve).
POOLED_STEP_MIN_S = 8.0


def sweep_block(
    index: Index, state: RosterState, block: Block, run: Run, time_limit: float, published: dict[str, str]
) -> StageStats:
    """Pooled LNS (:func:`pool_block`). A block whose pooled model is small (an island's one site) is
    solved whole. Otherwise, for each pair of consecutive days of the block's window, every request
    placed at its sites on those days and every unplaced request of the block that may sit on them are
    re-placed (some ten thousand variables: CP-SAT moves many candidates at once, where the whole
    window's model only moves them one by one). Two rounds, or fewer when nothing is left unplaced, a
    round changed nothing or the time is up. A repair (which prices changes room by room), or a window
    whose slots overlap (the month's sittings), takes the room-by-room step instead."""
    if published or not pooled.poolable(index, block.date_from, block.date_to):
        return improve_block(index, state, block, run, time_limit, published)
    t0 = time.monotonic()
    days = [d for d in index.dates if block.date_from <= d <= block.date_to]
    slots = sum(1 for slot in index.scenario.slots if block.date_from <= slot.date <= block.date_to)
    whole = None
    if len(block.requests) * len(block.location_ids) * slots <= POOLED_WHOLE_MAX:  # about its variables
        whole = pool_block(index, state, block, run, time_limit, published, max_variables=POOLED_WHOLE_MAX)
    if whole is not None:
        # a small model stops when it stalls; while someone is still unplaced, restarts with other seeds
        # (multi-start) use the rest of the time
        for attempt in range(1, POOLED_RESTARTS + 1):
            left = time_limit - (time.monotonic() - t0)
            if left < 3 * POOLED_STALL_S or run.stop_requested():
                break
            if _as_few_as_bound(index, state, run, block):
                break
            seed = run.options.seed + attempt
            whole = pool_block(index, state, block, run, left, published, POOLED_WHOLE_MAX, seed) or whole
        return replace(whole, elapsed_s=time.monotonic() - t0)
    pairs = list(itertools.pairwise(days)) if len(days) > 1 else [(d, d) for d in days]
    per_step = max(POOLED_STEP_MIN_S, time_limit / max(1, 2 * len(pairs)))
    variables = 0
    for _ in range(2):
        start_cost = placement_cost(index, state, block.requests)
        for first, last in pairs:
            if run.stop_requested() or time.monotonic() - t0 > time_limit - 0.3:
                break
            if _seated_all_it_can(index, state, run, block):
                break
            requests = [
                (cand, req)
                for cand, req in block.requests
                if req.id in state.placement or (window(index, cand)[0] <= last and first <= window(index, cand)[1])
            ]
            pair = Block(f"{block.name} {first}", requests, block.location_ids, first, last)
            step_limit = min(per_step, time_limit - (time.monotonic() - t0))
            stage = pool_block(index, state, pair, run, step_limit, published, seats_only=True)
            variables = max(variables, stage.variables if stage else 0)
        if placement_cost(index, state, block.requests) >= start_cost:
            break
    cost = placement_cost(index, state, block.requests)
    return StageStats(block.name, FEASIBLE, cost, 0.0, time.monotonic() - t0, variables)


def _seated_all_it_can(index: Index, state: RosterState, run: Run, block: Block) -> bool:
    """Whether a sweep has seated everyone the bound says can be seated: a further seating step would
    build its model only to find nobody more to seat."""
    left = sum(1 for _, req in block.requests if req.id not in state.placement)
    return left <= _fewest_unplaced(index, state, run, block, block.requests)


def _as_few_as_bound(index: Index, state: RosterState, run: Run, block: Block) -> bool:
    """Whether the block leaves no more requests unplaced than the lower bound proves unavoidable for
    the candidates whose home is one of its sites (a multi-start would search for seats that do not
    exist)."""
    left = sum(1 for _, req in block.requests if req.id not in state.placement)
    return left <= sum(run.site_unplaced.get(site, 0) for site in block.location_ids)


def home_blocks(index: Index, state: RosterState, run: Run, skip: set[str]) -> list[Block]:
    """One block per site and window holding the requests of the candidates for whom it is home (not
    split: the site's room-slots are traded among all of them), where the window's slots can be pooled
    and a sweep (``skip``) does not already hold them."""
    groups: dict[tuple[str, str, str], list[tuple[Candidate, Request]]] = defaultdict(list)
    for cand in index.scenario.candidates:
        home = home_location(index, cand) if cand.requests else None
        if home is not None:
            groups[(home, *window(index, cand))].extend((cand, req) for req in cand.requests)
    blocks = []
    for (home, first, last), requests in sorted(groups.items()):
        if pooled.poolable(index, first, last) and not any(req.id in skip for _, req in requests):
            blocks.append(Block(f"home {home} {first}", requests, {home}, first, last, home=True))
    return blocks


def away_blocks(index: Index, state: RosterState) -> list[Block]:
    """The requests seated at a site other than their home, grouped like the spill (home site,
    window) over the sites nearest to each candidate: the home blocks and sweeps seat them wherever a
    seat was free at the time, and only a model over the neighbouring sites moves them on to the
    seats nearer home that have opened since."""
    away = [
        (cand, req)
        for cand in index.scenario.candidates
        for req in cand.requests
        if req.id in state.placement and index.location_of(state.placement[req.id]).id != home_location(index, cand)
    ]
    return spill_blocks(index, away, prefix="away") if away else []


def _most_to_gain(blocks: list[Block], stats: dict[str, StageStats], gain: Callable[[Block], float]) -> list[Block]:
    """The blocks with something to gain, most first; each block's gain is recorded as its stage's objective."""
    for block in blocks:
        stats[block.name] = StageStats(block.name, FEASIBLE, gain(block), 0.0, 0.0, 0)
    return sorted((b for b in blocks if stats[b.name].objective > 0), key=lambda b: -stats[b.name].objective)


def _beyond_cheapest(index: Index, state: RosterState, block: Block) -> float:
    """What the block's requests pay now beyond the cheapest seat at any site but their home."""
    floor = 0
    for cand, req in block.requests:
        home = home_location(index, cand)
        if home is not None:
            floor += cheapest_elsewhere(index, cand, index.part[req.part_id], home) or 0
    return placement_cost(index, state, block.requests) - floor


def home_block(
    index: Index, state: RosterState, block: Block, run: Run, time_limit: float, published: dict[str, str]
) -> StageStats:
    """A site's own candidates re-placed on the pooled model, each free to keep a seat elsewhere or to
    give up a seat at home for one elsewhere: which parts get the site's room-slots is decided for the
    whole site at once (a full school seats most candidates with fuller sessions of its main parts)."""
    stage = pool_block(index, state, block, run, time_limit, published, away=True)
    if stage is None:
        return StageStats(block.name, FEASIBLE, placement_cost(index, state, block.requests), 0.0, 0.0, 0)
    return stage


def _movable(
    index: Index, state: RosterState, block: Block
) -> tuple[list[tuple[Candidate, Request]], dict[str, str]]:
    """The block's requests that sit in it (or nowhere), and where the placed ones sit now."""

    def inside(sid: str) -> bool:
        ref = index.ref(sid)
        date = index.slot[ref.slot_id].date
        return index.room[ref.room_id].location_id in block.location_ids and block.date_from <= date <= block.date_to

    movable = [(c, r) for c, r in block.requests if r.id not in state.placement or inside(state.placement[r.id])]
    return movable, {req.id: state.placement[req.id] for _, req in movable if req.id in state.placement}


def objective_of(ctx: PlacementContext, picks: dict[str, str]) -> float:
    """The model's objective for a plain-Python assignment (the hint), without solving."""
    expr = ctx.objective.expression()
    if isinstance(expr, int):
        return float(expr)
    flat = cp_model_helper.FlatIntExpr(expr)
    chosen = {ctx.x[(rid, sid)].index for rid, sid in picks.items() if (rid, sid) in ctx.x}
    used = set(picks.values())
    chosen |= {var.index for sid, var in ctx.open.items() if not isinstance(var, int) and sid in used}
    return float(
        flat.offset + sum(c for v, c in zip(flat.vars, flat.coeffs, strict=True) if v.index in chosen)
    )


def apply_placement(ctx: PlacementContext, solver: cp_model.CpSolver, state: RosterState) -> None:
    for (rid, sid), var in ctx.x.items():
        if solver.boolean_value(var):
            state.place(rid, sid)


def construct_placements(
    index: Index,
    state: RosterState,
    free: list[tuple[Candidate, Request]],
    run: Run,
    published: dict[str, str],
) -> tuple[dict[str, StageStats], list[Block]]:
    """Greedy over the blocks, then greedy over the reachable sites for what is left (the spill): the
    first roster, placed before any CP-SAT model is built. Runs to the end even when cancelled (it
    takes seconds), so a cancelled run still returns a complete roster."""
    blocks = plan_blocks(index, free)
    stats = {block.name: construct_block(index, state, block, published) for block in blocks}
    left = [(c, r) for c, r in free if r.id not in state.placement]
    spill = spill_blocks(index, left) if left else []
    for block in spill:
        stats[block.name] = construct_block(index, state, block, published)
    return stats, blocks + spill


def improve_placements(
    index: Index,
    state: RosterState,
    stats: dict[str, StageStats],
    blocks: list[Block],
    run: Run,
    end: float,
    published: dict[str, str],
) -> None:
    """CP-SAT improves the blocks until ``end`` (seconds since the start): first, where requests are
    still unplaced, neighbourhood blocks swept by the pooled model (:func:`sweep_block`), costliest
    first, which may take ``SWEEP_EXTRA_SHARE`` of the time limit beyond ``end``; then each site's own
    candidates (:func:`home_block`), where the bound sees the most to gain first, until ``AWAY_SHARE``
    of the time limit before ``end``; then the requests seated away from home (:func:`away_blocks`),
    where they pay most beyond the cheapest seat elsewhere first, and until ``end`` the sites' blocks
    a sweep did not hold, costliest first; then what is still unplaced gets CP-SAT spill models over
    every reachable site."""
    for block in blocks:  # what each block costs now: the spill has placed some of what it left
        if block.name in stats:
            stats[block.name] = replace(stats[block.name], objective=placement_cost(index, state, block.requests))
    left = _unplaced(blocks, state)
    for block in neighbourhood_blocks(index, state, left):
        if block.name not in stats:
            blocks.append(block)
            stats[block.name] = StageStats(
                block.name, FEASIBLE, placement_cost(index, state, block.requests), 0.0, 0.0, 0
            )
    swept = {req.id for b in blocks if b.sweep for _, req in b.requests}
    order = sorted(
        (b for b in blocks if b.name in stats and (b.sweep or not _mostly_in(b, swept))),
        key=lambda b: (not b.sweep, -stats[b.name].objective),
    )
    # people to fit in are worth more than staff kilometres: sweeps may run past ``end``, the rest not
    sweeps_end = min(end + run.options.time_limit_s * SWEEP_EXTRA_SHARE, run.placement_end())
    _improve_in_order(index, state, [b for b in order if b.sweep], stats, run, sweeps_end, published)
    if not published:  # each site's own candidates, where the bound sees the most to gain first
        homes = _most_to_gain(home_blocks(index, state, run, swept), stats, lambda b: max(
            0.0, placement_cost(index, state, b.requests) - run.site_bounds.get(next(iter(b.location_ids)), 0.0)))
        aways_start = end - run.options.time_limit_s * AWAY_SHARE
        _improve_in_order(index, state, homes, stats, run, aways_start, published)
        # then the requests seated away from home, where they pay most beyond the cheapest seat elsewhere
        aways = _most_to_gain(away_blocks(index, state), stats, lambda b: _beyond_cheapest(index, state, b))
        _improve_in_order(index, state, aways, stats, run, end, published)
    _improve_in_order(index, state, [b for b in order if not b.sweep], stats, run, end, published)
    left = _unplaced(blocks, state)
    if left and not run.cancelled:
        spill = [b for b in spill_blocks(index, left, prefix="spill (improve)") if b.name not in stats]
        for block in spill:
            stats[block.name] = StageStats(block.name, FEASIBLE, placement_cost(index, state, block.requests), 0.0, 0.0, 0)
        spill_end = min(end + run.options.time_limit_s * run.options.spill_share, run.placement_end())
        _improve_in_order(index, state, spill, stats, run, spill_end, published)


def _unplaced(blocks: list[Block], state: RosterState) -> list[tuple[Candidate, Request]]:
    """The blocks' requests that sit nowhere, each once (blocks overlap)."""
    return list({r.id: (c, r) for b in blocks for c, r in b.requests if r.id not in state.placement}.values())


def _mostly_in(block: Block, request_ids: set[str], share: float = 0.9) -> bool:
    """Whether a sweep holds (nearly) all of a site's block: the sweep improves it, so the site's own
    model is skipped and its time goes to the sweep."""
    inside = sum(1 for _, req in block.requests if req.id in request_ids)
    return inside >= share * len(block.requests)


def _improve_in_order(
    index: Index,
    state: RosterState,
    order: list[Block],
    stats: dict[str, StageStats],
    run: Run,
    end: float,
    published: dict[str, str],
) -> None:
    for i, block in enumerate(order):
        if run.stop_requested():
            break
        share = (end - run.elapsed()) * _time_fraction(stats, order[i:])
        if share < 0.3:
            break
        step = sweep_block if block.sweep else home_block if block.home else improve_block
        stats[block.name] = step(index, state, block, run, share, published)


#: The most of the time left that one block may take, however much of the cost it holds (a sweep,
#: which holds unplaced requests, up to twice as much).
BLOCK_TIME_CAP = 0.25


def _time_fraction(stats: dict[str, StageStats], remaining: list[Block]) -> float:
    """The first remaining block's share of the time left: an equal share, or more when it holds more
    of the remaining cost (a block full of unplaced requests is worth minutes, a tidy one seconds), up
    to ``BLOCK_TIME_CAP``."""
    costs = [max(0.0, stats[b.name].objective) for b in remaining]
    equal = 1.0 / len(remaining)
    total = sum(costs)
    if total <= 0:
        return equal
    cap = 2 * BLOCK_TIME_CAP if remaining[0].sweep else BLOCK_TIME_CAP
    return max(equal, min(cap, costs[0] / total))


def place_blocks(
    index: Index, state: RosterState, blocks: list[Block], run: Run, end: float, published: dict[str, str]
) -> None:
    """Construct ``blocks`` greedily, then improve them with CP-SAT until ``end`` (a repair's re-solve)."""
    stats = {block.name: construct_block(index, state, block, published) for block in blocks}
    order = sorted(blocks, key=lambda b: -stats[b.name].objective)
    _improve_in_order(index, state, order, stats, run, end, published)
    run.stages.extend(stats[b.name] for b in blocks)


def unplaced_cost(index: Index, cand: Candidate) -> int:
    """What the placement objective charges for one unplaced request of ``cand``."""
    if index.settings.require_all_placed:
        return 0
    w = index.scenario.weights_for(cand.family)
    cost = w.unplaced
    cost += w.deadline if deadline_priority.is_urgent(index, cand) else 0
    cost += w.provisions if cand.provisions.any else 0
    return cost


# Staff decomposition -------------------------------------------------------------------------------


@dataclass
class StaffLedger:
    """Running totals that carry the rules spanning days into each day's model."""

    load: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    week: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    pair_days: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def record_day(self, index: Index, date: str, assignments: list[StaffAssignment]) -> None:
        week = Slot("", date, 0, 0).week
        pairs: set[tuple[str, str]] = set()
        by_session: dict[str, dict[str, str]] = defaultdict(dict)
        for a in assignments:
            self.load[a.examiner_id] += 1
            self.week[(a.examiner_id, week)] += 1
            by_session[a.session_id][a.role] = a.examiner_id
        for roles in by_session.values():
            if EXAMINATOR in roles and SECOND in roles:
                e1, e2 = roles[EXAMINATOR], roles[SECOND]
                pairs.add((e1, e2) if e1 < e2 else (e2, e1))
        for pair in pairs:
            self.pair_days[pair] += 1

    def week_load(self, date: str) -> dict[str, int]:
        week = Slot("", date, 0, 0).week
        return {eid: n for (eid, w), n in self.week.items() if w == week}


def solve_staff_day(
    index: Index,
    state: RosterState,
    date: str,
    ledger: StaffLedger,
    run: Run,
    time_limit: float,
    published: set[tuple[str, str, str]],
    keep_published: bool = False,
    need_cap: dict[tuple[str, str], int] | None = None,
    greedy_only: bool = False,
    scope: DayScope | None = None,
) -> list[StaffAssignment]:
    """One day's staff: the greedy roster, improved by CP-SAT when there is time for a model.
    ``greedy_only`` (the first roster, or no time left) builds no model and records no stage."""
    t0 = time.monotonic()
    scope = scope or DayScope()
    sessions = [
        sess
        for sess in staff_sessions_for_day(index, state, date)
        if scope.sites is None or sess.location_id in scope.sites
    ]
    if not sessions:
        return []
    for sess in sessions:  # a repair fills the places the disruption emptied, not older gaps
        for role in sess.need:
            if need_cap and (sess.sid, role) in need_cap:
                sess.need[role] = min(sess.need[role], need_cap[(sess.sid, role)])
    use_model = not greedy_only and time_limit >= 0.3
    ctx = build_staff(
        index,
        date,
        sessions,
        prior_load=dict(ledger.load),
        week_load=ledger.week_load(date),
        pair_days=dict(ledger.pair_days),
        published=published,
        keep_published=keep_published,
        variables=use_model,
        examiners=[ex for ex in index.scenario.examiners if ex.id not in scope.busy] if scope.busy else None,
    )
    chosen = greedy_staff(ctx)
    if not use_model:
        if not greedy_only:
            run.stages.append(
                StageStats(f"staff {date}", FEASIBLE, 0.0, 0.0, time.monotonic() - t0, len(ctx.a))
            )
        return [StaffAssignment(*key) for key in sorted(chosen)]
    add_staff_hint(ctx, chosen)
    sub = run_cp_sat(ctx.model, run, f"{STAFF_STAGE}{date}", time_limit)
    if sub.status not in (OPTIMAL, FEASIBLE, CANCELLED) or not sub.solver.response_proto.solution:
        status = INFEASIBLE if sub.status == INFEASIBLE else FEASIBLE  # no answer in time: the greedy day
        run.stages.append(StageStats(f"staff {date}", status, 0.0, 0.0, time.monotonic() - t0, len(ctx.a)))
        return [] if status == INFEASIBLE else [StaffAssignment(*key) for key in sorted(chosen)]
    solved = read_staff(ctx, sub.solver)
    greedy = [StaffAssignment(*key) for key in sorted(chosen)]
    if (len(greedy), -day_price(ctx, greedy)) > (len(solved), -day_price(ctx, solved)):
        # the greedy filled more places (it may reach beyond the model's shortlist), or as many for less
        run.stages.append(StageStats(f"staff {date}", FEASIBLE, 0.0, 0.0, time.monotonic() - t0, len(ctx.a)))
        return greedy
    run.stages.append(
        StageStats(f"staff {date}", sub.status, sub.objective, sub.bound, time.monotonic() - t0, len(ctx.a))
    )
    return solved


def day_price(ctx: StaffContext, assignments: list[StaffAssignment]) -> int:
    """What a day's duties cost in the terms the day decides: each person's day at a site (staff
    cost plus travel beyond the free distance) and each worn pair sitting together again."""
    index, weights = ctx.index, ctx.scenario.weights
    days = {(a.examiner_id, index.location_of(a.session_id).id) for a in assignments}
    price = sum(staff_travel.day_cost(index, index.examiner[eid], loc) for eid, loc in days)
    roles: dict[str, dict[str, str]] = defaultdict(dict)
    for a in assignments:
        roles[a.session_id][a.role] = a.examiner_id
    pairs = {
        pair_rotation.pair_key(r[EXAMINATOR], r[SECOND]) for r in roles.values() if EXAMINATOR in r and SECOND in r
    }
    worn = sum(1 for pair in pairs if ctx.pair_days.get(pair, 0) >= index.settings.max_pair_days)
    return price + weights.fairness * worn


def read_staff(ctx: StaffContext, solver: cp_model.CpSolver) -> list[StaffAssignment]:
    return [StaffAssignment(e, s, r) for (e, s, r), var in sorted(ctx.a.items()) if solver.boolean_value(var)]


def solve_staff(
    index: Index,
    state: RosterState,
    run: Run,
    *,
    dates: list[str] | None = None,
    fixed: list[StaffAssignment] | None = None,
    sites: dict[str, set[str]] | None = None,
    published: set[tuple[str, str, str]] | None = None,
    keep_published: bool = False,
    need_cap: dict[tuple[str, str], int] | None = None,
    greedy_only: bool = False,
) -> list[StaffAssignment]:
    """Staff day by day; returns the new assignments. ``fixed`` assignments stay as they are and count
    as workload (weekly limits see the whole week): in a repair, the other days, and on a re-rostered
    day the sites not re-rostered (``sites``: date -> the locations whose sessions are rostered again;
    people with a fixed duty elsewhere that day are busy). Each day gets an equal share of the time
    left but the finish reserve (:meth:`Run.finish_reserve`, for validating and explaining the result);
    a day whose share would not cover building its model (measured on the days before) keeps the greedy
    roster."""
    ledger = StaffLedger()
    by_date: dict[str, list[StaffAssignment]] = defaultdict(list)
    for a in fixed or []:
        by_date[index.slot[index.ref(a.session_id).slot_id].date].append(a)
    for date in index.dates:
        ledger.record_day(index, date, by_date.get(date, []))
    todo = [d for d in index.dates if dates is None or d in dates]
    out: list[StaffAssignment] = []
    overhead = 0.0
    for i, date in enumerate(todo):
        share = max(0.0, run.left() - run.finish_reserve()) / (len(todo) - i) - overhead
        greedy = greedy_only or run.stop_requested() or share < 0.3
        t0 = time.monotonic()
        scope = DayScope(
            sites.get(date) if sites is not None else None, {a.examiner_id for a in by_date.get(date, [])}
        )
        day = solve_staff_day(
            index, state, date, ledger, run, share, published or set(), keep_published, need_cap, greedy, scope
        )
        if not greedy:  # model building and reading, on top of the CP-SAT time
            overhead = max(overhead, time.monotonic() - t0 - share)
        ledger.record_day(index, date, day)
        out.extend(day)
    return out


@dataclass(frozen=True)
class DayScope:
    """What a day's staff model covers: the sessions at ``sites`` (all when ``None``), rostered from
    everyone not ``busy`` with a fixed duty elsewhere that day."""

    sites: set[str] | None = None
    busy: set[str] = field(default_factory=set)


# The whole pipeline ---------------------------------------------------------------------------------


def aggregate_status(run: Run) -> str:
    statuses = {s.status for s in run.stages}
    if run.cancelled:
        return CANCELLED
    if MODEL_INVALID in statuses:
        return MODEL_INVALID
    if INFEASIBLE in statuses:
        return INFEASIBLE
    if UNKNOWN in statuses:
        return UNKNOWN
    if statuses <= {OPTIMAL}:
        return OPTIMAL
    return FEASIBLE


def finish(
    scenario: Scenario,
    index: Index,
    state: RosterState,
    staff: list[StaffAssignment],
    run: Run,
    *,
    explain_requests: set[str] | None = None,
    explain_dates: set[str] | None = None,
) -> Result:
    """Validate the roster independently, recompute penalties and explain what is left unserved."""
    from scheduling import explain, validator

    solution = state.solution(tuple(sorted(staff, key=lambda a: (a.session_id, a.role, a.examiner_id))))
    report = validator.validate(scenario, solution, index=index)
    objective, bound = float(report.total()), run.lower_bound
    unplaced = (
        explain.explain_all_unplaced(index, solution, explain_requests, limit=run.options.explain_limit)
        if run.options.explain
        else ()
    )
    uncovered = explain.explain_all_uncovered(index, solution, explain_dates) if run.options.explain else ()
    return Result(
        status=aggregate_status(run),
        solution=solution,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(objective, bound),
        elapsed_s=run.elapsed(),
        unplaced=unplaced,
        uncovered=uncovered,
        penalties=tuple(report.penalties),
        breakdown=tuple(sorted(report.breakdown().items())),
        violations=tuple(v.message for v in report.violations),
        stages=tuple(run.stages),
    )


def relative_gap(objective: float, bound: float) -> float:
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1.0, abs(objective))


def pinned_state(index: Index) -> RosterState:
    """The roster the pins force before anything is solved."""
    state = RosterState(index)
    for pin in index.scenario.pins:
        if pin.request_id and pin.request_id in index.request:
            state.place(pin.request_id, pin.session_id)
    return state


def solve(scenario: Scenario, options: SolveOptions | None = None) -> Result:
    """Plan sessions, placements and staff for a scenario from scratch (pins kept).

    1. Greedy construction of every block and the spill, then greedy staff for every day: a complete
       roster (reported as the ``first roster`` stage) before any CP-SAT model is built.
    2. The lower bound of :mod:`scheduling.bound` (plain Python, independent of the roster).
    3. CP-SAT improves the blocks (costliest first) and the spill within their shares of the time.
    4. Staff is rostered again day by day on the improved placement, by CP-SAT while time lasts.
    """
    options = options or SolveOptions()
    run = Run(options)
    index = Index(scenario)
    state = pinned_state(index)
    free = [(c, r) for c in scenario.candidates for r in c.requests if r.id not in state.placement]
    stats, blocks = construct_placements(index, state, free, run, {})
    t0 = time.monotonic()
    staff = solve_staff(index, state, run, greedy_only=True)
    run.staff_reserve_s = STAFF_RESERVE * (time.monotonic() - t0)
    if options.progress:
        options.progress(Progress(FIRST_ROSTER, run.elapsed(), None, None))
    bound = lower_bound(index, run)
    run.lower_bound = bound.value
    run.site_bounds = {b.site: b.value for b in bound.blocks}
    run.site_unplaced = {b.site: b.unplaced for b in bound.blocks}
    if options.progress:
        options.progress(Progress(LOWER_BOUND, run.elapsed(), None, run.lower_bound))
    first = dict(state.placement)
    end = min(options.time_limit_s * options.placement_share, run.placement_end())
    improve_placements(index, state, stats, blocks, run, end, {})
    run.stages.extend(stats.values())
    if state.placement != first or run.left() >= 0.3 and not run.stop_requested():
        # the first staff roster stays when nothing moved and there is no time for a model
        staff = solve_staff(index, state, run, greedy_only=run.cancelled)
    return finish(scenario, index, state, staff, run)
