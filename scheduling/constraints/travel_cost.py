"""Travel distance (soft): each kilometre beyond the free distance costs, so candidates sit close to
home; the hard maximum is travel_max."""

from __future__ import annotations

from scheduling.context import Index, PlacementContext
from scheduling.model import Candidate

NAME = "Travel distance"
STAGE = "placement"
SOFT = True


def chargeable_km(index: Index, cand: Candidate, location_id: str) -> int:
    return max(0, round(index.candidate_km(cand, location_id) - index.settings.travel_free_km))


def post(ctx: PlacementContext) -> None:
    index = ctx.index
    for cand, req in ctx.requests:
        weight = ctx.weights(cand).travel_per_km
        for sid, var in ctx.x_of_request(req.id):
            km = chargeable_km(index, cand, index.room[index.ref(sid).room_id].location_id)
            ctx.objective.add(NAME, weight * km, var)
