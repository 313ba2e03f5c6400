from dataclasses import replace

from scheduling.constraints import staff_travel
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, uncovered_rules
from tests.scheduling.staff_factories import covered, invigilator, sitting_scenario

FAR = dict(max_travel_km=30.0)


def _far(eid: str):
    return replace(invigilator(eid, **FAR), lat=53.2, lon=6.57)


def test_near_invigilator_is_used_and_far_one_is_not():
    result = solve_ok(covered(sitting_scenario([_far("I1"), invigilator("I2")])))
    assert [a.examiner_id for a in result.solution.staff] == ["I2"]
    assert staff_travel.NAME not in dict(result.breakdown)


def test_only_far_staff_is_infeasible_and_explained():
    solve_infeasible(covered(sitting_scenario([_far("I1")])))
    assert staff_travel.NAME in uncovered_rules(solve_ok(sitting_scenario([_far("I1")])))


def test_validator_flags_too_far_and_prices_travel():
    sc = sitting_scenario([invigilator("I1")])
    sol = solve_ok(sc).solution
    flags(replace(sc, examiners=(_far("I1"),)), sol, staff_travel.NAME)
    far_ok = replace(sc, examiners=(replace(_far("I1"), max_travel_km=500.0),))
    assert dict(solve_ok(far_ok).breakdown)[staff_travel.NAME] > 0
