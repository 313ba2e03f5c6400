"""Requests seated away from home: the home blocks and sweeps seat them wherever a seat was free at the
time; the away blocks move them to the nearer seats that have opened since. And a pooled step stops
looking for seats once it has seated as many as the lower bound proves possible."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from scheduling import solve as solve_module
from scheduling.bound import lower_bound
from scheduling.builder import build_staff, staff_sessions_for_day
from scheduling.context import Index
from scheduling.model import (
    INVIGILATOR,
    ORAL,
    VO,
    Candidate,
    Examiner,
    Location,
    Part,
    Request,
    Room,
    Scenario,
)
from scheduling.solve import (
    Block,
    Progress,
    RosterState,
    Run,
    SolveOptions,
    _fewest_unplaced,
    away_blocks,
    improve_block,
    placement_cost,
    run_cp_sat,
    sweep_block,
)
from scheduling.validator import validate
from scheduling.warmstart import _close_costly_days, _DayRoster
from tests.scheduling.factories import SLOTS, candidate, scenario

MAIN = Part("VO-NL-vmbo", VO, "VO oral NL vmbo", ORAL, 25, prep_min=20, subject="NL", level="vmbo")
HOME = Location("H", "School Home", 52.37, 4.90, families=(VO,))
NEAR = Location("N", "School Near", 52.33, 4.88, families=(VO,))  # about 5 km away
FAR = Location("F", "School Far", 52.15, 4.90, families=(VO,))  # about 24 km away


def crowded_home() -> Scenario:
    """The home school's one oral room-slot holds six of its eight candidates; the near and the far
    school each have a free room."""
    candidates = [
        Candidate(f"M{i}", VO, HOME.lat, HOME.lon, (Request(f"M{i}/nl", MAIN.id),),
                  preferred_location_ids=(HOME.id,), school_id=HOME.id)
        for i in range(8)
    ]
    return Scenario(
        name="crowded-home",
        locations=(HOME, NEAR, FAR),
        rooms=(Room("H-O1", HOME.id, ORAL, 1), Room("N-O1", NEAR.id, ORAL, 1), Room("F-O1", FAR.id, ORAL, 1)),
        slots=SLOTS[:1],
        parts=(MAIN,),
        examiners=(),
        candidates=tuple(candidates),
    )


def site_of(index: Index, state: RosterState, rid: str) -> str:
    return index.location_of(state.placement[rid]).id


def test_requests_seated_far_from_home_move_to_the_nearer_free_room():
    sc = crowded_home()
    index = Index(sc)
    state = RosterState(index)
    slot = SLOTS[0].id
    for i in range(6):
        state.place(f"M{i}/nl", f"{MAIN.id}@H-O1@{slot}")
    for i in (6, 7):  # where a greedy left them when the near room was still taken
        state.place(f"M{i}/nl", f"{MAIN.id}@F-O1@{slot}")
    blocks = away_blocks(index, state)
    assert {req.id for block in blocks for _, req in block.requests} == {"M6/nl", "M7/nl"}
    everyone = [(c, r) for c in sc.candidates for r in c.requests]
    before = placement_cost(index, state, everyone)
    for block in blocks:
        improve_block(index, state, block, Run(SolveOptions(time_limit_s=10, num_workers=1)), 10.0, {})
    assert {site_of(index, state, f"M{i}/nl") for i in (6, 7)} == {NEAR.id}
    assert {site_of(index, state, f"M{i}/nl") for i in range(6)} == {HOME.id}  # home seats untouched
    assert placement_cost(index, state, everyone) < before
    assert validate(sc, state.solution(())).ok


def test_nobody_seated_at_home_makes_an_away_block():
    sc = crowded_home()
    index = Index(sc)
    state = RosterState(index)
    for i in range(6):
        state.place(f"M{i}/nl", f"{MAIN.id}@H-O1@{SLOTS[0].id}")
    assert away_blocks(index, state) == []


def test_the_fewest_unplaced_a_pooled_step_can_reach_comes_from_the_bound():
    # one oral room, four 3-hour slots, 45 committee minutes per oral: 16 of 18 orals fit at the school
    sc = scenario(*[candidate(f"V{i:02d}", "VO-NL-H", family=VO, school_id="S") for i in range(18)])
    index = Index(sc)
    run = Run(SolveOptions(time_limit_s=5, num_workers=1))
    bound = lower_bound(index, run)
    run.site_unplaced = {b.site: b.unplaced for b in bound.blocks}
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    (site,) = run.site_unplaced
    block = Block("sweep", requests, {site}, SLOTS[0].date, SLOTS[-1].date)
    state = RosterState(index)
    assert _fewest_unplaced(index, state, run, block, requests) == 2
    # one of them left out of the step and unplaced: the step itself need leave only one more
    assert _fewest_unplaced(index, state, run, block, requests[1:]) == 1
    assert _fewest_unplaced(index, state, run, block, requests[2:]) == 0


def test_a_sweep_stops_stepping_once_it_has_seated_everyone_the_bound_allows(monkeypatch):
    # 16 of the 18 orals fit (as above); a cluster too large to solve whole is swept day pair by day pair
    sc = scenario(*[candidate(f"V{i:02d}", "VO-NL-H", family=VO, school_id="S") for i in range(18)])
    index = Index(sc)
    run = Run(SolveOptions(time_limit_s=60, num_workers=1, seed=1))
    run.site_unplaced = {b.site: b.unplaced for b in lower_bound(index, run).blocks}
    (site,) = run.site_unplaced
    block = Block("sweep", [(c, r) for c in sc.candidates for r in c.requests], {site}, SLOTS[0].date,
                  SLOTS[-1].date, sweep=True)
    monkeypatch.setattr(solve_module, "POOLED_WHOLE_MAX", 0)
    steps = []
    real = solve_module.pool_block
    monkeypatch.setattr(solve_module, "pool_block", lambda *a, **kw: steps.append(a[2].name) or real(*a, **kw))
    state = RosterState(index)
    sweep_block(index, state, block, run, 30.0, {})
    # the first step seats the 16; a second round would build the model again to find nobody more to seat
    assert len(state.placement) == 16
    assert len(steps) == 1, steps


def _cover_model() -> cp_model.CpModel:
    """A small covering problem whose first solution (the hint: take everything) is far from optimal."""
    rng = random.Random(4)
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{i}") for i in range(60)]
    weights = [rng.randint(5, 40) for _ in xs]
    costs = [rng.randint(1, 30) for _ in xs]
    model.add(sum(w * x for w, x in zip(weights, xs, strict=True)) >= 400)
    for i in range(0, 58, 3):
        model.add(xs[i] + xs[i + 1] + xs[i + 2] <= 2)
    model.minimize(sum(c * x for c, x in zip(costs, xs, strict=True)))
    for x in xs:
        model.add_hint(x, 1)
    return model


def test_a_search_stops_at_the_first_solution_that_is_enough():
    reported: list[Progress] = []
    options = SolveOptions(time_limit_s=10, num_workers=1, gap_limit=0.0, progress=reported.append)
    full = run_cp_sat(_cover_model(), Run(options), "all", 10.0)
    assert full.status == "OPTIMAL" and len(reported) > 1  # the control: several improving solutions
    reported.clear()
    sub = run_cp_sat(_cover_model(), Run(options), "enough", 10.0, enough=lambda cb: True)
    assert len(reported) == 1
    assert sub.status == "FEASIBLE" and sub.objective > full.objective  # stopped before the optimum


def test_a_paid_day_is_closed_when_a_colleague_at_the_site_can_take_its_duty():
    local = Examiner("L", "Local", 52.37, 4.90, (INVIGILATOR,))
    far = Examiner("F", "Far", 52.52, 6.09, (INVIGILATOR,))  # about 80 km: a costly day
    sc = scenario(candidate("C1", "NT2-I-R"), candidate("C2", "NT2-I-S"), examiners=(local, far))
    index = Index(sc)
    state = RosterState(index)
    am, pm = f"NT2-I-R@AMS-C1@{SLOTS[0].id}", f"NT2-I-S@AMS-C1@{SLOTS[1].id}"
    state.place("C1/NT2-I-R", am)
    state.place("C2/NT2-I-S", pm)
    sessions = staff_sessions_for_day(index, state, SLOTS[0].date)
    ctx = build_staff(index, SLOTS[0].date, sessions, prior_load={}, week_load={}, pair_days={}, variables=False)
    options: dict[tuple[str, str], list[str]] = {}
    for eid, sid, role in ctx.a:
        options.setdefault((sid, role), []).append(eid)
    roster = _DayRoster(ctx)
    roster.take("F", ctx.session(am), INVIGILATOR)  # what an unlucky order leaves: the far person called in
    roster.take("L", ctx.session(pm), INVIGILATOR)
    _close_costly_days(roster, options, set())
    assert roster.chosen == {("L", am, INVIGILATOR), ("L", pm, INVIGILATOR)}
    # a published duty stays, whatever it costs
    roster = _DayRoster(ctx)
    roster.take("F", ctx.session(am), INVIGILATOR)
    roster.take("L", ctx.session(pm), INVIGILATOR)
    _close_costly_days(roster, options, {("F", am, INVIGILATOR)})
    assert ("F", am, INVIGILATOR) in roster.chosen
