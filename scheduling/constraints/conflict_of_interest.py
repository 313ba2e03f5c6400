"""Conflict of interest: an examiner never sits on a committee (or invigilates) for a candidate or a
school they declared a conflict with (own pupils, relatives)."""

from __future__ import annotations

from scheduling.context import Index, StaffSession
from scheduling.model import Examiner

NAME = "Conflict of interest"
STAGE = "staff"


def staff_forbids(index: Index, ex: Examiner, sess: StaffSession, role: str) -> bool:
    if not ex.conflicts:
        return False
    conflicts = set(ex.conflicts)
    return bool(conflicts.intersection(sess.candidate_ids) or conflicts.intersection(sess.school_ids))
