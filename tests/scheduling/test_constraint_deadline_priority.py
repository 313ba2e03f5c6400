from scheduling.constraints import deadline_priority
from scheduling.model import COMPUTER, INBURGERING, Room
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import placed, solve_ok

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1),)


def test_candidate_near_deadline_goes_first():
    urgent = candidate("C9", "INB-R", family=INBURGERING, deadline="2026-06-30")
    others = [candidate(f"C{i}", "INB-R", family=INBURGERING) for i in range(2)]
    result = solve_ok(scenario(*others, urgent, rooms=ONE_SEAT, slots=SLOTS[:1]))
    assert "C9/INB-R" in placed(result)
    assert deadline_priority.NAME not in dict(result.breakdown)


def test_deadline_candidate_that_cannot_be_placed_pays_the_deadline_penalty():
    urgent = [candidate(f"C{i}", "INB-R", family=INBURGERING, deadline="2026-06-30") for i in range(2)]
    result = solve_ok(scenario(*urgent, rooms=ONE_SEAT, slots=SLOTS[:1]))
    assert dict(result.breakdown)[deadline_priority.NAME] > 0
