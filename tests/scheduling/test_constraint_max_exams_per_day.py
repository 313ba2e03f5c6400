from scheduling.constraints import max_exams_per_day
from scheduling.model import INBURGERING, Placement, Settings, Solution
from tests.scheduling.factories import SLOTS, candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok

ONE_A_DAY = Settings(max_exams_per_day=1)


def _cand(**kw):
    return candidate("C1", "INB-R", "INB-W", family=INBURGERING, **kw)


def test_exams_spread_over_days():
    result = solve_ok(strict(scenario(_cand(), settings=ONE_A_DAY)))
    assert len({p.session_id.split("@")[2][:2] for p in result.solution.placements}) == 2


def test_one_day_with_limit_one_is_infeasible():
    solve_infeasible(strict(scenario(_cand(), slots=SLOTS[:2], settings=ONE_A_DAY)))


def test_same_day_request_lifts_the_limit():
    solve_ok(strict(scenario(_cand(same_day=True), slots=SLOTS[:2], settings=ONE_A_DAY)))


def test_validator_flags_too_many():
    sc = scenario(_cand(), settings=ONE_A_DAY)
    a, b = "INB-R@AMS-C1@d1-am", "INB-W@AMS-P1@d1-pm"
    flags(sc, Solution((a, b), (Placement("C1/INB-R", a), Placement("C1/INB-W", b))), max_exams_per_day.NAME)
