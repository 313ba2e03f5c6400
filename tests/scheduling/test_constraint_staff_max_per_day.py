from scheduling.constraints import staff_max_per_day
from scheduling.model import COMPUTER, Room, Settings, Solution, StaffAssignment
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok
from tests.scheduling.staff_factories import covered, invigilator

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1),)


def _two_a_day(staff, **settings):
    return scenario(
        candidate("C1", "NT2-I-R"),
        candidate("C2", "NT2-I-R"),
        rooms=ONE_SEAT,
        slots=SLOTS[:2],
        examiners=tuple(staff),
        settings=Settings(**settings),
    )


def test_one_person_may_do_two_sessions_a_day_by_default():
    assert len(solve_ok(covered(_two_a_day([invigilator("I1")]))).solution.staff) == 2


def test_limit_one_a_day_is_infeasible_with_one_person():
    solve_infeasible(covered(_two_a_day([invigilator("I1", max_per_day=1)])))
    solve_infeasible(covered(_two_a_day([invigilator("I1")], staff_max_per_day=1)))


def test_validator_flags_too_many_a_day():
    sc = _two_a_day([invigilator("I1", max_per_day=1)])
    sol = solve_ok(sc).solution
    flags(
        sc,
        Solution(
            sol.sessions, sol.placements, tuple(StaffAssignment("I1", s, "invigilator") for s in sol.sessions)
        ),
        staff_max_per_day.NAME,
    )
