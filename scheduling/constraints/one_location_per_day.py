"""One location per day: all of an examiner's sessions on a day are at one location."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import StaffContext, total

NAME = "One location per day"
STAGE = "staff"


def post_staff(ctx: StaffContext) -> None:
    per_loc: dict[tuple[str, str], list[object]] = defaultdict(list)
    for (eid, sid, _), var in ctx.a.items():
        per_loc[(eid, ctx.session(sid).location_id)].append(var)
    by_examiner: dict[str, list[object]] = defaultdict(list)
    for (eid, loc_id), vars_ in per_loc.items():
        here = ctx.model.new_bool_var(f"at[{eid},{loc_id}]")
        ctx.at_location[(eid, loc_id)] = here
        for var in vars_:
            ctx.model.add_implication(var, here)
        ctx.model.add(total(vars_) >= here)  # no phantom days (they would cost travel)
        by_examiner[eid].append(here)
    for locs in by_examiner.values():
        if len(locs) > 1:
            ctx.model.add(total(locs) <= 1).only_enforce_if(ctx.guard(NAME))
