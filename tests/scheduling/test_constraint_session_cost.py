from scheduling.constraints import session_cost
from tests.scheduling.factories import candidate, scenario
from tests.scheduling.helpers import solve_ok


def test_candidates_share_one_session():
    result = solve_ok(scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(4)], seats=4))
    assert len(result.solution.sessions) == 1
    assert dict(result.breakdown)[session_cost.NAME] == 50


def test_more_candidates_than_a_room_need_a_second_session():
    result = solve_ok(scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(5)], seats=4))
    assert len(result.solution.sessions) == 2
