from scheduling.constraints import staff_no_overlap
from scheduling.model import COMPUTER, Room, Settings, Solution, StaffAssignment
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok
from tests.scheduling.staff_factories import covered, invigilator

ROOMS = (Room("AMS-C1", "AMS", COMPUTER, 1), Room("AMS-C2", "AMS", COMPUTER, 1))


def _two_parallel(staff):
    return scenario(
        candidate("C1", "NT2-I-R"),
        candidate("C2", "NT2-I-R"),
        rooms=ROOMS,
        slots=SLOTS[:1],
        examiners=tuple(staff),
    )


def test_parallel_sessions_get_different_people():
    result = solve_ok(covered(_two_parallel([invigilator("I1"), invigilator("I2")])))
    assert len({a.examiner_id for a in result.solution.staff}) == 2


def test_one_person_for_parallel_sessions_is_infeasible():
    solve_infeasible(covered(_two_parallel([invigilator("I1")])))


def test_break_is_required_between_sessions():
    sc = _two_parallel([invigilator("I1")])
    sol = solve_ok(sc).solution
    both = tuple(StaffAssignment("I1", sid, "invigilator") for sid in sol.sessions)
    flags(sc, Solution(sol.sessions, sol.placements, both), staff_no_overlap.NAME)
    assert Settings().min_break_min > 0
