from scheduling.constraints import same_day_same_location
from scheduling.model import INBURGERING, PAPER, ROOM_CLOSED, Disruption, Placement, Solution
from tests.scheduling.factories import candidate, scenario, strict
from tests.scheduling.helpers import flags, solve_infeasible, solve_ok


def _cand():
    return candidate("C1", "INB-R", "INB-W", family=INBURGERING, same_day=True)


def test_all_exams_on_one_day():
    result = solve_ok(strict(scenario(_cand())))
    assert len({p.session_id.split("@")[2][:2] for p in result.solution.placements}) == 1


def test_paper_room_only_on_the_other_day_is_infeasible():
    closures = (
        Disruption(ROOM_CLOSED, "AMS-P1", ("2026-06-01",)),
        Disruption(ROOM_CLOSED, "AMS-C1", ("2026-06-02",)),
        Disruption(ROOM_CLOSED, "AMS-C2", ("2026-06-02",)),
        Disruption(ROOM_CLOSED, "AMS-SEP", ("2026-06-02",)),
    )
    solve_infeasible(strict(scenario(_cand(), disruptions=closures)))


def test_validator_flags_split_days():
    sc = scenario(_cand())
    a, b = "INB-R@AMS-C1@d1-am", "INB-W@AMS-P1@d2-am"
    flags(
        sc,
        Solution((a, b), (Placement("C1/INB-R", a), Placement("C1/INB-W", b))),
        same_day_same_location.NAME,
    )
    assert PAPER
