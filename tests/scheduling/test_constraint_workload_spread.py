from scheduling.constraints import workload_spread
from scheduling.model import COMPUTER, Room
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import solve_ok
from tests.scheduling.staff_factories import invigilator

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1),)


def test_work_is_shared_evenly():
    cands = [candidate(f"C{i}", "NT2-I-R") for i in range(4)]
    result = solve_ok(scenario(*cands, rooms=ONE_SEAT, examiners=(invigilator("I1"), invigilator("I2"))))
    loads = [sum(1 for a in result.solution.staff if a.examiner_id == e) for e in ("I1", "I2")]
    assert loads == [2, 2]
    assert workload_spread.NAME not in dict(result.breakdown)


def test_unavoidable_spread_is_reported():
    cands = [candidate(f"C{i}", "NT2-I-R") for i in range(2)]
    staff = (
        invigilator("I1"),
        invigilator("I2", unavailable_dates=("2026-06-01", "2026-06-02")),
        invigilator("I3", available_dates=("2026-06-01",)),
    )
    result = solve_ok(scenario(*cands, rooms=ONE_SEAT, slots=SLOTS[:2], examiners=staff))
    assert dict(result.breakdown).get(workload_spread.NAME, 0) >= 0
    assert any(p.rule == workload_spread.NAME for p in result.penalties) or len(result.solution.staff) == 2
