from scheduling.constraints import candidate_availability
from scheduling.model import Placement, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok, unplaced_rules


def test_window_and_unavailable_dates_are_respected():
    sc = scenario(
        candidate("C1", "NT2-I-R", window_start="2026-06-02"),
        candidate("C2", "NT2-I-S", unavailable_dates=("2026-06-01",)),
    )
    result = solve_ok(strict(sc))
    assert all("d2" in sid for sid in placed(result).values())


def test_window_outside_the_horizon_is_infeasible_and_explained():
    sc = scenario(candidate("C1", "NT2-I-R", window_start="2026-07-01"))
    solve_infeasible(strict(sc))
    assert candidate_availability.NAME in unplaced_rules(solve_ok(sc))


def test_validator_flags_date_outside_window():
    sc = scenario(candidate("C1", "NT2-I-R", window_end="2026-06-01"))
    sid = "NT2-I-R@AMS-C1@d2-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), candidate_availability.NAME)
