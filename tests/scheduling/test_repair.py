"""Repair keeps everything that may stay and reports changed against strictly necessary."""

from dataclasses import replace

from scheduling import synthetic
from scheduling.model import (
    EXAMINER_UNAVAILABLE,
    FEASIBLE,
    LOCATION_CLOSED,
    OPTIMAL,
    ROOM_CLOSED,
    Disruption,
    Expiry,
    Pin,
)
from scheduling.repair import repair
from scheduling.validator import validate
from tests.scheduling.factories import candidate, scenario
from tests.scheduling.helpers import FAST, solve_ok


def _published(sc):
    return replace(sc, published=solve_ok(sc).solution)


def _check(sc):
    fixed = repair(sc, FAST)
    assert fixed.result.status in (OPTIMAL, FEASIBLE)
    assert validate(sc, fixed.result.solution).ok
    return fixed


def test_no_disruption_changes_nothing():
    fixed = _check(_published(synthetic.small(1)))
    assert not fixed.changed_placements and not fixed.changed_staff and not fixed.added_staff


def test_room_closed_moves_only_its_candidates():
    sc = _published(scenario(*[candidate(f"C{i}", "NT2-I-R") for i in range(6)], candidate("S", "NT2-I-S")))
    room = sc.published.sessions[0].split("@")[1]
    fixed = _check(replace(sc, disruptions=(Disruption(ROOM_CLOSED, room),)))
    assert set(fixed.changed_placements) == set(fixed.necessary_placements) != set()
    assert fixed.unnecessary_changes == 0
    assert not fixed.result.unplaced


def test_examiner_ill_changes_only_their_duties():
    sc = _published(synthetic.small(2, n_candidates=10, n_staff=6))
    ill = sc.published.staff[0].examiner_id
    day = sc.published.sessions[0]
    fixed = _check(replace(sc, disruptions=(Disruption(EXAMINER_UNAVAILABLE, ill),)))
    assert not fixed.changed_placements
    assert {a.examiner_id for a in fixed.necessary_staff} == {ill}
    assert set(fixed.necessary_staff) <= set(fixed.changed_staff)  # a swap to cover the gap may add more
    assert len(fixed.changed_staff) <= 2 * len(fixed.necessary_staff)
    assert ill not in {a.examiner_id for a in fixed.result.solution.staff}
    assert day


def test_a_lapsed_qualification_changes_only_the_duties_after_it():
    """Someone with a published duty after the first day loses every role after that day: their duties on
    the first day stay, those after it are the strictly necessary changes, and nothing else moves."""
    sc = _published(synthetic.small(2, n_candidates=10, n_staff=6))
    first_day = min(slot.date for slot in sc.slots)
    day_of = {s.id: s.date for s in sc.slots}
    lapsing = next(a.examiner_id for a in sc.published.staff if day_of[a.session_id.split("@")[2]] > first_day)
    ex = next(e for e in sc.examiners if e.id == lapsing)
    expiring = replace(ex, expires=tuple(Expiry(role, first_day) for role in ex.roles))
    fixed = _check(replace(sc, examiners=tuple(expiring if e.id == lapsing else e for e in sc.examiners)))
    theirs = [a for a in sc.published.staff if a.examiner_id == lapsing]
    after = {a for a in theirs if day_of[a.session_id.split("@")[2]] > first_day}
    assert set(fixed.necessary_staff) == after
    assert not fixed.changed_placements and len(fixed.changed_staff) <= 2 * len(after)
    kept = set(fixed.result.solution.staff)
    assert all(a in kept for a in theirs if a not in after)


def test_pins_never_move_even_when_their_location_closes_elsewhere():
    cands = [candidate(f"C{i}", "NT2-I-R", max_travel_km=200.0) for i in range(3)]
    pin = Pin("NT2-I-R@AMS-C2@d2-pm", request_id="C0/NT2-I-R")
    sc = _published(scenario(*cands, pins=(pin,)))
    fixed = _check(replace(sc, disruptions=(Disruption(LOCATION_CLOSED, "AMS", ("2026-06-01",)),)))
    assert any(
        p.request_id == "C0/NT2-I-R" and p.session_id == pin.session_id
        for p in fixed.result.solution.placements
    )
    assert "C0/NT2-I-R" not in fixed.changed_placements
    assert "moved" not in fixed.summary()
