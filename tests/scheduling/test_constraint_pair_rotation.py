from scheduling.constraints import pair_rotation
from scheduling.model import Settings
from tests.scheduling.helpers import solve_ok
from tests.scheduling.staff_factories import examiner

ONE_DAY_PAIRS = Settings(max_pair_days=1)


def _daily_orals(staff):
    from scheduling.model import VO
    from tests.scheduling.factories import candidate, scenario

    cands = [
        candidate("V1", "VO-NL-H", family=VO, window_end="2026-06-01"),
        candidate("V2", "VO-NL-H", family=VO, window_start="2026-06-02"),
    ]
    return scenario(*cands, examiners=tuple(staff), settings=ONE_DAY_PAIRS)


def test_pairs_rotate_when_people_allow():
    result = solve_ok(_daily_orals([examiner("E1"), examiner("E2"), examiner("E3")]))
    assert pair_rotation.NAME not in dict(result.breakdown)


def test_two_people_must_repeat_and_pay():
    result = solve_ok(_daily_orals([examiner("E1"), examiner("E2")]))
    assert dict(result.breakdown)[pair_rotation.NAME] > 0
    assert any("sit together on 2 days" in p.sentence for p in result.penalties)
