"""No double booking: a candidate's exams (with preparation and extra time) never overlap in absolute
time, so a Bonaire and a mainland exam on one date are compared correctly."""

from __future__ import annotations

from scheduling.context import PlacementContext, candidate_busy, total

NAME = "No double booking"
STAGE = "placement"


def post(ctx: PlacementContext) -> None:
    index = ctx.index
    seen: set[str] = set()
    for cand, _ in ctx.requests:
        if cand.id in seen:
            continue
        seen.add(cand.id)
        terms = ctx.candidate_terms(cand)
        if len(terms) < 2:
            continue
        for covering in cliques([(candidate_busy(index, cand, index.ref(sid)), expr) for sid, expr in terms]):
            ctx.model.add(total(covering) <= 1).only_enforce_if(ctx.guard(NAME))


def cliques(spans: list[tuple[tuple[int, int], object]], pad: int = 0) -> list[list[object]]:
    """Groups of expressions whose intervals (end extended by ``pad``) share a point: the maximal cliques
    of an interval graph sit at interval starts. Identical intervals are grouped first, so the work is
    (distinct intervals)^2, not (terms)^2."""
    by_interval: dict[tuple[int, int], list[object]] = {}
    for interval, expr in spans:
        by_interval.setdefault(interval, []).append(expr)
    out = []
    seen: set[tuple[int, ...]] = set()
    items = list(by_interval.items())
    for start in sorted({s for s, _ in by_interval}):
        keys = tuple(i for i, (s, e) in enumerate(by_interval) if s <= start < e + pad)
        if keys in seen:
            continue
        seen.add(keys)
        covering = [expr for i in keys for expr in items[i][1]]
        if len(covering) > 1:
            out.append(covering)
    return out
