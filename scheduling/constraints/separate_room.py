"""Separate room: a candidate granted a separate room sits only in a room marked separate, and such
rooms are kept for those candidates (a sitting of one or two, so nobody else fills the seats)."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import Candidate, Request, SessionRef

NAME = "Separate room provision"
STAGE = "placement"
ROOM_LEVEL = True  # depends on the room only: checked once per room, not per slot


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    return cand.provisions.separate_room != index.room[ref.room_id].separate
