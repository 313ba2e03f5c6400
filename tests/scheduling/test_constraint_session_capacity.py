from scheduling.constraints import session_capacity
from scheduling.model import COMPUTER, Placement, Room, Solution
from tests.scheduling.factories import SLOTS, candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok, unplaced_rules

ONE_ROOM = (Room("AMS-C1", "AMS", COMPUTER, 2),)


def _cands(n: int):
    return [candidate(f"C{i}", "NT2-I-R") for i in range(n)]


def test_seats_are_never_exceeded():
    result = solve_ok(strict(scenario(*_cands(8), rooms=ONE_ROOM)))
    assert len(result.solution.sessions) == 4


def test_more_candidates_than_seats_is_infeasible_and_explained():
    sc = scenario(*_cands(3), rooms=ONE_ROOM, slots=SLOTS[:1])
    solve_infeasible(strict(sc))
    result = solve_ok(sc)
    assert session_capacity.NAME in unplaced_rules(result)
    assert "2/2 seats" in result.unplaced[0].reasons[0]


def test_validator_flags_overfull_session():
    sc = scenario(*_cands(3), rooms=ONE_ROOM)
    sid = "NT2-I-R@AMS-C1@d1-am"
    flags(
        sc, Solution((sid,), tuple(Placement(f"C{i}/NT2-I-R", sid) for i in range(3))), session_capacity.NAME
    )


def test_oral_block_capacity_counts_minutes():
    sc = scenario(*[candidate(f"V{i}", "VO-NL-H", family="VO") for i in range(4)], slots=SLOTS[:1])
    result = solve_ok(sc)  # 180-minute block, 45 minutes per oral: exactly four
    assert len(result.solution.placements) == 4
    sc5 = scenario(*[candidate(f"V{i}", "VO-NL-H", family="VO") for i in range(5)], slots=SLOTS[:1])
    solve_infeasible(strict(sc5))
