from scheduling.constraints import staff_cost
from scheduling.model import COMPUTER, Room
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import solve_ok
from tests.scheduling.staff_factories import invigilator

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1),)


def test_each_day_called_in_costs():
    cands = [candidate(f"C{i}", "NT2-I-R") for i in range(2)]
    result = solve_ok(scenario(*cands, rooms=ONE_SEAT, slots=SLOTS[:2], examiners=(invigilator("I1"),)))
    assert dict(result.breakdown)[staff_cost.NAME] == 1  # one person, one day


def test_no_sessions_no_staff_cost():
    result = solve_ok(scenario(examiners=(invigilator("I1"),)))
    assert staff_cost.NAME not in dict(result.breakdown)
