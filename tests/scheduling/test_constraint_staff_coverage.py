from scheduling.constraints import staff_coverage
from scheduling.model import StaffAssignment
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok
from tests.scheduling.staff_factories import covered, examiner, invigilator, oral_scenario, sitting_scenario


def test_every_session_is_staffed():
    result = solve_ok(covered(sitting_scenario([invigilator("I1")])))
    assert len(result.solution.staff) == 1 and not result.uncovered
    result = solve_ok(covered(oral_scenario([examiner("E1"), examiner("E2")])))
    assert {a.role for a in result.solution.staff} == {"examinator", "second"}


def test_no_staff_is_infeasible_when_required_and_explained_otherwise():
    solve_infeasible(covered(sitting_scenario([])))
    result = solve_ok(sitting_scenario([]))
    assert result.uncovered and "lacks 1 invigilator" in result.uncovered[0].reasons[0]
    assert dict(result.breakdown)[staff_coverage.NAME] > 0


def test_validator_flags_overstaffing_and_double_roles():
    sc = oral_scenario([examiner("E1"), examiner("E2")])
    sol = solve_ok(sc).solution
    sid = sol.sessions[0]
    bad = sol.__class__(sol.sessions, sol.placements, sol.staff + (StaffAssignment("E1", sid, "second"),))
    flags(sc, bad, staff_coverage.NAME)
