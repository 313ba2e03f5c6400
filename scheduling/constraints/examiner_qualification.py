"""Examiner qualification: an invigilator holds the invigilator role; the examinator of an oral is
qualified for its subject and level; the second examiner holds the second (or examinator) role. Each in
the session's family (a role held for NT2 only does not staff an inburgering session) and on the
session's date: a role or qualification that has lapsed by then does not count."""

from __future__ import annotations

from scheduling.context import Index, StaffSession
from scheduling.model import EXAMINATOR, SECOND, Examiner

NAME = "Examiner qualification"
STAGE = "staff"


def qualified(ex: Examiner, role: str, qualification: str, family: str, date: str) -> bool:
    if role == EXAMINATOR:
        return ex.holds_role(EXAMINATOR, family, date) and ex.holds(qualification, date)
    if role == SECOND:
        return ex.holds_role(SECOND, family, date) or ex.holds_role(EXAMINATOR, family, date)
    return ex.holds_role(role, family, date)


def staff_forbids(index: Index, ex: Examiner, sess: StaffSession, role: str) -> bool:
    return not qualified(ex, role, sess.qualification, index.part[sess.ref.part_id].family, sess.date)
