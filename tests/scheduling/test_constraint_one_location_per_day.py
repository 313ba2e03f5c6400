from scheduling.constraints import one_location_per_day
from scheduling.model import COMPUTER, Room, Solution, StaffAssignment
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok
from tests.scheduling.staff_factories import covered, invigilator

ROOMS = (Room("AMS-C1", "AMS", COMPUTER, 1), Room("ZWO-C1", "ZWO", COMPUTER, 1))


def _two_sites(staff):
    near_ams = candidate("C1", "NT2-I-R", preferred_location_ids=("AMS",), max_travel_km=500.0)
    near_zwo = candidate("C2", "NT2-I-R", preferred_location_ids=("ZWO",), max_travel_km=500.0)
    pins = ()
    from scheduling.model import Pin

    pins = (
        Pin("NT2-I-R@AMS-C1@d1-am", request_id="C1/NT2-I-R"),
        Pin("NT2-I-R@ZWO-C1@d1-pm", request_id="C2/NT2-I-R"),
    )
    return scenario(near_ams, near_zwo, rooms=ROOMS, slots=SLOTS[:2], examiners=tuple(staff), pins=pins)


def test_two_sites_a_day_need_two_people():
    staff = [invigilator("I1", max_travel_km=500.0), invigilator("I2", max_travel_km=500.0)]
    result = solve_ok(covered(_two_sites(staff)))
    assert len({a.examiner_id for a in result.solution.staff}) == 2


def test_one_person_for_two_sites_is_infeasible():
    solve_infeasible(covered(_two_sites([invigilator("I1", max_travel_km=500.0)])))


def test_validator_flags_two_sites():
    sc = _two_sites([invigilator("I1", max_travel_km=500.0)])
    sol = solve_ok(sc).solution
    both = tuple(StaffAssignment("I1", s, "invigilator") for s in sol.sessions)
    flags(sc, Solution(sol.sessions, sol.placements, both), one_location_per_day.NAME)
