from scheduling.constraints import room_single_use
from scheduling.model import COMPUTER, Placement, Room, Slot, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok

ONE_ROOM = (Room("AMS-C1", "AMS", COMPUTER, 10),)
OVERLAPPING = (Slot("a", "2026-06-01", 9 * 60, 12 * 60), Slot("b", "2026-06-01", 10 * 60, 13 * 60))


def test_two_parts_use_the_room_one_after_the_other():
    sc = scenario(candidate("C1", "NT2-I-R"), candidate("C2", "NT2-I-S"), rooms=ONE_ROOM)
    result = solve_ok(strict(sc))
    assert len({s.split("@")[2] for s in result.solution.sessions}) == 2


def test_overlapping_slots_cannot_share_a_room():
    sc = scenario(candidate("C1", "NT2-I-R"), candidate("C2", "NT2-I-S"), rooms=ONE_ROOM, slots=OVERLAPPING)
    solve_infeasible(strict(sc))


def test_validator_flags_room_double_use():
    sc = scenario(candidate("C1", "NT2-I-R"), candidate("C2", "NT2-I-S"), rooms=ONE_ROOM, slots=OVERLAPPING)
    a, b = "NT2-I-R@AMS-C1@a", "NT2-I-S@AMS-C1@b"
    sol = Solution((a, b), (Placement("C1/NT2-I-R", a), Placement("C2/NT2-I-S", b)))
    flags(sc, sol, room_single_use.NAME)
