from dataclasses import replace

from scheduling.constraints import room_equipment
from scheduling.model import PAPER, Placement, Room, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok, unplaced_rules


def test_computer_part_goes_to_a_computer_room():
    sc = scenario(candidate("C1", "NT2-I-R"))
    sid = placed(solve_ok(sc))["C1/NT2-I-R"]
    assert "-C" in sid.split("@")[1] or "SEP" in sid


def test_no_computer_room_is_infeasible_and_explained():
    sc = scenario(candidate("C1", "NT2-I-R"), rooms=(Room("AMS-P1", "AMS", PAPER, 10),))
    solve_infeasible(strict(sc))
    assert solve_ok(sc).unplaced


def test_validator_flags_part_in_wrong_room():
    sc = scenario(candidate("C1", "NT2-I-R"))
    sid = "NT2-I-R@AMS-P1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), room_equipment.NAME)


def test_location_not_hosting_the_family_is_refused():
    sc = scenario(candidate("C1", "NT2-I-R"))
    sc = replace(sc, locations=tuple(replace(loc, families=("VO",)) for loc in sc.locations))
    result = solve_ok(sc)
    assert room_equipment.NAME in unplaced_rules(result)
    assert "no computer room exists at any site for NT2" in result.unplaced[0].reasons[0]
