from scheduling.constraints import pins
from scheduling.model import LOCATION_CLOSED, Disruption, Pin, Placement, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok

PINNED = "NT2-I-R@AMS-C2@d2-pm"


def test_pinned_request_stays_in_its_session():
    sc = scenario(
        candidate("C1", "NT2-I-R"), candidate("C2", "NT2-I-R"), pins=(Pin(PINNED, request_id="C1/NT2-I-R"),)
    )
    assert placed(solve_ok(sc))["C1/NT2-I-R"] == PINNED


def test_pin_elsewhere_than_allowed_is_infeasible():
    sc = scenario(
        candidate("C1", "NT2-I-R", "NT2-I-S"),
        pins=(Pin(PINNED, request_id="C1/NT2-I-R"),),
        disruptions=(Disruption(LOCATION_CLOSED, "AMS", ("2026-06-01",)),),
    )
    # Speaking may only go on day 1 (closed) or day 2 (the pinned Reading day): NT2 one part per day
    solve_infeasible(strict(sc))


def test_validator_flags_moved_pin():
    sc = scenario(candidate("C1", "NT2-I-R"), pins=(Pin(PINNED, request_id="C1/NT2-I-R"),))
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), pins.NAME)
