"""Changes to the published roster (soft, repair): moving a published placement costs, so a repair
changes only what it must. Pins are hard (pins module)."""

from __future__ import annotations

from scheduling.context import PlacementContext

NAME = "Change to published roster"
STAGE = "placement"
SOFT = True


def post(ctx: PlacementContext) -> None:
    for cand, req in ctx.requests:
        old = ctx.published.get(req.id)
        if old is None:
            continue
        kept = ctx.x.get((req.id, old), 0)
        ctx.objective.add(NAME, ctx.weights(cand).change, 1 - kept)  # the warm start hints keeping it
