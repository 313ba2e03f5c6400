"""NT2: one part per exam day. The state exam NT2 schedules one part per candidate per day."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import PlacementContext, total
from scheduling.model import NT2

NAME = "NT2: one part per day"
STAGE = "placement"


def post(ctx: PlacementContext) -> None:
    seen: set[str] = set()
    for cand, _ in ctx.requests:
        if cand.family != NT2 or cand.id in seen:
            continue
        seen.add(cand.id)
        per_day: dict[str, list[object]] = defaultdict(list)
        for sid, expr in ctx.candidate_terms(cand):
            per_day[ctx.index.slot[ctx.index.ref(sid).slot_id].date].append(expr)
        for exprs in per_day.values():
            if len(exprs) > 1:
                ctx.model.add(total(exprs) <= 1).only_enforce_if(ctx.guard(NAME))
