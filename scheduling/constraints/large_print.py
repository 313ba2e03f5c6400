"""Large print: a candidate granted large print / a large screen sits only where the room has it."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import Candidate, Request, SessionRef

NAME = "Large print provision"
STAGE = "placement"
ROOM_LEVEL = True  # depends on the room only: checked once per room, not per slot


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    return cand.provisions.large_print and not index.room[ref.room_id].large_print
