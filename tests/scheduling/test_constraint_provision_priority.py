from scheduling.constraints import provision_priority
from scheduling.model import COMPUTER, Provisions, Room
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import placed, solve_ok

ONE_SEAT = (Room("AMS-C1", "AMS", COMPUTER, 1, accessible=True),)
PROV = Provisions(accessible=True)


def test_candidate_with_provisions_goes_first():
    result = solve_ok(
        scenario(
            candidate("C1", "NT2-I-R"),
            candidate("C2", "NT2-I-R", provisions=PROV),
            rooms=ONE_SEAT,
            slots=SLOTS[:1],
        )
    )
    assert "C2/NT2-I-R" in placed(result)


def test_unplaceable_provision_candidate_is_charged():
    result = solve_ok(
        scenario(
            candidate("C1", "NT2-I-R", provisions=PROV),
            candidate("C2", "NT2-I-R", provisions=PROV),
            rooms=ONE_SEAT,
            slots=SLOTS[:1],
        )
    )
    assert dict(result.breakdown)[provision_priority.NAME] > 0
