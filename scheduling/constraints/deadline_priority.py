"""Deadline priority (soft): a candidate whose deadline (the inburgering 3-year deadline) falls within
the horizon goes first: leaving them unplaced, or placing them after the deadline, costs extra."""

from __future__ import annotations

import datetime as dt

from scheduling.context import Index, PlacementContext
from scheduling.model import Candidate

NAME = "Deadline priority"
STAGE = "placement"
SOFT = True


def is_urgent(index: Index, cand: Candidate) -> bool:
    if not cand.deadline or not index.dates:
        return False
    horizon = dt.date.fromisoformat(index.dates[-1]) + dt.timedelta(days=index.settings.deadline_horizon_days)
    return dt.date.fromisoformat(cand.deadline) <= horizon


def post(ctx: PlacementContext) -> None:
    for cand, req in ctx.requests:
        if not is_urgent(ctx.index, cand):
            continue
        weight = ctx.weights(cand).deadline
        ctx.objective.add(NAME, weight, 1 - ctx.placed[req.id])
        for sid, var in ctx.x_of_request(req.id):
            if ctx.index.slot[ctx.index.ref(sid).slot_id].date > cand.deadline:
                ctx.objective.add(NAME, weight, var)
