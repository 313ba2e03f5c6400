"""The validator is the oracle: it accepts what the solver returns and refuses every broken rule."""

from dataclasses import replace

from scheduling import synthetic
from scheduling.constraints import session_capacity, staff_coverage
from scheduling.model import Placement, Solution
from scheduling.validator import Edit, check_edit, validate
from tests.scheduling.factories import candidate, scenario
from tests.scheduling.helpers import solve_ok


def test_solver_roster_passes_and_penalties_add_up():
    sc = synthetic.small(3)
    result = solve_ok(sc)
    report = validate(sc, result.solution)
    assert report.ok
    assert report.total() == sum(cost for _, cost in result.breakdown)


def test_unknown_ids_and_double_placements_are_refused():
    sc = scenario(candidate("C1", "NT2-I-R"))
    sid = "NT2-I-R@AMS-C1@d1-am"
    report = validate(
        sc,
        Solution(
            (sid, "bogus"),
            (Placement("C1/NT2-I-R", sid), Placement("C1/NT2-I-R", sid), Placement("nobody", sid)),
        ),
    )
    assert len(report.violations) >= 3


def test_placement_in_a_session_that_is_not_open_is_refused():
    sc = scenario(candidate("C1", "NT2-I-R"))
    assert not validate(sc, Solution((), (Placement("C1/NT2-I-R", "NT2-I-R@AMS-C1@d1-am"),))).ok


def test_check_edit_accepts_a_legal_move():
    sc = scenario(candidate("C1", "NT2-I-R"), candidate("C2", "NT2-I-R"))
    sol = solve_ok(sc).solution
    target = "NT2-I-R@AMS-C2@d2-pm"
    check = check_edit(sc, sol, Edit("move", request_id="C1/NT2-I-R", session_id=target))
    assert check.accepted and Placement("C1/NT2-I-R", target) in check.solution.placements


def test_check_edit_refuses_with_the_rule_and_resource():
    sc = scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(5)], candidate("X", "NT2-I-R"), seats=4)
    sol = solve_ok(sc).solution
    full, other = sol.sessions[0], sol.sessions[1]  # fill the first session to its 4 seats, the rest elsewhere
    ordered = sorted(sol.placements, key=lambda p: p.request_id)
    sol = replace(sol, placements=tuple(replace(p, session_id=full if i < 4 else other) for i, p in enumerate(ordered)))
    mover = next(p.request_id for p in sol.placements if p.session_id != full)
    check = check_edit(sc, sol, Edit("move", request_id=mover, session_id=full))
    assert not check.accepted and check.reasons[0].startswith(session_capacity.NAME)
    assert "5 candidates in 4 seats" in check.reasons[0]
    assert check.solution == sol


def test_check_edit_for_staff():
    sc = replace(scenario(candidate("C1", "NT2-I-R")), examiners=())
    sol = solve_ok(sc).solution
    check = check_edit(
        sc, sol, Edit("assign", examiner_id="I9", session_id=sol.sessions[0], role="invigilator")
    )
    assert not check.accepted
    assert staff_coverage.NAME in validate(sc, sol).breakdown()
