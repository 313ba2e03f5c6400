from scheduling.constraints import travel_cost
from scheduling.model import COMPUTER, Room
from tests.scheduling.factories import candidate, scenario
from tests.scheduling.helpers import placed, solve_ok

ROOMS = (Room("AMS-C1", "AMS", COMPUTER, 5), Room("ZWO-C1", "ZWO", COMPUTER, 5))


def test_nearest_site_is_chosen():
    result = solve_ok(scenario(candidate("C1", "NT2-I-R", max_travel_km=200.0), rooms=ROOMS))
    assert "AMS-C1" in placed(result)["C1/NT2-I-R"]
    assert travel_cost.NAME not in dict(result.breakdown)


def test_only_far_site_pays_travel():
    result = solve_ok(scenario(candidate("C1", "NT2-I-R", max_travel_km=200.0), rooms=ROOMS[1:]))
    assert dict(result.breakdown)[travel_cost.NAME] > 0
