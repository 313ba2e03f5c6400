from scheduling.constraints import extra_time
from scheduling.model import Placement, Provisions, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, unplaced_rules


def test_extra_time_that_fits_is_placed():
    solve_ok(strict(scenario(candidate("C1", "NT2-I-R", provisions=Provisions(extra_min=30)))))


def test_extra_time_beyond_every_slot_is_infeasible_and_explained():
    sc = scenario(candidate("C1", "NT2-I-R", provisions=Provisions(extra_min=120)))
    solve_infeasible(strict(sc))
    result = solve_ok(sc)
    assert extra_time.NAME in unplaced_rules(result)
    assert "extra time" in result.unplaced[0].reasons[0]


def test_validator_flags_extra_time_overrun():
    sc = scenario(candidate("C1", "NT2-I-R", provisions=Provisions(extra_min=120)))
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), extra_time.NAME)
