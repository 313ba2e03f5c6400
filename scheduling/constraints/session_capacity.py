"""Seat capacity: a sitting holds at most its room's seats; an oral block holds as many orals (with
extra time and changeover) as fit in the committee's slot. A session is open iff someone sits in it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduling.context import PlacementContext, request_usage, session_capacity

NAME = "Seat capacity"
STAGE = "placement"


def post(ctx: PlacementContext) -> None:
    index = ctx.index
    for sid, ref in ctx.universe.items():
        terms = ctx.x_of_session(sid)
        if not terms:
            continue
        part = index.part[ref.part_id]
        cap = max(0, session_capacity(index, ref) - ctx.fixed_usage.get(sid, 0))
        vars_ = [var for _, var in terms]
        usage = [request_usage(index, index.request[rid][0], part) for rid, _ in terms]
        load = cp_model.LinearExpr.weighted_sum(vars_, usage)
        ctx.model.add(load <= cap * ctx.open[sid]).only_enforce_if(ctx.guard(NAME))
        if sid not in ctx.fixed_open:
            # never open an empty session: it would cost staff for nobody
            ctx.model.add(cp_model.LinearExpr.sum(vars_) >= ctx.open[sid])
