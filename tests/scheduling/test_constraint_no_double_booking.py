from scheduling.constraints import no_double_booking
from scheduling.model import INBURGERING, Placement, Solution
from tests.scheduling.factories import SLOTS, candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok


def _cand():
    return candidate("C1", "INB-R", "INB-W", family=INBURGERING)


def test_two_exams_in_different_slots():
    result = solve_ok(strict(scenario(_cand(), slots=SLOTS[:2])))
    assert len({p.session_id.split("@")[2] for p in result.solution.placements}) == 2


def test_one_slot_for_two_exams_is_infeasible():
    solve_infeasible(strict(scenario(_cand(), slots=SLOTS[:1])))


def test_validator_flags_overlap():
    sc = scenario(_cand())
    a, b = "INB-R@AMS-C1@d1-am", "INB-W@AMS-P1@d1-am"
    flags(sc, Solution((a, b), (Placement("C1/INB-R", a), Placement("C1/INB-W", b))), no_double_booking.NAME)
