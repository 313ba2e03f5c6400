from dataclasses import replace

from scheduling.constraints import staff_availability
from scheduling.model import EXAMINER_UNAVAILABLE, Disruption
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, uncovered_rules
from tests.scheduling.staff_factories import covered, invigilator, sitting_scenario


def test_available_invigilator_is_used():
    sc = sitting_scenario([invigilator("I1", available_dates=("2026-06-02",)), invigilator("I2")])
    assert [a.examiner_id for a in solve_ok(covered(sc)).solution.staff] == ["I2"]


def test_nobody_available_is_infeasible_and_explained():
    sc = sitting_scenario([invigilator("I1", unavailable_dates=("2026-06-01",))])
    solve_infeasible(covered(sc))
    assert staff_availability.NAME in uncovered_rules(solve_ok(sc))


def test_validator_flags_ill_examiner():
    sc = sitting_scenario([invigilator("I1")])
    sol = solve_ok(sc).solution
    ill = replace(sc, disruptions=(Disruption(EXAMINER_UNAVAILABLE, "I1", ("2026-06-01",)),))
    flags(ill, sol, staff_availability.NAME)
