from dataclasses import replace

from scheduling.constraints import travel_max
from scheduling.model import Placement, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, unplaced_rules

FAR = dict(max_travel_km=20.0)


def _far(cid: str):
    return replace(candidate(cid, "NT2-I-R", **FAR), lat=53.2, lon=6.57)  # Groningen


def test_candidate_within_reach_is_placed():
    solve_ok(strict(scenario(candidate("C1", "NT2-I-R", **FAR))))


def test_every_site_beyond_the_maximum_is_infeasible_and_explained():
    sc = scenario(_far("C1"))
    solve_infeasible(strict(sc))
    result = solve_ok(sc)
    assert travel_max.NAME in unplaced_rules(result)
    assert "beyond 20 km" in result.unplaced[0].reasons[0]


def test_validator_flags_too_far():
    sc = scenario(_far("C1"))
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(sc, Solution((sid,), (Placement("C1/NT2-I-R", sid),)), travel_max.NAME)
