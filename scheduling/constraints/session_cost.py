"""Session cost (soft): every opened session costs (staff, room, logistics), so the solver prefers
fewer, fuller sessions."""

from __future__ import annotations

from scheduling.context import PlacementContext

NAME = "Session cost (fewer, fuller sessions)"
STAGE = "placement"
SOFT = True


def post(ctx: PlacementContext) -> None:
    for sid, var in ctx.open.items():
        if sid in ctx.fixed_open or isinstance(var, int):
            continue
        family = ctx.index.part[ctx.universe[sid].part_id].family
        ctx.objective.add(NAME, ctx.scenario.weights_for(family).session_cost, var)
