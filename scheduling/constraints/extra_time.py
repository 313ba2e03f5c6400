"""Extra time must fit the slot: a sitting with a candidate's extra minutes ends inside the slot.

For orals the extra minutes are charged to the committee's block (see session_capacity)."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import ORAL, Candidate, Request, SessionRef

NAME = "Extra time must fit the slot"
STAGE = "placement"
SLOT_LEVEL = True  # depends on the part and slot only: checked once per slot, not per room


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    part, slot = index.part[ref.part_id], index.slot[ref.slot_id]
    extra = cand.provisions.extra_min
    if part.mode == ORAL:
        return part.duration_min + extra + index.settings.oral_changeover_min > slot.length
    return part.duration_min + extra > slot.length
