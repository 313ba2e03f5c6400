"""Staff availability: an examiner works only on dates they offered and never while reported
unavailable (illness disruptions included)."""

from __future__ import annotations

from scheduling.context import Index, StaffSession
from scheduling.model import EXAMINER_UNAVAILABLE, Examiner, Scenario

NAME = "Staff availability"
STAGE = "staff"


def available(scenario: Scenario, ex: Examiner, date: str) -> bool:
    if ex.available_dates is not None and date not in ex.available_dates:
        return False
    if date in ex.unavailable_dates:
        return False
    for d in scenario.disruptions:
        if d.kind == EXAMINER_UNAVAILABLE and d.target_id == ex.id and (not d.dates or date in d.dates):
            return False
    return True


def staff_forbids(index: Index, ex: Examiner, sess: StaffSession, role: str) -> bool:
    return not available(index.scenario, ex, sess.date)
