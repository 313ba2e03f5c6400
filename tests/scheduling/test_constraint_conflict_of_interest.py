from dataclasses import replace

from scheduling.constraints import conflict_of_interest
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, uncovered_rules
from tests.scheduling.staff_factories import covered, examiner, oral_scenario


def test_examiner_with_conflict_is_not_chosen():
    staff = [examiner("E1", conflicts=("SCH1",)), examiner("E2"), examiner("E3")]
    result = solve_ok(covered(oral_scenario(staff)))
    assert "E1" not in {a.examiner_id for a in result.solution.staff}


def test_only_conflicted_staff_is_infeasible_and_explained():
    staff = [examiner("E1", conflicts=("SCH1",)), examiner("E2")]
    solve_infeasible(covered(oral_scenario(staff)))
    assert conflict_of_interest.NAME in uncovered_rules(solve_ok(oral_scenario(staff)))


def test_validator_flags_conflict():
    sc = oral_scenario([examiner("E1"), examiner("E2")])
    sol = solve_ok(sc).solution
    conflicted = replace(sc, examiners=(examiner("E1", conflicts=("V0",)), examiner("E2")))
    flags(conflicted, sol, conflict_of_interest.NAME)
