"""Maximum sessions per ISO week per examiner; days already rostered this week count (the staff
problem is solved day by day, so earlier days arrive as ``week_load``)."""

from __future__ import annotations

from scheduling.context import StaffContext, total
from scheduling.model import Examiner, Settings

NAME = "Maximum sessions per week"
STAGE = "staff"


def limit(settings: Settings, ex: Examiner) -> int:
    return ex.max_per_week if ex.max_per_week is not None else settings.staff_max_per_week


def post_staff(ctx: StaffContext) -> None:
    for eid, items in ctx.by_examiner().items():
        left = max(0, limit(ctx.index.settings, ctx.index.examiner[eid]) - ctx.week_load.get(eid, 0))
        if len(items) > left:
            ctx.model.add(total(v for _, _, v in items) <= left).only_enforce_if(ctx.guard(NAME))
