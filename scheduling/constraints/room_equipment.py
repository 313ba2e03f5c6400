"""Room equipment: a part is held only in a room of its mode (computer seats, paper seats, oral room),
at a location that hosts the part's family (NT2 sites, inburgering sites, VO schools).

Why a filter: a mismatch can never be repaired by the solver, so such sessions are not created at all."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import SessionRef

NAME = "Room equipment (computer / paper / oral)"
STAGE = "placement"


def session_forbids(index: Index, ref: SessionRef) -> bool:
    room, part = index.room[ref.room_id], index.part[ref.part_id]
    families = index.location[room.location_id].families
    return room.kind != part.mode or bool(families and part.family not in families)
