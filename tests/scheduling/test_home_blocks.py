"""Home blocks: a full school decides for all its candidates at once which parts get its room-slots, so
the main subject fills them with full sessions and a few candidates of a rare subject sit at the
neighbouring school instead. The greedy construction aims for the same: candidates whose parts fill
sessions are seated first."""

from __future__ import annotations

from scheduling import solve as solve_module
from scheduling.context import Index
from scheduling.model import ORAL, VO, Candidate, Location, Part, Request, Room, Scenario
from scheduling.solve import Block, Run, RosterState, SolveOptions, construct_block, home_block, placement_cost
from scheduling.validator import validate
from tests.scheduling.factories import SLOTS

MAIN = Part("VO-NL-vmbo", VO, "VO oral NL vmbo", ORAL, 25, prep_min=20, subject="NL", level="vmbo")
RARE = Part("VO-NL-havo", VO, "VO oral NL havo", ORAL, 40, prep_min=20, subject="NL", level="havo")
HOME = Location("H", "School Home", 52.37, 4.90, families=(VO,))
NEXT = Location("N", "School Next", 52.33, 4.88, families=(VO,))  # about 5 km away


def full_school(rare: str = "R") -> Scenario:
    """The home school has one oral room and one day (two room-slots); twelve candidates sit the main
    part (six to a three-hour session) and two the rare one (four to a session). The neighbour's room
    is free."""
    candidates = [
        Candidate(f"M{i:02d}", VO, HOME.lat, HOME.lon, (Request(f"M{i:02d}/nl", MAIN.id),),
                  preferred_location_ids=(HOME.id,), school_id=HOME.id)
        for i in range(12)
    ] + [
        Candidate(f"{rare}{i}", VO, HOME.lat, HOME.lon, (Request(f"{rare}{i}/nl", RARE.id),),
                  preferred_location_ids=(HOME.id,), school_id=HOME.id)
        for i in range(2)
    ]
    return Scenario(
        name="full-school",
        locations=(HOME, NEXT),
        rooms=(Room("H-O1", HOME.id, ORAL, 1), Room("N-O1", NEXT.id, ORAL, 1)),
        slots=SLOTS[:2],
        parts=(MAIN, RARE),
        examiners=(),
        candidates=tuple(candidates),
    )


def rare_part_at_home(index: Index) -> RosterState:
    """A roster a greedy could leave: the rare part holds one of the home room-slots, so six main
    candidates travel to the neighbour."""
    am, pm = SLOTS[0].id, SLOTS[1].id
    state = RosterState(index)
    for i in range(6):
        state.place(f"M{i:02d}/nl", f"{MAIN.id}@H-O1@{am}")
        state.place(f"M{i + 6:02d}/nl", f"{MAIN.id}@N-O1@{pm}")
    for i in range(2):
        state.place(f"R{i}/nl", f"{RARE.id}@H-O1@{pm}")
    return state


def run_home_block(sc: Scenario) -> tuple[RosterState, float, float]:
    index = Index(sc)
    state = rare_part_at_home(index)
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    before = placement_cost(index, state, requests)
    block = Block("home H", requests, {HOME.id}, SLOTS[0].date, SLOTS[0].date, home=True)
    home_block(index, state, block, Run(SolveOptions(time_limit_s=10, num_workers=1)), 10.0, {})
    return state, before, placement_cost(index, state, requests)


def at(state: RosterState, index: Index, site: str) -> set[str]:
    return {rid for rid, sid in state.placement.items() if index.room[index.ref(sid).room_id].location_id == site}


def test_a_full_school_gives_its_room_slots_to_full_sessions_and_sends_the_rare_part_next_door():
    sc = full_school()
    state, before, after = run_home_block(sc)
    index = Index(sc)
    assert len(state.placement) == 14  # nobody is dropped on the way
    assert at(state, index, HOME.id) == {f"M{i:02d}/nl" for i in range(12)}
    assert at(state, index, NEXT.id) == {"R0/nl", "R1/nl"}
    assert after < before
    assert validate(sc, state.solution(())).ok


def test_without_a_seat_elsewhere_to_offer_the_home_block_cannot_trade(monkeypatch):
    """The test must be able to fail: the rare candidates may only stay or become unplaced, so the
    school keeps the roster it had."""
    monkeypatch.setattr(solve_module, "cheapest_elsewhere", lambda *a, **k: None)
    sc = full_school()
    state, before, after = run_home_block(sc)
    assert after == before
    assert at(state, Index(sc), NEXT.id) == {f"M{i:02d}/nl" for i in range(6, 12)}


def test_a_trade_that_finds_no_seat_elsewhere_is_rolled_back(monkeypatch):
    """The model's price for a seat elsewhere is a promise; when the neighbour turns out to be full, the
    block keeps what it had rather than leave anyone unplaced."""
    monkeypatch.setattr(solve_module, "construct_block", lambda *a, **k: None)
    sc = full_school()
    state, before, after = run_home_block(sc)
    assert len(state.placement) == 14
    assert after == before


def test_the_greedy_seats_first_the_candidates_whose_part_fills_sessions():
    """Without the ordering the rare candidates (whose ids sort first) would take a home room-slot."""
    sc = full_school(rare="A")
    index = Index(sc)
    state = RosterState(index)
    requests = [(c, r) for c in sc.candidates for r in c.requests]
    block = Block("school", requests, {HOME.id, NEXT.id}, SLOTS[0].date, SLOTS[0].date)
    construct_block(index, state, block, {})
    assert at(state, index, HOME.id) == {f"M{i:02d}/nl" for i in range(12)}
    assert at(state, index, NEXT.id) == {"A0/nl", "A1/nl"}
