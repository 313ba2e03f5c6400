"""Neighbourhood blocks: schools a few kilometres apart pool their oral sessions when neither has the
rooms to examine its own candidates alone."""

from __future__ import annotations

import pytest

from scheduling import solve as solve_module
from scheduling.context import Index
from scheduling.model import (
    EXAMINATOR,
    ORAL,
    SECOND,
    VO,
    Candidate,
    Examiner,
    Location,
    Part,
    Request,
    Room,
    Scenario,
)
from scheduling.solve import RosterState, SolveOptions, neighbourhood_blocks, solve
from scheduling.validator import validate
from tests.scheduling.factories import SLOTS

SUBJECTS = ("NL", "EN", "WI")
PARTS = tuple(
    Part(f"VO-{s}", VO, f"VO oral {s} havo", ORAL, 40, prep_min=20, subject=s, level="havo") for s in SUBJECTS
)
NORTH = Location("N", "School North", 52.37, 4.90, families=(VO,))
SOUTH = Location("S", "School South", 52.33, 4.88, families=(VO,))  # about 5 km away


def pooled_scenario() -> Scenario:
    """One oral room per school and one day (two half-days): each school has three candidates, one per
    subject, so alone it needs three sessions and has room for two. Pooled, three sessions of two hold
    everyone in the four room-slots of the two schools."""
    candidates = []
    for loc in (NORTH, SOUTH):
        for s in SUBJECTS:
            cid = f"{loc.id}-{s}"
            candidates.append(
                Candidate(
                    cid, VO, loc.lat, loc.lon, (Request(f"{cid}/{s}", f"VO-{s}"),),
                    preferred_location_ids=(loc.id,), school_id=loc.id,
                )
            )
    examiners = tuple(
        Examiner(f"E{i}", f"Examiner {i}", 52.35, 4.89, (EXAMINATOR, SECOND),
                 qualifications=tuple(f"{s}:havo" for s in SUBJECTS))
        for i in range(8)
    )
    return Scenario(
        name="two-schools",
        locations=(NORTH, SOUTH),
        rooms=(Room("N-O1", "N", ORAL, 1), Room("S-O1", "S", ORAL, 1)),
        slots=SLOTS[:2],
        parts=PARTS,
        examiners=examiners,
        candidates=tuple(candidates),
    )


def test_a_neighbourhood_holds_the_unplaced_and_what_sits_at_the_sites_they_reach():
    sc = pooled_scenario()
    index = Index(sc)
    state = RosterState(index)
    placed = [(c, r) for c in sc.candidates for r in c.requests if r.part_id != "VO-WI"]
    for (cand, req), room in zip(placed, ["N-O1", "N-O1", "S-O1", "S-O1"], strict=True):
        slot = "d1-am" if req.part_id == "VO-NL" else "d1-pm"
        state.place(req.id, f"{req.part_id}@{room}@{slot}")
    left = [(c, r) for c in sc.candidates for r in c.requests if r.part_id == "VO-WI"]
    (block,) = neighbourhood_blocks(index, state, left)
    assert block.location_ids == {"N", "S"}
    assert {r.id for _, r in block.requests} == {r.id for c in sc.candidates for r in c.requests}


@pytest.mark.parametrize("pooling", [True, False])
def test_neighbouring_schools_pool_sessions_so_everyone_is_placed(monkeypatch, pooling):
    sc = pooled_scenario()
    if not pooling:  # the test must be able to fail: without the blocks, someone stays unplaced
        monkeypatch.setattr(solve_module, "neighbourhood_blocks", lambda *a, **k: [])
        monkeypatch.setattr(solve_module, "home_blocks", lambda *a, **k: [])
    result = solve(sc, SolveOptions(time_limit_s=10, num_workers=1, placement_share=0.6))
    assert validate(sc, result.solution).ok
    unplaced = 6 - len(result.solution.placements)
    if pooling:
        assert unplaced == 0
    else:
        assert unplaced > 0
