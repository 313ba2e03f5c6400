"""Staff cost (soft): each person called in for a day costs, so the roster uses fewer, fuller days;
changing a published staff assignment costs the change weight (repair), or is forbidden in a repair's
first pass (``keep_published``), which only fills the holes the disruption made."""

from __future__ import annotations

from scheduling.context import StaffContext

NAME = "Staff cost"
CHANGE_NAME = "Change to published roster"
STAGE = "staff"
SOFT = True


def post_staff(ctx: StaffContext) -> None:
    weights = ctx.scenario.weights
    for var in ctx.at_location.values():
        ctx.objective.add(NAME, weights.staff_cost, var)
    for key in ctx.published:
        kept = ctx.a.get(key, 0)
        if ctx.keep_published and not isinstance(kept, int):
            ctx.model.add(kept == 1)
        ctx.objective.add(CHANGE_NAME, weights.change, 1 - kept)  # the warm start hints keeping it
