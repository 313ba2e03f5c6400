"""Provision priority (soft): candidates with special provisions can use fewer sessions, so leaving
them unplaced costs extra; their provisions themselves are hard rules in their own modules."""

from __future__ import annotations

from scheduling.context import PlacementContext

NAME = "Provision priority"
STAGE = "placement"
SOFT = True


def post(ctx: PlacementContext) -> None:
    for cand, req in ctx.requests:
        if cand.provisions.any:
            ctx.objective.add(NAME, ctx.weights(cand).provisions, 1 - ctx.placed[req.id])
