from scheduling.constraints import staff_max_per_week
from scheduling.model import COMPUTER, Room, Solution, StaffAssignment
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok
from tests.scheduling.staff_factories import covered, invigilator

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1),)


def _three_sessions(staff):
    cands = [candidate(f"C{i}", "NT2-I-R") for i in range(3)]
    return scenario(*cands, rooms=ONE_SEAT, slots=SLOTS[:3], examiners=tuple(staff))


def test_weekly_limit_shares_work():
    result = solve_ok(
        covered(_three_sessions([invigilator("I1", max_per_week=2), invigilator("I2", max_per_week=2)]))
    )
    assert len(result.solution.staff) == 3


def test_weekly_limit_carried_across_days_is_infeasible():
    solve_infeasible(covered(_three_sessions([invigilator("I1", max_per_week=2)])))


def test_validator_flags_week_overrun():
    sc = _three_sessions([invigilator("I1", max_per_week=2)])
    sol = solve_ok(sc).solution
    flags(
        sc,
        Solution(
            sol.sessions, sol.placements, tuple(StaffAssignment("I1", s, "invigilator") for s in sol.sessions)
        ),
        staff_max_per_week.NAME,
    )
