"""No overlap and breaks: an examiner's sessions on a day never overlap and are separated by at least
the minimum break (a setting); checked on the interval graph's start points (its maximal cliques)."""

from __future__ import annotations

from scheduling.constraints.no_double_booking import cliques
from scheduling.context import StaffContext, total

NAME = "No overlap and breaks"
STAGE = "staff"


def post_staff(ctx: StaffContext) -> None:
    gap = ctx.index.settings.min_break_min
    for items in ctx.by_examiner().values():
        if len(items) < 2:
            continue
        spans = [(ctx.session(sid).interval, var) for sid, _, var in items]
        for covering in cliques(spans, pad=gap):
            ctx.model.add(total(covering) <= 1).only_enforce_if(ctx.guard(NAME))
