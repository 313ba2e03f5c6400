"""Staff coverage: every open session gets the staff it needs (a committee of two for an oral, one
invigilator per N seats otherwise); one role per person per session. A missing person costs the top
weight (or is forbidden when ``require_all_covered`` is on) and is explained."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import StaffContext, total

NAME = "Staff coverage"
STAGE = "staff"
SOFT = True


def post_staff(ctx: StaffContext) -> None:
    by_need: dict[tuple[str, str], list[object]] = defaultdict(list)
    by_person: dict[tuple[str, str], list[object]] = defaultdict(list)
    for (eid, sid, role), var in ctx.a.items():
        by_need[(sid, role)].append(var)
        by_person[(eid, sid)].append(var)
    for vars_ in by_person.values():
        if len(vars_) > 1:
            ctx.model.add(total(vars_) <= 1)
    for sess in ctx.sessions:
        family = ctx.index.part[sess.ref.part_id].family
        weight = ctx.scenario.weights_for(family).uncovered
        for role, need in sess.need.items():
            staffed = total(by_need.get((sess.sid, role), []))
            ctx.model.add(staffed <= need)
            short = need - staffed
            ctx.short[(sess.sid, role)] = short
            if ctx.scenario.settings.require_all_covered:
                ctx.model.add(short == 0).only_enforce_if(ctx.guard(NAME))
            else:
                ctx.objective.add(NAME, weight, short)
