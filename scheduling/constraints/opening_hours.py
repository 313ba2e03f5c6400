"""Opening hours: a session (including oral preparation before it) lies inside the location's hours,
in a slot meant for its family, and the part itself fits the slot without provisions (extra time is
checked per candidate)."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import SessionRef

NAME = "Opening hours"
STAGE = "placement"


def session_forbids(index: Index, ref: SessionRef) -> bool:
    part, slot = index.part[ref.part_id], index.slot[ref.slot_id]
    loc = index.location[index.room[ref.room_id].location_id]
    if slot.start_min - part.prep_min < loc.open_min or slot.end_min > loc.close_min:
        return True
    if slot.families and part.family not in slot.families:
        return True
    return part.duration_min > slot.length
