"""The solve step: explicit status mapping, progress, cancel keeping the best, decomposition."""

import pytest
from ortools.sat.python import cp_model

from scheduling import synthetic
from scheduling.context import Index
from scheduling.model import CANCELLED, FEASIBLE, INFEASIBLE, MODEL_INVALID, OPTIMAL, UNKNOWN
from scheduling.solve import SolveOptions, map_status, plan_blocks, solve
from scheduling.validator import validate


@pytest.mark.parametrize(
    ("code", "cancelled", "expected"),
    [
        (cp_model.OPTIMAL, False, OPTIMAL),
        (cp_model.FEASIBLE, False, FEASIBLE),
        (cp_model.INFEASIBLE, False, INFEASIBLE),
        (cp_model.MODEL_INVALID, False, MODEL_INVALID),
        (cp_model.UNKNOWN, False, UNKNOWN),
        (cp_model.FEASIBLE, True, CANCELLED),
        (cp_model.UNKNOWN, True, CANCELLED),
        (cp_model.OPTIMAL, True, OPTIMAL),
    ],
)
def test_every_status_is_mapped(code, cancelled, expected):
    assert map_status(code, cancelled) == expected


def test_unknown_status_code_is_an_error():
    with pytest.raises(ValueError):
        map_status(99, False)


def test_progress_reports_objective_and_bound():
    seen = []
    result = solve(synthetic.small(2, n_candidates=10), SolveOptions(time_limit_s=5, progress=seen.append))
    assert seen and all(p.elapsed_s >= 0 for p in seen)
    assert any(p.bound is not None for p in seen)
    assert result.objective >= result.best_bound - 1e-6


def test_cancel_keeps_the_best_roster_found():
    sc = synthetic.small(6, n_candidates=12)
    result = solve(sc, SolveOptions(time_limit_s=5, should_stop=lambda: True))
    assert result.status == CANCELLED
    assert validate(sc, result.solution).ok
    assert result.solution.placements  # the warm start survives a cancel


def test_blocks_group_candidates_by_site_and_week():
    sc = synthetic.nt2_inburgering_month(seed=2, n_parts=400, n_invigilators=10)
    index = Index(sc)
    free = [(c, r) for c in sc.candidates for r in c.requests]
    blocks = plan_blocks(index, free)
    assert sum(len(b.requests) for b in blocks) == len(free)
    for block in blocks:
        assert len(block.location_ids) == 1
        assert len({c.id for c, _ in block.requests}) == len({c.id for c, _ in block.requests})
        cands = {c.id for c, _ in block.requests}
        assert all(
            r.id in {q.id for _, q in block.requests}
            for c in sc.candidates
            if c.id in cands
            for r in c.requests
        )


def test_seed_makes_runs_reproducible():
    sc = synthetic.small(8, n_candidates=10)
    one = solve(sc, SolveOptions(time_limit_s=5, seed=4, num_workers=1))
    two = solve(sc, SolveOptions(time_limit_s=5, seed=4, num_workers=1))
    assert one.solution == two.solution


def test_a_costly_block_gets_more_of_the_time_but_never_most_of_it():
    from scheduling.model import StageStats
    from scheduling.solve import BLOCK_TIME_CAP, Block, _time_fraction

    def blocks(*costs):
        order = [Block(f"b{i}", [], set(), "", "") for i in range(len(costs))]
        return {b.name: StageStats(b.name, "FEASIBLE", c, 0.0, 0.0, 0) for b, c in zip(order, costs)}, order

    stats, order = blocks(90.0, *[1.0] * 9)
    assert _time_fraction(stats, order) == BLOCK_TIME_CAP  # 91 % of the cost, a quarter of the time
    stats, order = blocks(1.0, 50.0, 49.0)
    assert _time_fraction(stats, order) == 1 / 3  # a cheap block still gets its equal share
    stats, order = blocks(0.0, 0.0)
    assert _time_fraction(stats, order) == 1 / 2
