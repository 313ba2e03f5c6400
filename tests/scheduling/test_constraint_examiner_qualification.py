from dataclasses import replace

from scheduling.constraints import examiner_qualification
from scheduling.model import StaffAssignment
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, uncovered_rules
from tests.scheduling.staff_factories import covered, examiner, oral_scenario


def test_qualified_examinator_is_chosen():
    result = solve_ok(covered(oral_scenario([examiner("E1", quals=("EN:vwo",)), examiner("E2")])))
    assert StaffAssignment("E2", result.solution.sessions[0], "examinator") in result.solution.staff


def test_nobody_qualified_is_infeasible_and_explained():
    staff = [examiner("E1", quals=("EN:vwo",)), examiner("E2", quals=("EN:vwo",))]
    solve_infeasible(covered(oral_scenario(staff)))
    assert examiner_qualification.NAME in uncovered_rules(solve_ok(oral_scenario(staff)))


def test_validator_flags_unqualified_examinator():
    sc = oral_scenario([examiner("E1"), examiner("E2", quals=())])
    sol = solve_ok(sc).solution
    swapped = tuple(replace(a, role="second" if a.role == "examinator" else "examinator") for a in sol.staff)
    flags(sc, replace(sol, staff=swapped), examiner_qualification.NAME)
