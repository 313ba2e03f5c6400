"""Maximum travel distance (hard): a candidate is never sent further from home than their maximum
(their own, else the setting). Distances below the maximum are a soft cost (travel_cost)."""

from __future__ import annotations

from scheduling.context import Index
from scheduling.model import Candidate, Request, SessionRef

NAME = "Maximum travel distance"
STAGE = "placement"
ROOM_LEVEL = True  # depends on the room only: checked once per room, not per slot


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    loc_id = index.room[ref.room_id].location_id
    return index.candidate_km(cand, loc_id) > index.max_travel(cand)
