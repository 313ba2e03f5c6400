"""Place every request: each request sits in at most one session; leaving one unplaced costs the
top weight (or is forbidden when the setting ``require_all_placed`` is on)."""

from __future__ import annotations

from scheduling.context import PlacementContext, total

NAME = "Place every request"
STAGE = "placement"
SOFT = True


def post(ctx: PlacementContext) -> None:
    for cand, req in ctx.requests:
        vars_ = [var for _, var in ctx.x_of_request(req.id)]
        placed = total(vars_) if vars_ else 0
        if len(vars_) > 1:
            ctx.model.add(placed <= 1)
        ctx.placed[req.id] = placed
        if ctx.index.settings.require_all_placed or req.id == ctx.explain_request:
            ctx.model.add(placed == 1)
        else:
            ctx.objective.add(NAME, ctx.weights(cand).unplaced, 1 - placed)
