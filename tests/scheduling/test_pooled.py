"""The pooled placement model: a site's interchangeable rooms form one pool per slot; its solutions,
unpacked into rooms, keep every hard rule, and it prices a placement as the room-by-room model does."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduling import pooled, synthetic
from scheduling.builder import RosterState, build_placement
from scheduling.context import Index
from scheduling.model import ORAL, VO, Candidate, Part, Request, Room, Scenario
from scheduling.solve import Block, Run, SolveOptions, objective_of, pool_block, sweep_block, unplaced_cost
from scheduling.validator import validate
from scheduling.warmstart import greedy_placement
from tests.scheduling.factories import SLOTS
from tests.scheduling.test_neighbourhood import NORTH

PARTS = tuple(
    Part(f"VO-{s}", VO, f"VO oral {s} havo", ORAL, 40, prep_min=20, subject=s, level="havo")
    for s in ("NL", "EN", "WI")
)


def one_school(parts_of_candidates: list[str], n_rooms: int = 2) -> Scenario:
    """One school, ``n_rooms`` identical oral rooms, one half-day: each candidate asks for one part."""
    candidates = tuple(
        Candidate(f"C{i}", VO, NORTH.lat, NORTH.lon, (Request(f"C{i}/{p}", p),), school_id="N")
        for i, p in enumerate(parts_of_candidates)
    )
    return Scenario(
        name="one-school",
        locations=(NORTH,),
        rooms=tuple(Room(f"N-O{i + 1}", "N", ORAL, 1) for i in range(n_rooms)),
        slots=SLOTS[:1],
        parts=PARTS,
        candidates=candidates,
    )


def whole(sc: Scenario, requests) -> Block:
    dates = sorted({s.date for s in sc.slots})
    return Block("all", requests, {loc.id for loc in sc.locations}, dates[0], dates[-1])


def whole_model(sc: Scenario, index: Index, requests) -> pooled.PooledModel | None:
    """The pooled model of ``requests`` over every site and day of ``sc``, nothing placed yet."""
    block = whole(sc, requests)
    return pooled.build(
        index,
        RosterState(index),
        requests,
        location_ids=block.location_ids,
        date_from=block.date_from,
        date_to=block.date_to,
        unplaced_cost=unplaced_cost,
    )


def run(limit: float = 5.0) -> Run:
    return Run(SolveOptions(time_limit_s=limit, num_workers=1, seed=1))


def test_a_pool_opens_no_more_sessions_than_its_rooms():
    sc = one_school(["VO-NL", "VO-EN", "VO-WI", "VO-NL"])
    index = Index(sc)
    state = RosterState(index)
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    pool_block(index, state, whole(sc, requests), run(), 5.0, {})
    assert validate(sc, state.solution()).ok
    parts = {index.ref(sid).part_id for sid in state.placement.values()}
    assert len(state.open_sessions) == 2
    assert "VO-NL" in parts  # the part two candidates share wins one of the two rooms
    assert len(state.placement) == 3


def test_every_request_the_pooled_model_places_gets_a_room():
    sc = one_school(["VO-NL", "VO-EN", "VO-WI", "VO-NL", "VO-WI", "VO-EN"], n_rooms=2)
    index = Index(sc)
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    pm = whole_model(sc, index, requests)
    solver = cp_model.CpSolver()
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    chosen = sum(solver.boolean_value(var) for var in pm.y.values())
    picks = pooled.unpool(pm, solver)
    assert chosen == len(picks) == 4  # two rooms, two sessions of two: nobody dropped when unpacking
    assert pm.cost(picks) == round(solver.objective_value)


def test_a_room_taken_by_someone_outside_the_block_is_not_pooled_but_its_session_can_be_joined():
    sc = one_school(["VO-NL", "VO-EN", "VO-NL"])
    index = Index(sc)
    state = RosterState(index)
    outsider, *block = [(c, r) for c in sc.candidates for r in c.requests]
    state.place(outsider[1].id, "VO-NL@N-O1@d1-am")
    pool_block(index, state, whole(sc, block), run(), 5.0, {})
    report = validate(sc, state.solution())
    assert report.ok, [v.message for v in report.violations]
    assert state.placement["C2/VO-NL"] == "VO-NL@N-O1@d1-am"  # joined the open session
    assert state.placement["C1/VO-EN"] == "VO-EN@N-O2@d1-am"  # the one free room


def test_the_pooled_price_of_a_placement_is_the_room_by_room_objective():
    sc = synthetic.vo_oral_season(seed=4, n_candidates=60, n_examiners=30, n_locations=6, weeks=3)
    sc = replace(sc, settings=replace(sc.settings, max_rooms_per_slot=0))
    index = Index(sc)
    state = RosterState(index)
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    block = whole(sc, requests)
    kwargs = {"location_ids": block.location_ids, "date_from": block.date_from, "date_to": block.date_to}
    picks = greedy_placement(build_placement(index, requests, state, variables=False, **kwargs))
    assert picks
    ctx = build_placement(index, requests, state, **kwargs)
    pm = whole_model(sc, index, requests)
    assert pm is not None
    assert pm.cost(picks) == objective_of(ctx, picks)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 40), locations=st.integers(2, 5))
def test_every_pooled_sweep_keeps_the_hard_rules(seed, n, locations):
    sc = synthetic.vo_oral_season(seed=seed, n_candidates=n, n_examiners=10, n_locations=locations, weeks=3)
    index = Index(sc)
    state = RosterState(index)
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    block = replace(whole(sc, requests), sweep=True)
    stage = sweep_block(index, state, block, run(20.0), 4.0, {})
    report = validate(sc, state.solution())
    placement_rules = [v for v in report.violations if v.rule not in ("Staff coverage",)]
    assert not placement_rules, [v.message for v in placement_rules]
    assert stage.objective >= 0


def test_a_candidate_who_asked_for_one_day_is_not_split_over_two():
    cand = Candidate(
        "C0", VO, NORTH.lat, NORTH.lon, (Request("C0/NL", "VO-NL"), Request("C0/EN", "VO-EN")), same_day=True
    )
    sc = replace(one_school([]), slots=SLOTS, candidates=(cand,))
    index = Index(sc)
    requests = [(cand, r) for r in cand.requests]
    pm = whole_model(sc, index, requests)
    by_slot = {(rid, key[-1]): var for (rid, key), var in pm.y.items()}
    pm.model.add(by_slot[("C0/NL", "d1-am")] == 1)
    pm.model.add(by_slot[("C0/EN", "d2-am")] == 1)  # the same site, the next day
    assert cp_model.CpSolver().solve(pm.model) == cp_model.INFEASIBLE
