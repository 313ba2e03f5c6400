from dataclasses import replace

from scheduling.constraints import closures
from scheduling.model import LOCATION_CLOSED, ROOM_CLOSED, Disruption, Placement, Solution
from tests.scheduling.factories import AMSTERDAM, ZWOLLE, candidate, scenario, strict
from tests.scheduling.helpers import flags, placed, solve_infeasible, solve_ok, unplaced_rules


def test_room_closed_on_a_date_is_avoided():
    sc = scenario(
        candidate("C1", "NT2-I-R"), disruptions=(Disruption(ROOM_CLOSED, "AMS-C1", ("2026-06-01",)),)
    )
    sid = placed(solve_ok(sc))["C1/NT2-I-R"]
    assert not (sid.split("@")[1] == "AMS-C1" and sid.endswith(("d1-am", "d1-pm")))


def test_location_closed_every_day_is_infeasible_and_explained():
    sc = scenario(candidate("C1", "NT2-I-R"), disruptions=(Disruption(LOCATION_CLOSED, "AMS"),))
    solve_infeasible(strict(sc))
    assert closures.NAME in unplaced_rules(solve_ok(sc))


def test_regular_closed_dates_and_validator():
    closed = replace(AMSTERDAM, closed_dates=("2026-06-01",))
    sc = scenario(candidate("C1", "NT2-I-R"), locations=(closed, ZWOLLE))
    assert "d2" in placed(solve_ok(sc))["C1/NT2-I-R"]
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), closures.NAME)
