"""Examiner qualification: an invigilator holds the invigilator role; the examinator of an oral is
qualified for its subject and level; the second examiner holds the second (or examinator) role. Each on
the session's date: a role or qualification that has lapsed by then does not count."""

from __future__ import annotations

from scheduling.context import Index, StaffSession
from scheduling.model import EXAMINATOR, SECOND, Examiner

NAME = "Examiner qualification"
STAGE = "staff"


def qualified(ex: Examiner, role: str, qualification: str, date: str) -> bool:
    if role == EXAMINATOR:
        return ex.holds(EXAMINATOR, date) and ex.holds(qualification, date)
    if role == SECOND:
        return ex.holds(SECOND, date) or ex.holds(EXAMINATOR, date)
    return ex.holds(role, date)


def staff_forbids(index: Index, ex: Examiner, sess: StaffSession, role: str) -> bool:
    return not qualified(ex, role, sess.qualification, sess.date)
