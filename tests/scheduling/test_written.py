"""Planning a VO written period's national timetable on the exam-timetabling core (scheduling.written)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.examtt import kernel
from scheduling.itc2007.checker import check
from scheduling.written import (
    Slot,
    WrittenPart,
    WrittenPeriod,
    WrittenWeights,
    encode,
    plan_written,
)

MONDAY = date(2027, 8, 16)


@pytest.fixture(scope="module", autouse=True)
def compiled_kernels():
    """Compile the numba kernels once (cold cache in a fresh clone) outside the timed solves."""
    kernel.warm_up()


def two_slots_a_day(days: int, *, length: int = 210) -> tuple[Slot, ...]:
    """Morning and afternoon slots on ``days`` consecutive dates from MONDAY."""
    return tuple(Slot(MONDAY + timedelta(days=d), start, length)
                 for d in range(days) for start in (time(9, 0), time(13, 30)))


def random_period(seed: int, *, parts: int = 14, candidates: int = 60, days: int = 5,
                  seats: int = 40) -> WrittenPeriod:
    """Two levels, each with half the parts; every candidate sits two to four parts of one level,
    so parts of different levels may share a slot.  Slots have an occasional penalty."""
    rng = random.Random(seed)
    enrolled: dict[int, list[int]] = defaultdict(list)
    for person in range(candidates):
        level = range(0, parts // 2) if person % 2 else range(parts // 2, parts)
        for part in rng.sample(level, rng.randint(2, 4)):
            enrolled[part].append(person)
    written = tuple(WrittenPart(f"P{p}", f"Part {p}", rng.choice([120, 150, 180]), tuple(enrolled[p]))
                    for p in range(parts))
    slots = tuple(Slot(s.day, s.start, s.length, rng.choice([0, 0, 0, 5])) for s in two_slots_a_day(days))
    return WrittenPeriod(parts=written, slots=slots, seats=seats)


def slot_of_candidates(period: WrittenPeriod, timetable) -> Counter:
    """How many exams each candidate sits in each slot."""
    load: Counter = Counter()
    for part in period.parts:
        for person in part.candidates:
            load[(person, timetable[part.id])] += 1
    return load


def core_assignment(period: WrittenPeriod, result) -> tuple:
    """The result as the core's (period, room) assignment, anchors included, for the checker."""
    encoded = encode(period)
    by_slot = {slot: index for index, slot in enumerate(encoded.slots)}
    parts = [(by_slot[result.timetable[p.id]], 0) for p in period.parts]
    anchors = [(index, 0) for index in range(len(encoded.slots))] if encoded.anchored else []
    return encoded, parts + anchors


def assert_checker_agrees(period: WrittenPeriod, result) -> None:
    encoded, solution = core_assignment(period, result)
    report = check(encoded.problem, solution)
    assert report.feasible, report.details
    assert report.soft_total == result.penalty + encoded.constant


def test_every_part_gets_a_slot_without_clashes_and_the_checker_agrees_on_the_penalty():
    period = random_period(1)
    result = plan_written(period, time_limit=2, seed=1, num_workers=1)
    assert result.feasible, result.message
    assert set(result.timetable) == {p.id for p in period.parts}
    assert max(slot_of_candidates(period, result.timetable).values()) == 1
    assert result.clashes == 0
    assert_checker_agrees(period, result)
    assert sum(rule.penalty for rule in result.breakdown) == result.penalty


def test_the_breakdown_counts_what_each_candidate_meets_in_a_planners_words():
    period = random_period(2)
    result = plan_written(period, time_limit=2, seed=2, num_workers=1)
    slots = sorted(period.slots, key=lambda s: (s.day, s.start))
    pairs_same_day = 0
    for person in {c for p in period.parts for c in p.candidates}:
        mine = sorted(slots.index(result.timetable[p.id]) for p in period.parts if person in p.candidates)
        pairs_same_day += sum(slots[a].day == slots[b].day for i, a in enumerate(mine) for b in mine[i + 1:])
    rules = {rule.rule: rule for rule in result.breakdown}
    assert rules["two_in_a_row"].times + rules["two_in_a_day"].times == pairs_same_day
    assert rules["two_in_a_row"].penalty == 10 * rules["two_in_a_row"].times
    assert f"{rules['two_in_a_row'].times} times a candidate" in rules["two_in_a_row"].words


def test_the_seats_of_a_slot_are_never_exceeded():
    period = random_period(3, parts=10, candidates=40, seats=25)
    result = plan_written(period, time_limit=2, seed=3, num_workers=1)
    assert result.feasible, result.message
    seated: Counter = Counter()
    for part in period.parts:
        seated[result.timetable[part.id]] += len(part.candidates)
    assert max(seated.values()) <= 25
    assert_checker_agrees(period, result)


def test_fixed_and_forbidden_slots_and_apart_pairs_are_honoured():
    base = random_period(4)
    slots = tuple(sorted(base.slots, key=lambda s: (s.day, s.start)))
    fixed = {"P0": slots[7], "P1": slots[0]}
    forbidden = {"P2": slots[:6], "P3": slots[:-1]}
    period = WrittenPeriod(base.parts, base.slots, base.seats, fixed=fixed, forbidden=forbidden,
                           apart=(("P4", "P5"),))
    result = plan_written(period, time_limit=3, seed=4, num_workers=1)
    assert result.feasible, result.message
    assert result.timetable["P0"] == slots[7] and result.timetable["P1"] == slots[0]
    assert result.timetable["P2"] not in slots[:6]
    assert result.timetable["P3"] == slots[-1]
    assert result.timetable["P4"] != result.timetable["P5"]
    assert_checker_agrees(period, result)


def test_more_parts_sharing_candidates_than_slots_is_reported_not_raised():
    everyone = tuple(range(5))
    parts = tuple(WrittenPart(f"P{p}", f"Part {p}", 120, everyone) for p in range(5))
    result = plan_written(WrittenPeriod(parts, two_slots_a_day(2), seats=100), time_limit=1, num_workers=1)
    assert not result.feasible and result.timetable == {} and result.penalty is None
    assert "5 parts" in result.message and "4 slots" in result.message


def test_a_part_longer_than_every_slot_or_larger_than_the_seats_is_reported():
    long = WrittenPeriod((WrittenPart("L", "Long", 240, (1,)),), two_slots_a_day(1), seats=10)
    assert "Long" in plan_written(long, time_limit=1, num_workers=1).message
    big = WrittenPeriod((WrittenPart("B", "Big", 120, tuple(range(11))),), two_slots_a_day(1), seats=10)
    result = plan_written(big, time_limit=1, num_workers=1)
    assert not result.feasible and "11 candidates" in result.message and "10 seats" in result.message


def test_a_timetable_the_core_cannot_find_is_reported():
    """Five parts in a chain of shared candidates need three slots when every other slot is
    forbidden for them: not caught by the pre-checks, so the core must say so."""
    parts = tuple(WrittenPart(f"P{p}", f"Part {p}", 120, (p, p + 1)) for p in range(5))
    slots = two_slots_a_day(2)
    period = WrittenPeriod(parts, slots, seats=100, forbidden={f"P{p}": slots[2:] for p in range(5)},
                           apart=(("P0", "P2"), ("P2", "P4"), ("P0", "P4")))
    result = plan_written(period, time_limit=1, num_workers=1)
    assert not result.feasible and result.timetable == {}
    assert "No timetable" in result.message


@st.composite
def small_periods(draw):
    n_parts = draw(st.integers(1, 6))
    students = st.lists(st.integers(0, 9), max_size=5, unique=True).map(tuple)
    parts = tuple(WrittenPart(f"P{p}", f"Part {p}", draw(st.sampled_from([60, 120, 180])), draw(students))
                  for p in range(n_parts))
    slots = tuple(Slot(s.day, s.start, s.length, draw(st.integers(0, 3)))
                  for s in two_slots_a_day(draw(st.integers(1, 4))))
    weights = WrittenWeights(draw(st.integers(0, 9)), draw(st.integers(0, 9)), draw(st.integers(0, 3)))
    return WrittenPeriod(parts, slots, seats=draw(st.integers(3, 12)), weights=weights)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_periods())
def test_any_small_period_is_planned_without_clashes_or_reported_infeasible(period):
    result = plan_written(period, time_limit=0.3, seed=0, num_workers=1)
    if not result.feasible:
        assert result.message and result.timetable == {}
        return
    assert set(result.timetable) == {p.id for p in period.parts}
    assert max(slot_of_candidates(period, result.timetable).values(), default=1) == 1
    assert_checker_agrees(period, result)


def test_progress_reports_every_better_timetable_in_the_results_terms():
    """With a fixed part the core's penalty carries the anchors' constant; progress reports it as the
    result does, each report better than the one before, the last one the result's."""
    base = random_period(4)
    slots = tuple(sorted(base.slots, key=lambda s: (s.day, s.start)))
    period = WrittenPeriod(base.parts, base.slots, base.seats, fixed={"P0": slots[7]})
    assert encode(period).constant > 0
    heard: list[tuple[float, int]] = []
    result = plan_written(period, time_limit=2, seed=4, num_workers=1,
                          on_progress=lambda elapsed, penalty: heard.append((elapsed, penalty)))
    assert result.feasible and heard
    penalties = [penalty for _elapsed, penalty in heard]
    assert penalties == sorted(penalties, reverse=True) and penalties[-1] == result.penalty
    assert all(0 <= elapsed <= result.elapsed for elapsed, _penalty in heard)


def test_a_stop_request_returns_the_best_timetable_found_so_far():
    heard: list[int] = []
    result = plan_written(random_period(5), time_limit=30, seed=5, num_workers=1,
                          on_progress=lambda _elapsed, penalty: heard.append(penalty),
                          should_stop=lambda: bool(heard))
    assert result.feasible and result.elapsed < 10 and result.penalty == heard[-1]
