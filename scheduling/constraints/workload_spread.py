"""Fair workload (soft): minimise the spread (highest minus lowest running total of sessions) among the
examiners available that day, so work is shared; per-day solving carries earlier days as prior load."""

from __future__ import annotations

from scheduling.context import StaffContext, total

NAME = "Fair workload (spread)"
STAGE = "staff"
SOFT = True


def post_staff(ctx: StaffContext) -> None:
    items = ctx.by_examiner()
    if len(items) < 2:
        return
    loads = {eid: ctx.prior_load.get(eid, 0) + total(v for _, _, v in vs) for eid, vs in items.items()}
    top = max(ctx.prior_load.get(e, 0) + len(vs) for e, vs in items.items())
    high = ctx.model.new_int_var(0, top, "load_max")
    low = ctx.model.new_int_var(0, top, "load_min")
    for load in loads.values():
        ctx.model.add(high >= load)
        ctx.model.add(low <= load)
    ctx.objective.add(NAME, ctx.scenario.weights.spread, high - low)
