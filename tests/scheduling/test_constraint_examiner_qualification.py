from dataclasses import replace

from scheduling.constraints import examiner_qualification
from scheduling.model import INBURGERING, INVIGILATOR, NT2, VO, Expiry, StaffAssignment, family_role
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, uncovered_rules
from tests.scheduling.staff_factories import covered, examiner, invigilator, oral_scenario, sitting_scenario


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


def test_a_lapsed_qualification_does_not_count():
    """E1's Dutch havo licence ends the day before the orals; E2's ends on the day itself, which still counts."""
    lapsed = examiner("E1", expires=(Expiry("NL:havo", "2026-05-31"),))
    last_day = examiner("E2", expires=(Expiry("NL:havo", "2026-06-01"), Expiry("examinator", "2026-06-02")))
    second = examiner("E3", quals=())
    result = solve_ok(covered(oral_scenario([lapsed, last_day, second])))
    assert StaffAssignment("E2", result.solution.sessions[0], "examinator") in result.solution.staff


def test_a_lapsed_role_leaves_nobody_and_is_explained():
    staff = [examiner("E1", expires=(Expiry("examinator", "2026-01-31"),)), examiner("E2", quals=())]
    solve_infeasible(covered(oral_scenario(staff)))
    assert examiner_qualification.NAME in uncovered_rules(solve_ok(oral_scenario(staff)))


def test_validator_says_when_a_qualification_lapsed():
    sc = oral_scenario([examiner("E1"), examiner("E2")])
    sol = solve_ok(sc).solution
    examinator = next(a.examiner_id for a in sol.staff if a.role == "examinator")
    lapsing = tuple(replace(ex, expires=(Expiry("NL:havo", "2026-05-31"),)) if ex.id == examinator else ex
                    for ex in sc.examiners)
    [message] = flags(replace(sc, examiners=lapsing), sol, examiner_qualification.NAME)
    assert "held only until 2026-05-31" in str(message)


def test_a_role_held_in_one_family_does_not_staff_another():
    """I1 invigilates inburgering only, I2 NT2 only: the NT2 sitting can have I2 and nobody else."""
    staff = [invigilator("I1", roles=(family_role(INVIGILATOR, INBURGERING),)),
             invigilator("I2", roles=(family_role(INVIGILATOR, NT2),))]
    result = solve_ok(covered(sitting_scenario(staff)))
    assert {a.examiner_id for a in result.solution.staff} == {"I2"}


def test_nobody_holding_the_role_in_the_family_is_infeasible_and_explained():
    staff = [invigilator("I1", roles=(family_role(INVIGILATOR, INBURGERING),))]
    solve_infeasible(covered(sitting_scenario(staff)))
    assert examiner_qualification.NAME in uncovered_rules(solve_ok(sitting_scenario(staff)))


def test_validator_flags_an_invigilator_of_another_family():
    sc = sitting_scenario([invigilator("I1")])
    sol = solve_ok(covered(sc)).solution
    elsewhere = replace(sc, examiners=(invigilator("I1", roles=(family_role(INVIGILATOR, VO),)),))
    [message] = flags(elsewhere, sol, examiner_qualification.NAME)
    assert "not an invigilator for NT2" in str(message)


def test_a_family_role_lapses_on_its_own():
    """The NT2 invigilator role ends before the sitting; the inburgering one does not help."""
    roles = (family_role(INVIGILATOR, NT2), family_role(INVIGILATOR, INBURGERING))
    lapsing = invigilator("I1", roles=roles, expires=(Expiry(family_role(INVIGILATOR, NT2), "2026-05-31"),))
    sc = sitting_scenario([invigilator("I2")])
    sol = solve_ok(covered(sc)).solution
    moved = replace(sol, staff=tuple(replace(a, examiner_id="I1") for a in sol.staff))
    [message] = flags(replace(sc, examiners=(lapsing,)), moved, examiner_qualification.NAME)
    assert "invigilator (NT2) held only until 2026-05-31" in str(message)
