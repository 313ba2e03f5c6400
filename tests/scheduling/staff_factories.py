"""Small staff scenarios: open sittings/orals with a handful of staff."""

from __future__ import annotations

from dataclasses import replace

from scheduling.model import EXAMINATOR, INVIGILATOR, SECOND, VO, Examiner, Scenario
from tests.scheduling.factories import candidate, scenario


def invigilator(eid: str, roles=(INVIGILATOR,), **kw) -> Examiner:
    return Examiner(eid, f"Invigilator {eid}", 52.35, 4.9, roles, **kw)


def examiner(eid: str, quals=("NL:havo",), **kw) -> Examiner:
    return Examiner(eid, f"Examiner {eid}", 52.30, 4.95, (EXAMINATOR, SECOND), qualifications=quals, **kw)


def sitting_scenario(staff, n: int = 1, **kw) -> Scenario:
    """``n`` NT2 candidates pinned to one morning sitting each on day 1 (one sitting per 4 seats)."""
    return scenario(
        *[candidate(f"C{i}", "NT2-I-R", window_end="2026-06-01") for i in range(n)],
        examiners=tuple(staff),
        **kw,
    )


def oral_scenario(staff, n: int = 1, **kw) -> Scenario:
    return scenario(
        *[candidate(f"V{i}", "VO-NL-H", family=VO, school_id="SCH1") for i in range(n)],
        examiners=tuple(staff),
        **kw,
    )


def covered(sc: Scenario, **settings) -> Scenario:
    return replace(sc, settings=replace(sc.settings, require_all_covered=True, **settings))
