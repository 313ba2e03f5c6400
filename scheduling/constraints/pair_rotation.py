"""Rotate examiner pairs (soft, fairness): the same examinator and second examiner sit together on at
most ``max_pair_days`` days; each further day together costs. Earlier days arrive as ``pair_days``."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import StaffContext
from scheduling.model import EXAMINATOR, SECOND

NAME = "Rotate examiner pairs"
STAGE = "staff"
SOFT = True


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def post_staff(ctx: StaffContext) -> None:
    limit = ctx.index.settings.max_pair_days
    worn = {pair for pair, days in ctx.pair_days.items() if days >= limit}
    if not worn:
        return
    by_session: dict[str, dict[str, list[tuple[str, object]]]] = defaultdict(lambda: defaultdict(list))
    for (eid, sid, role), var in ctx.a.items():
        if role in (EXAMINATOR, SECOND):
            by_session[sid][role].append((eid, var))
    together: dict[tuple[str, str], object] = {}
    for roles in by_session.values():
        for e1, v1 in roles[EXAMINATOR]:
            for e2, v2 in roles[SECOND]:
                key = pair_key(e1, e2)
                if key not in worn:
                    continue
                if key not in together:
                    together[key] = ctx.model.new_bool_var(f"pair[{key}]")
                ctx.model.add(together[key] >= v1 + v2 - 1)
    for var in together.values():
        ctx.objective.add(NAME, ctx.scenario.weights.fairness, var)
