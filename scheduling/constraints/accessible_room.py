"""Accessible room: a candidate who needs step-free access sits only in an accessible room."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import Candidate, Request, SessionRef

NAME = "Accessible room provision"
STAGE = "placement"
ROOM_LEVEL = True  # depends on the room only: checked once per room, not per slot


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    return cand.provisions.accessible and not index.room[ref.room_id].accessible
