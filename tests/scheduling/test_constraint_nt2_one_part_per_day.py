from scheduling.constraints import nt2_one_part_per_day
from scheduling.model import Placement, Solution
from tests.scheduling.factories import SLOTS, candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok


def test_nt2_parts_on_different_days():
    result = solve_ok(strict(scenario(candidate("C1", "NT2-I-R", "NT2-I-S"))))
    assert len({p.session_id.split("@")[2][:2] for p in result.solution.placements}) == 2


def test_nt2_two_parts_one_day_is_infeasible():
    solve_infeasible(strict(scenario(candidate("C1", "NT2-I-R", "NT2-I-S"), slots=SLOTS[:2])))


def test_validator_flags_two_parts_a_day():
    sc = scenario(candidate("C1", "NT2-I-R", "NT2-I-S"))
    a, b = "NT2-I-R@AMS-C1@d1-am", "NT2-I-S@AMS-C1@d1-pm"
    flags(
        sc,
        Solution((a, b), (Placement("C1/NT2-I-R", a), Placement("C1/NT2-I-S", b))),
        nt2_one_part_per_day.NAME,
    )
