"""The lower bound: never above any roster's total penalty, and it sees what room capacity forces."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling import synthetic
from scheduling.bound import lower_bound
from scheduling.context import Index
from scheduling.model import VO, Weights
from scheduling.solve import Run, SolveOptions, solve
from scheduling.validator import validate
from tests.scheduling.factories import candidate, scenario
from tests.scheduling.helpers import FAST, solve_ok

QUICK = SolveOptions(time_limit_s=2.0, num_workers=2, seed=3)


def _bound(sc) -> float:
    return lower_bound(Index(sc), Run(QUICK)).value


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 14), seats=st.integers(1, 4), staff=st.integers(0, 5))
def test_bound_never_exceeds_the_total_of_a_returned_roster(seed, n, seats, staff):
    sc = synthetic.small(seed, n_candidates=n, seats=seats, n_staff=staff)
    result = solve(sc, QUICK)
    total = validate(sc, result.solution).total()
    assert 0 <= result.best_bound == _bound(sc) <= total
    assert result.objective == total
    unplaced = sum(len(c.requests) for c in sc.candidates) - len(result.solution.placements)
    assert lower_bound(Index(sc), Run(QUICK)).unplaced <= unplaced  # the fewest any roster leaves


def test_one_oral_room_for_more_orals_than_it_holds_proves_the_unplaced():
    # one oral room, four 3-hour slots, 45 committee minutes per oral: at most 16 orals fit
    cands = [candidate(f"V{i:02d}", "VO-NL-H", family=VO, school_id="S") for i in range(18)]
    sc = scenario(*cands)
    result = solve_ok(sc, FAST)
    unplaced = Weights().unplaced
    assert result.best_bound >= 2 * unplaced
    assert len(result.solution.placements) == 16
    assert result.best_bound <= result.objective
    assert result.gap < 0.01
    assert lower_bound(Index(sc), Run(QUICK)).unplaced == 2  # so no sweep searches for a 17th seat


def test_a_closed_site_leaves_nothing_to_place_and_the_bound_counts_it():
    cands = [candidate("C1", "NT2-I-R"), candidate("C2", "INB-R")]
    sc = scenario(*cands, rooms=())
    assert _bound(sc) == 2 * Weights().unplaced
    assert lower_bound(Index(sc), Run(QUICK)).unplaced == 2
