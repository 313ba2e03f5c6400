from scheduling.constraints import large_print
from scheduling.model import COMPUTER, Placement, Provisions, Room, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok, unplaced_rules

PROV = Provisions(large_print=True)


def test_provision_room_is_used():
    result = solve_ok(strict(scenario(candidate("C1", "NT2-I-R", provisions=PROV))))
    room = placed(result)["C1/NT2-I-R"].split("@")[1]
    assert room in ("AMS-C2", "AMS-SEP")


def test_no_suitable_room_is_infeasible_and_explained():
    sc = scenario(
        candidate("C1", "NT2-I-R", provisions=PROV),
        rooms=(Room("AMS-C1", "AMS", COMPUTER, 4, accessible=True),),
    )
    solve_infeasible(strict(sc))
    assert large_print.NAME in unplaced_rules(solve_ok(sc))


def test_validator_flags_unsuitable_room():
    sc = scenario(candidate("C1", "NT2-I-R", provisions=PROV))
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), large_print.NAME)
