from scheduling.constraints import preferences
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import placed, solve_ok


def test_preferred_date_is_used():
    result = solve_ok(scenario(candidate("C1", "NT2-I-R", preferred_dates=("2026-06-02",))))
    assert "d2" in placed(result)["C1/NT2-I-R"]
    assert preferences.NAME not in dict(result.breakdown)


def test_unavailable_preference_is_paid_and_reported():
    result = solve_ok(scenario(candidate("C1", "NT2-I-R", preferred_dates=("2026-06-02",)), slots=SLOTS[:2]))
    assert dict(result.breakdown)[preferences.NAME] > 0
    assert any("preferred" in p.sentence for p in result.penalties)
