from scheduling.constraints import place_every_request
from scheduling.model import COMPUTER, Room
from tests.scheduling.factories import SLOTS, candidate, scenario, strict
from tests.scheduling.helpers import solve_infeasible, solve_ok

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1),)


def test_everyone_who_fits_is_placed():
    result = solve_ok(scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(4)], rooms=ONE_SEAT))
    assert len(result.solution.placements) == 4 and not result.unplaced


def test_too_many_for_the_seats_is_infeasible_when_required_and_paid_otherwise():
    sc = scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(3)], rooms=ONE_SEAT, slots=SLOTS[:2])
    solve_infeasible(strict(sc))
    result = solve_ok(sc)
    assert len(result.unplaced) == 1
    assert dict(result.breakdown)[place_every_request.NAME] == sc.weights.unplaced
