"""Examiner qualification: an invigilator holds the invigilator role; the examinator of an oral is
qualified for its subject and level; the second examiner holds the second (or examinator) role."""

from __future__ import annotations

from scheduling.context import Index, StaffSession
from scheduling.model import EXAMINATOR, SECOND, Examiner

NAME = "Examiner qualification"
STAGE = "staff"


def qualified(ex: Examiner, role: str, qualification: str) -> bool:
    if role == EXAMINATOR:
        return EXAMINATOR in ex.roles and qualification in ex.qualifications
    if role == SECOND:
        return SECOND in ex.roles or EXAMINATOR in ex.roles
    return role in ex.roles


def staff_forbids(index: Index, ex: Examiner, sess: StaffSession, role: str) -> bool:
    return not qualified(ex, role, sess.qualification)
