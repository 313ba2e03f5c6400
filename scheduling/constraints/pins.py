"""Pinned assignments never move: a pinned request may only sit in its pinned session, and a pinned
staff assignment is forced (the builder opens the pinned session)."""

from __future__ import annotations

from scheduling.context import Index, StaffContext
from scheduling.model import Candidate, Request, SessionRef

NAME = "Pinned assignment"
STAGE = "placement"


def applies(index: Index, req: Request) -> bool:
    """Only pinned requests are restricted (lets the builder skip the per-session check)."""
    return req.id in index.pinned


def forbids(index: Index, cand: Candidate, req: Request, ref: SessionRef) -> bool:
    return index.pinned.get(req.id, ref.id) != ref.id


def post_staff(ctx: StaffContext) -> None:
    for pin in ctx.scenario.pins:
        if not pin.examiner_id:
            continue
        var = ctx.a.get((pin.examiner_id, pin.session_id, pin.role))
        if var is not None:
            ctx.model.add(var == 1).only_enforce_if(ctx.guard(NAME))
