"""Date and location preferences (soft): a placement outside the candidate's preferred locations or
dates (when they gave any) costs one unit each."""

from __future__ import annotations

from scheduling.context import Index, PlacementContext
from scheduling.model import Candidate, SessionRef

NAME = "Date and location preferences"
STAGE = "placement"
SOFT = True


def misses(index: Index, cand: Candidate, ref: SessionRef) -> int:
    loc_id = index.room[ref.room_id].location_id
    date = index.slot[ref.slot_id].date
    miss = 0
    if cand.preferred_location_ids and loc_id not in cand.preferred_location_ids:
        miss += 1
    if cand.preferred_dates and date not in cand.preferred_dates:
        miss += 1
    return miss


def post(ctx: PlacementContext) -> None:
    for cand, req in ctx.requests:
        weight = ctx.weights(cand).preference
        for sid, var in ctx.x_of_request(req.id):
            ctx.objective.add(NAME, weight * misses(ctx.index, cand, ctx.universe[sid]), var)
