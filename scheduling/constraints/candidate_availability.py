"""Candidate availability: only dates inside the candidate's window (registration lead time, the
school's oral season) and not on a date the candidate declared unavailable."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import Candidate, Request, SessionRef

NAME = "Candidate availability"
STAGE = "placement"
SLOT_LEVEL = True  # depends on the slot only: checked once per slot, not per room


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    date = index.slot[ref.slot_id].date
    if cand.window_start and date < cand.window_start:
        return True
    if cand.window_end and date > cand.window_end:
        return True
    return date in cand.unavailable_dates
