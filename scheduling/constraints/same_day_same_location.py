"""Inburgering same day: a candidate who asks for it takes all central exams on one day at one
location. One Boolean per (date, location) the candidate could use; exactly one may be chosen."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import PlacementContext, total

NAME = "All exams on one day at one location"
STAGE = "placement"


def post(ctx: PlacementContext) -> None:
    index = ctx.index
    seen: set[str] = set()
    for cand, _ in ctx.requests:
        if not cand.same_day or cand.id in seen:
            continue
        seen.add(cand.id)
        by_day_loc: dict[tuple[str, str], list[object]] = defaultdict(list)
        for sid, expr in ctx.candidate_terms(cand):
            ref = index.ref(sid)
            key = (index.slot[ref.slot_id].date, index.room[ref.room_id].location_id)
            by_day_loc[key].append(expr)
        if len(by_day_loc) < 2:
            continue
        choice = {key: ctx.model.new_bool_var(f"day[{cand.id},{key}]") for key in by_day_loc}
        ctx.model.add(total(choice.values()) <= 1).only_enforce_if(ctx.guard(NAME))
        for key, exprs in by_day_loc.items():
            for expr in exprs:
                ctx.model.add(choice[key] >= expr).only_enforce_if(ctx.guard(NAME))
