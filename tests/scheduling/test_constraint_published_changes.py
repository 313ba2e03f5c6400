from dataclasses import replace

from scheduling.constraints import published_changes
from scheduling.model import SESSION_CANCELLED, Disruption
from scheduling.repair import repair
from scheduling.validator import validate
from tests.scheduling.factories import candidate, scenario
from tests.scheduling.helpers import FAST, solve_ok


def _published():
    sc = scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(3)], candidate("D1", "NT2-I-S"))
    return sc, solve_ok(sc).solution


def test_repair_without_need_changes_nothing():
    sc, sol = _published()
    fixed = repair(replace(sc, published=sol), FAST)
    assert fixed.changed_placements == () and published_changes.NAME not in dict(fixed.result.breakdown)


def test_cancelled_session_forces_paid_changes():
    sc, sol = _published()
    sid = next(p.session_id for p in sol.placements if p.request_id == "C0/NT2-I-R")
    fixed = repair(replace(sc, published=sol, disruptions=(Disruption(SESSION_CANCELLED, sid),)), FAST)
    assert set(fixed.changed_placements) == set(fixed.necessary_placements) and fixed.changed_placements
    assert dict(fixed.result.breakdown)[published_changes.NAME] > 0
    assert validate(
        replace(sc, published=sol, disruptions=(Disruption(SESSION_CANCELLED, sid),)), fixed.result.solution
    ).ok
