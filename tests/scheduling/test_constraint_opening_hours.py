from dataclasses import replace

from scheduling.constraints import opening_hours
from scheduling.model import Placement, Solution
from tests.scheduling.factories import AMSTERDAM, ZWOLLE, candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok

LATE_OPENING = replace(AMSTERDAM, open_min=12 * 60)


def test_sessions_only_inside_opening_hours():
    sc = scenario(candidate("C1", "NT2-I-R"), locations=(LATE_OPENING, ZWOLLE))
    assert placed(solve_ok(sc))["C1/NT2-I-R"].endswith("-pm")


def test_closed_in_every_slot_is_infeasible():
    closed = replace(AMSTERDAM, open_min=17 * 60)
    solve_infeasible(strict(scenario(candidate("C1", "NT2-I-R"), locations=(closed, ZWOLLE))))


def test_validator_flags_session_before_opening():
    sc = scenario(candidate("C1", "NT2-I-R"), locations=(LATE_OPENING, ZWOLLE))
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), opening_hours.NAME)
