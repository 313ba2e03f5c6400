from scheduling.constraints import accessible_room
from scheduling.model import COMPUTER, Placement, Provisions, Room, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok, unplaced_rules

PROV = Provisions(accessible=True)


def test_provision_room_is_used():
    result = solve_ok(strict(scenario(candidate("C1", "NT2-I-R", provisions=PROV))))
    room = placed(result)["C1/NT2-I-R"].split("@")[1]
    assert room in ("AMS-C1", "AMS-SEP")


def test_no_suitable_room_is_infeasible_and_explained():
    sc = scenario(candidate("C1", "NT2-I-R", provisions=PROV), rooms=(Room("AMS-C2", "AMS", COMPUTER, 4),))
    solve_infeasible(strict(sc))
    assert accessible_room.NAME in unplaced_rules(solve_ok(sc))


def test_validator_flags_unsuitable_room():
    sc = scenario(candidate("C1", "NT2-I-R", provisions=PROV))
    sid = "NT2-I-R@AMS-C2@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), accessible_room.NAME)
