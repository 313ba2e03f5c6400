"""Maximum exams per day per candidate (a setting). A candidate who asked for everything on one day
(the inburgering same-day rule) may take all their requests that day."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import PlacementContext, total
from scheduling.model import Candidate, Settings

NAME = "Maximum exams per day"
STAGE = "placement"


def day_limit(settings: Settings, cand: Candidate) -> int:
    if cand.same_day:
        return max(settings.max_exams_per_day, len(cand.requests))
    return settings.max_exams_per_day


def post(ctx: PlacementContext) -> None:
    seen: set[str] = set()
    for cand, _ in ctx.requests:
        if cand.id in seen:
            continue
        seen.add(cand.id)
        per_day: dict[str, list[object]] = defaultdict(list)
        for sid, expr in ctx.candidate_terms(cand):
            per_day[ctx.index.slot[ctx.index.ref(sid).slot_id].date].append(expr)
        limit = day_limit(ctx.index.settings, cand)
        for exprs in per_day.values():
            if len(exprs) > limit:
                ctx.model.add(total(exprs) <= limit).only_enforce_if(ctx.guard(NAME))
