"""Maximum sessions per day per examiner (their own limit, else the setting)."""

from __future__ import annotations

from scheduling.context import StaffContext, total
from scheduling.model import Examiner, Settings

NAME = "Maximum sessions per day"
STAGE = "staff"


def limit(settings: Settings, ex: Examiner) -> int:
    return ex.max_per_day if ex.max_per_day is not None else settings.staff_max_per_day


def post_staff(ctx: StaffContext) -> None:
    for eid, items in ctx.by_examiner().items():
        cap = limit(ctx.index.settings, ctx.index.examiner[eid])
        if len(items) > cap:
            ctx.model.add(total(v for _, _, v in items) <= cap).only_enforce_if(ctx.guard(NAME))
