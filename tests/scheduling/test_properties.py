"""Property tests: on small random scenarios every roster the solver returns passes the validator,
and a repair after a random disruption does too, changing no more than it reports."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling import synthetic
from scheduling.model import (
    EXAMINER_UNAVAILABLE,
    FAMILIES,
    FEASIBLE,
    OPTIMAL,
    ROOM_CLOSED,
    Disruption,
    Expiry,
    family_role,
)
from scheduling.repair import repair
from scheduling.solve import SolveOptions, solve
from scheduling.validator import validate

QUICK = SolveOptions(time_limit_s=2.0, num_workers=2, seed=3)
PROFILE = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12), seats=st.integers(1, 4), staff=st.integers(0, 5))
def test_every_returned_roster_passes_the_validator(seed, n, seats, staff):
    sc = synthetic.small(seed, n_candidates=n, seats=seats, n_staff=staff)
    result = solve(sc, QUICK)
    assert result.status in (OPTIMAL, FEASIBLE)
    report = validate(sc, result.solution)
    assert report.ok, [v.message for v in report.violations]
    placed = {p.request_id for p in result.solution.placements}
    assert {u.request_id for u in result.unplaced} == {
        r.id for c in sc.candidates for r in c.requests
    } - placed
    assert all(u.reasons and u.reasons[0].startswith("Candidate ") for u in result.unplaced)


@PROFILE
@given(
    seed=st.integers(0, 10_000),
    pick=st.integers(0, 50),
    kind=st.sampled_from([ROOM_CLOSED, EXAMINER_UNAVAILABLE]),
)
def test_repair_is_valid_and_reports_its_changes(seed, pick, kind):
    sc = synthetic.small(seed, n_candidates=8, n_staff=5)
    published = solve(sc, QUICK).solution
    if kind == ROOM_CLOSED:
        target = sc.rooms[pick % len(sc.rooms)].id
    else:
        target = sc.examiners[pick % len(sc.examiners)].id
    disrupted = replace(sc, published=published, disruptions=(Disruption(kind, target),))
    fixed = repair(disrupted, QUICK)
    assert validate(disrupted, fixed.result.solution).ok
    now = {p.request_id: p.session_id for p in fixed.result.solution.placements}
    moved = {p.request_id for p in published.placements if now.get(p.request_id) != p.session_id}
    assert moved == set(fixed.changed_placements)
    assert set(fixed.necessary_placements) <= moved


@PROFILE
@given(seed=st.integers(0, 10_000), n=st.integers(1, 10), lapse=st.lists(st.integers(0, 99), min_size=5, max_size=5))
def test_rosters_with_lapsing_qualifications_pass_the_validator(seed, n, lapse):
    """Each examiner loses one of their roles or qualifications on a random day of the scenario (or keeps
    everything): whatever the solver returns still passes the validator, which checks every duty's date."""
    sc = synthetic.small(seed, n_candidates=n, n_staff=5)
    dates = sorted({slot.date for slot in sc.slots})
    last_days = [(date.fromisoformat(dates[0]) - timedelta(days=1)).isoformat(), *dates[:-1]]  # each bites
    examiners = []
    for ex, draw in zip(sc.examiners, lapse, strict=False):
        held = [*ex.roles, *ex.qualifications]
        if draw % 4 == 0 or not held:
            examiners.append(ex)
            continue
        expiry = Expiry(held[draw % len(held)], last_days[draw % len(last_days)])
        examiners.append(replace(ex, expires=(expiry,)))
    sc = replace(sc, examiners=tuple(examiners) + sc.examiners[len(examiners):])
    result = solve(sc, QUICK)
    assert result.status in (OPTIMAL, FEASIBLE)
    report = validate(sc, result.solution)
    assert report.ok, [v.message for v in report.violations]


@PROFILE
@given(seed=st.integers(0, 10_000), n=st.integers(1, 10), scoping=st.lists(st.integers(0, 99), min_size=10, max_size=10))
def test_rosters_with_roles_held_in_one_family_pass_the_validator(seed, n, scoping):
    """Each examiner's roles are each held in every family or in one random family only: whatever the
    solver returns still passes the validator, which checks every duty's family."""
    sc = synthetic.small(seed, n_candidates=n, n_staff=5)
    examiners = []
    for ex, draw in zip(sc.examiners, scoping, strict=False):
        roles = tuple(role if (draw >> i) % 3 == 0 else family_role(role, FAMILIES[(draw + i) % len(FAMILIES)])
                      for i, role in enumerate(ex.roles))
        examiners.append(replace(ex, roles=roles))
    sc = replace(sc, examiners=tuple(examiners) + sc.examiners[len(examiners):])
    result = solve(sc, QUICK)
    assert result.status in (OPTIMAL, FEASIBLE)
    report = validate(sc, result.solution)
    assert report.ok, [v.message for v in report.violations]
