"""Closures and cancellations: no session in a room or location that is closed on that date (regular
closures and disruptions), and no cancelled session."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import LOCATION_CLOSED, ROOM_CLOSED, SESSION_CANCELLED, SessionRef

NAME = "Closures and cancellations"
STAGE = "placement"


def _hits(dates: tuple[str, ...], date: str) -> bool:
    return not dates or date in dates


def session_forbids(index: Index, ref: SessionRef) -> bool:
    room, slot = index.room[ref.room_id], index.slot[ref.slot_id]
    loc = index.location[room.location_id]
    if slot.date in room.closed_dates or slot.date in loc.closed_dates:
        return True
    for d in index.scenario.disruptions:
        if d.kind == ROOM_CLOSED and d.target_id == room.id and _hits(d.dates, slot.date):
            return True
        if d.kind == LOCATION_CLOSED and d.target_id == loc.id and _hits(d.dates, slot.date):
            return True
        if d.kind == SESSION_CANCELLED and d.target_id == ref.id:
            return True
    return False
