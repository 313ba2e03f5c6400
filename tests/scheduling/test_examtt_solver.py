"""The exam-timetabling core: its own cost agrees with the independent checker, and ``solve``
returns checker-feasible timetables."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.examtt import (
    Exam,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Problem,
    Room,
    Weights,
    kernel,
    solve,
)
from scheduling.examtt import solver as examtt_solver
from scheduling.examtt.cost import hard_violations, soft_breakdown
from scheduling.examtt.data import build_data
from scheduling.examtt.solver import CHAINS, _Annealer, _race
from scheduling.itc2007.checker import check
from scheduling.itc2007.format import parse_exam, read_exam
from tests.scheduling.itc2007_tiny import BROKEN, FEASIBLE, LATE, TINY_EXAM, itc2007_dir


@pytest.fixture(scope="module", autouse=True)
def compiled_kernels():
    """Compile the numba kernels once (cold cache in a fresh clone) outside the timed solves."""
    kernel.warm_up()


COMPONENT_OF = {"C2R": "two_in_a_row", "C2D": "two_in_a_day", "CPS": "period_spread",
                "CNMD": "non_mixed_durations", "CFL": "front_load", "CP": "period_penalty",
                "CR": "room_penalty"}


def _solver_costs(problem: Problem, solution) -> tuple[dict[str, int], int, int]:
    """Breakdown, incremental kernel total and hard-violation count of the solver's own code."""
    data = build_data(problem)
    period = np.array([p for p, _ in solution], dtype=np.int64)
    room = np.array([r for _, r in solution], dtype=np.int64)
    incremental = kernel.place_all(period, room, kernel.static_arrays(data), kernel.empty_state(data))
    return soft_breakdown(problem, data, period, room), int(incremental), hard_violations(data, period, room)


@pytest.mark.parametrize("solution, total, hard", [(FEASIBLE, 49, 0), (BROKEN, 29, 6), (LATE, 63, 1)])
def test_solver_cost_matches_hand_computed_tiny_cases(solution, total, hard):
    breakdown, incremental, violations = _solver_costs(parse_exam(TINY_EXAM), solution)
    assert sum(breakdown.values()) == incremental == total
    assert violations == hard


@st.composite
def problems_and_assignments(draw):
    n_exams = draw(st.integers(1, 7))
    n_periods = draw(st.integers(1, 6))
    n_rooms = draw(st.integers(1, 3))
    students = st.lists(st.integers(0, 8), max_size=5, unique=True).map(tuple)
    exams = tuple(Exam(draw(st.sampled_from([30, 60, 90])), draw(students)) for _ in range(n_exams))
    days = sorted(draw(st.lists(st.integers(0, 3), min_size=n_periods, max_size=n_periods)))
    periods = tuple(Period(d, draw(st.sampled_from([60, 90])), draw(st.integers(0, 5))) for d in days)
    rooms = tuple(Room(draw(st.integers(0, 8)), draw(st.integers(0, 5))) for _ in range(n_rooms))
    exam = st.integers(0, n_exams - 1)
    constraints = tuple(PeriodConstraint(draw(exam), draw(st.sampled_from(list(PeriodRelation))), draw(exam))
                        for _ in range(draw(st.integers(0, 3))))
    weights = Weights(*(draw(st.integers(0, 9)) for _ in range(4)),
                      draw(st.integers(0, n_exams)), draw(st.integers(0, n_periods)), draw(st.integers(0, 9)))
    problem = Problem(exams, periods, rooms, constraints,
                      frozenset(draw(st.lists(exam, max_size=2))), weights)
    solution = [(draw(st.integers(0, n_periods - 1)), draw(st.integers(0, n_rooms - 1)))
                for _ in range(n_exams)]
    return problem, solution


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems_and_assignments())
def test_solver_cost_agrees_with_checker_on_random_assignments(case):
    problem, solution = case
    report = check(problem, solution)
    breakdown, incremental, violations = _solver_costs(problem, solution)
    assert {k: breakdown[v] for k, v in COMPONENT_OF.items()} == report.soft_weighted
    assert incremental == report.soft_total
    assert (violations == 0) == report.feasible


def random_problem(seed: int, n_exams: int = 40, n_periods: int = 12, n_rooms: int = 3) -> Problem:
    """A random, comfortably feasible instance with every constraint kind."""
    rng = random.Random(seed)
    exams = tuple(Exam(rng.choice([60, 90, 120]), tuple(rng.sample(range(150), rng.randint(1, 12))))
                  for _ in range(n_exams))
    exams = exams[:3] + (Exam(60, (200, 201)),) + exams[4:]  # coincident with exam 2: no shared student
    periods = tuple(Period(p // 3, rng.choice([120, 120, 90]), rng.randint(0, 20)) for p in range(n_periods))
    rooms = tuple(Room(rng.randint(15, 40), rng.randint(0, 10)) for _ in range(n_rooms))
    constraints = (PeriodConstraint(1, PeriodRelation.AFTER, 0),
                   PeriodConstraint(2, PeriodRelation.COINCIDENCE, 3),
                   PeriodConstraint(4, PeriodRelation.EXCLUSION, 5))
    return Problem(exams, periods, rooms, constraints, frozenset({6}),
                   Weights(7, 3, 2, 5, n_exams // 4, 3, 9))


def _assert_checker_agrees(problem: Problem, result) -> None:
    assert result.feasible, result.status
    report = check(problem, list(result.assignment))
    assert report.feasible, report.details
    assert report.soft_total == result.penalty


@pytest.mark.parametrize("seed", [1, 2])
def test_solver_on_generated_instances(seed):
    problem = random_problem(seed)
    result = solve(problem, time_limit=3, seed=seed)
    _assert_checker_agrees(problem, result)
    start = _solver_costs(problem, result.assignment)[1]
    assert start == result.penalty


def test_parallel_chains_return_a_checked_timetable():
    problem = random_problem(6)
    _assert_checker_agrees(problem, solve(problem, time_limit=2, seed=6, num_workers=2))


def test_incremental_cost_stays_exact_while_annealing():
    problem = random_problem(3)
    data = build_data(problem)
    first = solve(problem, time_limit=2, seed=3)
    assert first.feasible
    period = np.array([p for p, _ in first.assignment], dtype=np.int64)
    room = np.array([r for _, r in first.assignment], dtype=np.int64)
    annealer = _Annealer(data, period, room, seed=5, setting=CHAINS[0])
    annealer.run_chunk(20000, 50.0, 1.0)
    current = list(zip(annealer.X[0].tolist(), annealer.X[1].tolist()))
    assert check(problem, current).feasible
    assert check(problem, current).soft_total == annealer.cur
    best = list(zip(annealer.best_period.tolist(), annealer.best_room.tolist()))
    assert check(problem, best).soft_total == annealer.best <= annealer.cur


def _annealer_on_solved(seed: int) -> tuple[Problem, _Annealer]:
    problem = random_problem(seed)
    first = solve(problem, time_limit=2, seed=seed)
    period = np.array([p for p, _ in first.assignment], dtype=np.int64)
    room = np.array([r for _, r in first.assignment], dtype=np.int64)
    return problem, _Annealer(build_data(problem), period, room, seed=seed, setting=CHAINS[0])


def test_a_period_swap_moves_everything_of_both_periods_and_keeps_rooms():
    problem, annealer = _annealer_on_solved(7)
    period, room = annealer.X[0], annealer.X[1]
    p1, p2 = int(period[0]), int(period[5]) if period[5] != period[0] else int(period[6])
    size = len(problem.exams)
    ex, tp, tr = (np.empty(size, dtype=np.int64) for _ in range(3))
    annealer.mark[-1] += 1
    n, _ = kernel._period_swap(p1, p2, ex, tp, tr, annealer.mark, annealer.mark[-1], annealer.S, annealer.X)
    expected = {e: (p2 if period[e] == p1 else p1, room[e]) for e in range(size) if period[e] in (p1, p2)}
    assert {int(ex[i]): (int(tp[i]), int(tr[i])) for i in range(n)} == expected


def test_period_swaps_keep_the_timetable_feasible_and_the_cost_exact():
    """Only period swaps: every accepted swap keeps the hard rules (the AFTER relation of exams 1 and 0
    refuses some) and the incremental cost equals the checker's."""
    problem, annealer = _annealer_on_solved(7)
    only_period_swaps = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    cur, _, accepted = kernel.anneal(annealer.S, annealer.X, 5000, 1e6, 1e6, annealer.cur, annealer.best,
                                     annealer.best_period, annealer.best_room, only_period_swaps, 7,
                                     annealer.mark)
    assert accepted > 100  # at a huge temperature nearly every feasible swap is taken
    current = list(zip(annealer.X[0].tolist(), annealer.X[1].tolist()))
    assert check(problem, current).feasible
    assert check(problem, current).soft_total == cur


def _random_move(rng: random.Random, problem: Problem, annealer: _Annealer, ex, tp, tr, stamp) -> tuple[str, int, bool]:
    """One move of each kind ``_propose`` makes, drawn by ``rng``: (kind, exams moved, room search)."""
    period, room = annealer.X[0], annealer.X[1]
    n_periods, n_rooms = len(problem.periods), len(problem.rooms)
    kind = rng.choice(["shift", "group", "room", "swap", "kempe", "periods"])
    e = rng.choice([e for e in range(len(problem.exams)) if e not in (2, 3)])  # 2 and 3 coincide
    p2 = rng.choice([p for p in range(n_periods) if p != period[e]])
    if kind == "group":
        ex[:2], tp[:2], tr[:2] = (2, 3), (p2, p2), (room[2], room[3])
        return kind, 2, True
    if kind == "shift":
        ex[0], tp[0], tr[0] = e, p2, rng.randrange(n_rooms)
        return kind, 1, True
    if kind == "room":
        ex[0], tp[0], tr[0] = e, period[e], rng.choice([r for r in range(n_rooms) if r != room[e]])
        return kind, 1, False
    if kind == "swap":
        f = rng.choice([f for f in range(len(problem.exams)) if f not in (2, 3) and period[f] != period[e]])
        ex[:2], tp[:2], tr[:2] = (e, f), (period[f], period[e]), (room[f], room[e])
        return kind, 2, True
    if kind == "kempe":
        n, _ = kernel._kempe_chain(e, p2, ex, tp, tr, annealer.mark, stamp, annealer.S, annealer.X)
        return kind, n, True
    n, _ = kernel._period_swap(period[e], p2, ex, tp, tr, annealer.mark, stamp, annealer.S, annealer.X)
    return kind, n, False


@pytest.mark.parametrize("seed", [7, 8])
def test_pricing_a_move_agrees_with_making_it(seed):
    """``price`` says what a move would do without making it; making it (``relocate``) must find the same
    feasibility, rooms and change of the penalty, for every kind of move."""
    problem, annealer = _annealer_on_solved(seed)
    S, X, mark = annealer.S, annealer.X, annealer.mark
    rng = random.Random(seed)
    size = len(problem.exams)
    ex, tp, tr, tr_made, oldp, oldr = (np.empty(size, dtype=np.int64) for _ in range(6))
    seen: dict[tuple[str, bool], int] = {}
    for _ in range(3000):
        mark[-1] += 1
        kind, n, search = _random_move(rng, problem, annealer, ex, tp, tr, mark[-1])
        if n == 0:
            continue
        tr_made[:n] = tr[:n]
        ok, delta = kernel.price(n, ex, tp, tr, search, mark, mark[-1], S, X)
        made, made_delta = kernel.relocate(n, ex, tp, tr_made, oldp, oldr, search, S, X)
        assert ok == made, kind
        if ok:
            assert (list(tr[:n]), delta) == (list(tr_made[:n]), made_delta), kind
            kernel.undo(n, ex, oldp, oldr, S, X)
        seen[kind, ok] = seen.get((kind, ok), 0) + 1
    made_kinds = {kind: seen.get((kind, True), 0) for kind in ("shift", "group", "room", "swap", "kempe", "periods")}
    assert min(made_kinds.values()) >= 3, made_kinds
    assert sum(n for (_, ok), n in seen.items() if not ok) >= 50, seen
    current = list(zip(X[0].tolist(), X[1].tolist()))
    assert check(problem, current).soft_total == annealer.cur


def _whole_kempe_chain(e: int, p2: int, annealer: _Annealer) -> list[int]:
    """The Kempe chain of e between its period and p2, grown plainly: every exam reachable from e through
    students shared with exams in the other of the two periods."""
    period, adj_ptr, adj_idx = annealer.X[0], annealer.S[9], annealer.S[10]
    p1, chain, todo = int(period[e]), [e], [e]
    while todo:
        x = todo.pop()
        other = p2 if period[x] == p1 else p1
        for j in adj_idx[adj_ptr[x]:adj_ptr[x + 1]]:
            if period[j] == other and j not in chain:
                chain.append(int(j))
                todo.append(int(j))
    return chain


@pytest.mark.parametrize("seed", [7, 8])
def test_a_kempe_chain_priced_as_it_grows_agrees_with_making_it(seed):
    """The annealer prices a Kempe chain while growing it (``_kempe_chain``, then ``_price_rooms``).  The
    chain must be the whole chain, and whether it can be made, the rooms and the change of the penalty must
    be what making it (``relocate``) finds; a chain it refuses (a coincidence group, too long, a period an
    exam may not take, a broken relation) must be one that cannot be made."""
    problem, annealer = _annealer_on_solved(seed)
    S, X, mark = annealer.S, annealer.X, annealer.mark
    rng = random.Random(seed)
    size = max(len(problem.exams), kernel.KEMPE_LIMIT)
    ex, tp, tr, oldp, oldr = (np.empty(size, dtype=np.int64) for _ in range(5))
    groups = {2, 3}  # exams 2 and 3 coincide
    outcomes = {"made": 0, "no room": 0, "a period rule": 0, "too long or a coincidence group": 0}
    for _ in range(2000):
        e = rng.randrange(len(problem.exams))
        p2 = rng.choice([p for p in range(len(problem.periods)) if p != X[0][e]])
        mark[-1] += 1
        n, students = kernel._kempe_chain(e, p2, ex, tp, tr, mark, mark[-1], S, X)
        chain = _whole_kempe_chain(e, p2, annealer)
        usable = len(chain) <= kernel.KEMPE_LIMIT and not groups.intersection(chain)
        if n:  # made in the kernel's order, as the annealer would: rooms go greedily
            assert sorted(ex[:n].tolist()) == sorted(chain)
            tr_made = tr.copy()
            priced, delta = kernel._price_rooms(n, ex, tp, tr, True, students, S, X)
            made, made_delta = kernel.relocate(n, ex, tp, tr_made, oldp, oldr, True, S, X)
            assert priced == made
            if made:
                assert (tr[:n].tolist(), delta) == (tr_made[:n].tolist(), made_delta)
                kernel.undo(n, ex, oldp, oldr, S, X)
        elif usable:  # refused for a period rule, which fails in any order
            m = len(chain)
            pad = [0] * (size - m)
            made, _ = kernel.relocate(
                m, np.array(chain + pad, dtype=np.int64),
                np.array([p2 if X[0][x] == X[0][e] else X[0][e] for x in chain] + pad, dtype=np.int64),
                np.array([X[1][x] for x in chain] + pad, dtype=np.int64), oldp, oldr, True, S, X)
            assert not made
        outcomes["made" if n and made else "no room" if n else "a period rule" if usable
                 else "too long or a coincidence group"] += 1
    seen = (outcomes["made"], outcomes["a period rule"], outcomes["too long or a coincidence group"])
    assert min(seen) >= 3, outcomes
    current = list(zip(X[0].tolist(), X[1].tolist()))
    assert check(problem, current).soft_total == annealer.cur


@pytest.mark.parametrize("seed", [7, 8])
def test_a_period_swap_priced_from_the_periods_agrees_with_making_it(seed):
    """The annealer prices a period swap from the students between periods (``_period_swap``, then
    ``_price_rooms``); whether it can be made and the change of the penalty must be what making it
    exam by exam (``relocate``) finds."""
    problem, annealer = _annealer_on_solved(seed)
    S, X, mark = annealer.S, annealer.X, annealer.mark
    rng = random.Random(seed)
    size = len(problem.exams)
    ex, tp, tr, oldp, oldr = (np.empty(size, dtype=np.int64) for _ in range(5))
    outcomes = {"made": 0, "refused": 0}
    for _ in range(500):
        p1 = int(X[0][rng.randrange(size)])  # as the annealer draws it: the period of an exam
        p2 = rng.choice([p for p in range(len(problem.periods)) if p != p1])
        mark[-1] += 1
        n, students = kernel._period_swap(p1, p2, ex, tp, tr, mark, mark[-1], S, X)
        moving = [x for x in range(size) if X[0][x] in (p1, p2)]
        m = len(moving)
        whole = (np.array(moving + [0] * (size - m), dtype=np.int64),
                 np.array([p2 if X[0][x] == p1 else p1 for x in moving] + [0] * (size - m), dtype=np.int64),
                 np.array([X[1][x] for x in moving] + [0] * (size - m), dtype=np.int64))
        if n:
            assert sorted(ex[:n].tolist()) == moving
            priced, delta = kernel._price_rooms(n, ex, tp, tr, False, students, S, X)
        made, made_delta = kernel.relocate(m, *whole, oldp, oldr, False, S, X)
        assert bool(n) == made
        if made:
            assert (priced, delta) == (True, made_delta)
            kernel.undo(m, whole[0], oldp, oldr, S, X)
        outcomes["made" if made else "refused"] += 1
    assert min(outcomes.values()) >= 3, outcomes
    current = list(zip(X[0].tolist(), X[1].tolist()))
    assert check(problem, current).soft_total == annealer.cur


def _students_between_periods(annealer: _Annealer) -> np.ndarray:
    """``between`` computed afresh: the students each pair of exams shares, added up per pair of periods."""
    period, adj_ptr, adj_idx, adj_w = annealer.X[0], annealer.S[9], annealer.S[10], annealer.S[11]
    n_periods = annealer.X[8].shape[0]
    between = np.zeros((n_periods, n_periods), dtype=np.int64)
    for x in range(len(period)):
        for k in range(adj_ptr[x], adj_ptr[x + 1]):
            between[period[x], period[adj_idx[k]]] += adj_w[k]
    return between


def test_moves_priced_before_they_are_made_keep_the_cost_exact():
    """Every kind of move, priced first and made only when accepted: the incremental cost stays the
    checker's, and the best kept is the best seen."""
    problem, annealer = _annealer_on_solved(8)
    every_kind = np.array([0.3, 0.45, 0.65, 0.9, 1.0])
    cur, best, accepted = kernel.anneal(annealer.S, annealer.X, 20000, 30.0, 1.0, annealer.cur, annealer.best,
                                        annealer.best_period, annealer.best_room, every_kind, 8, annealer.mark)
    assert accepted > 100
    current = list(zip(annealer.X[0].tolist(), annealer.X[1].tolist()))
    assert check(problem, current).feasible
    assert check(problem, current).soft_total == cur
    kept = list(zip(annealer.best_period.tolist(), annealer.best_room.tolist()))
    assert check(problem, kept).soft_total == best <= cur
    assert np.array_equal(annealer.X[8], _students_between_periods(annealer))


def test_a_moved_exam_lands_in_its_cheapest_room():
    """Rooms: 0 costs 5, 1 holds an exam of another length (mixed durations cost 10), 2 and 3 are free and
    3 is the tighter fit. A moved exam (exam 2, 10 seats) takes the cheapest room that fits, the tightest
    of those, its own room on a tie of cost; when the free rooms are full, the cheaper costly one."""
    students = iter(range(1000))
    exam = lambda duration, seats: Exam(duration, tuple(next(students) for _ in range(seats)))  # noqa: E731
    problem = Problem(
        exams=(exam(90, 10), exam(60, 45), exam(60, 10), exam(60, 5)),
        periods=(Period(0, 120), Period(1, 120)),
        rooms=(Room(50, penalty=5), Room(50), Room(50), Room(12)),
        weights=Weights(non_mixed_durations=10),
    )
    data = build_data(problem)
    S, X = kernel.static_arrays(data), kernel.empty_state(data)
    kernel.place_all(np.array([0, 1, 1, 1]), np.array([1, 0, 2, 3]), S, X)
    kernel._remove(2, S, X)
    assert kernel._find_room(2, 0, -1, S, X) == 3
    assert kernel._find_room(2, 0, 2, S, X) == 2
    assert kernel._find_room(2, 0, 0, S, X) == 3
    kernel._remove(1, S, X)
    kernel._add(1, 0, 2, S, X)  # room 2 full for exam 2
    assert kernel._find_room(2, 0, -1, S, X) == 3
    kernel._remove(3, S, X)
    kernel._add(3, 0, 3, S, X)  # room 3 too
    assert kernel._find_room(2, 0, 1, S, X) == 0


class _Raced:
    """What the race looks at in a chain: its best penalty and its setting."""

    def __init__(self, best: int, setting) -> None:
        self.best, self.setting = best, setting


def _fresh_chains(setting, k):
    return _Raced(10**9, setting)


@pytest.mark.parametrize("cold_best, hot_best", [(14333, 13761), (14190, 14329), (14190, 14899)])
def test_the_race_gives_a_colder_chain_not_clearly_ahead_the_hotter_setting(cold_best, hot_best):
    cold, hot = _Raced(cold_best, CHAINS[0]), _Raced(hot_best, CHAINS[1])  # ITC set 4 a quarter of the way in
    after = _race([cold, hot], _fresh_chains)
    assert after[1] is hot
    assert after[0] is not cold and after[0].setting is CHAINS[1]


@pytest.mark.parametrize("cold_best, hot_best", [(4952, 6618), (13206, 14355), (14190, 14900)])
def test_the_race_keeps_both_chains_while_the_colder_one_clearly_leads(cold_best, hot_best):
    chains = [_Raced(cold_best, CHAINS[0]), _Raced(hot_best, CHAINS[1])]
    assert _race(chains, _fresh_chains) == chains


def test_a_solve_keeps_the_best_of_chains_the_race_replaced(monkeypatch, caplog):
    """Whatever the race replaces, the timetable returned is the best any chain held.  Here it replaces
    both chains by ones that never improve on the construction, so only the replaced ones hold better."""
    replaced, started = [], []

    def replace_all(chains, fresh):
        replaced.extend(chains)
        for k, chain in enumerate(chains):
            started.append(fresh(chain.setting, k))
            started[-1].run_chunk = lambda *args: None
        return list(started)

    monkeypatch.setattr(examtt_solver, "_race", replace_all)
    problem = random_problem(5)
    with caplog.at_level("INFO", logger="scheduling.examtt.solver"):
        result = solve(problem, time_limit=4, seed=5, num_workers=2)
    _assert_checker_agrees(problem, result)
    assert "race: chain 0" in caplog.text and "race: chain 1" in caplog.text  # operators see the restarts
    assert len(replaced) == 2 and min(c.best for c in replaced) < started[0].best
    assert result.penalty == min(c.best for c in replaced)


def test_progress_and_cancel():
    problem = random_problem(4)
    seen = []
    result = solve(problem, time_limit=30, on_progress=lambda t, best, bound: seen.append(best),
                   should_stop=lambda: len(seen) >= 2)
    assert result.status == "STOPPED" and result.elapsed < 20
    assert result.feasible and seen == sorted(seen, reverse=True) and result.penalty <= seen[-1]


def test_a_stop_during_a_cold_compile_returns_the_construction_at_once(monkeypatch):
    """On a cold numba cache the kernels compile while the construction runs; a stop asked for meanwhile
    ends the solve with the constructed timetable instead of waiting for the compiler."""
    import time

    monkeypatch.setattr(kernel, "warm_up", lambda: time.sleep(30))  # a compile that takes long
    problem = random_problem(4)
    asked = time.monotonic() + 1.0
    result = solve(problem, time_limit=60, should_stop=lambda: time.monotonic() > asked)
    assert result.status == "STOPPED" and result.feasible and result.elapsed < 10
    assert check(problem, list(result.assignment)).feasible


def test_infeasible_problem_reports_no_solution():
    problem = Problem(exams=(Exam(60, (1,)), Exam(60, (1,))), periods=(Period(0, 60),), rooms=(Room(5),))
    result = solve(problem, time_limit=2)
    assert not result.feasible and result.penalty is None and result.assignment == (None, None)


@pytest.mark.parametrize("number, limit", [(4, 8), (6, 5)])
def test_competition_sets_become_feasible(number, limit):
    problem = read_exam(itc2007_dir() / f"exam_comp_set{number}.exam")
    result = solve(problem, time_limit=limit, seed=0)
    _assert_checker_agrees(problem, result)


@pytest.mark.slow
def test_cpsat_construction_makes_set4_feasible():
    """Set 4 (one room, 21 periods, 32 exclusions) through the CP-SAT path, not the greedy one."""
    import time

    from scheduling.examtt.construct import cpsat_construct

    problem = read_exam(itc2007_dir() / "exam_comp_set4.exam")
    start = cpsat_construct(build_data(problem), deadline=time.monotonic() + 40, seed=0)
    assert start is not None
    assert check(problem, list(zip(start[0].tolist(), start[1].tolist()))).feasible


def test_cpsat_construction_packs_rooms_on_generated_instance():
    import time

    from scheduling.examtt.construct import cpsat_construct

    problem = random_problem(5, n_rooms=4)
    start = cpsat_construct(build_data(problem), deadline=time.monotonic() + 10, seed=0)
    assert start is not None
    assert check(problem, list(zip(start[0].tolist(), start[1].tolist()))).feasible


def test_cli_solve_writes_a_checked_solution(tmp_path, capsys):
    from scheduling.itc2007.cli import main

    exam, sln = tmp_path / "tiny.exam", tmp_path / "tiny.sln"
    exam.write_text(TINY_EXAM)
    assert main(["solve", str(exam), "--time-limit", "2", "--out", str(sln), "--seed", "3"]) == 0
    assert "feasible, soft penalty" in capsys.readouterr().out
    assert sln.read_bytes().count(b"\r\n") == 4
    assert main(["check", str(exam), str(sln)]) == 0


def test_cli_solve_exit_codes(tmp_path, capsys):
    from scheduling.itc2007.cli import main

    impossible = tmp_path / "impossible.exam"
    impossible.write_text("[Exams:2]\n60, 1\n60, 1\n[Periods:1]\n01:01:2020, 09:00:00, 60, 0\n"
                          "[Rooms:1]\n5, 0\n[PeriodHardConstraints]\n[RoomHardConstraints]\n"
                          "[InstitutionalWeightings]\n")
    out = tmp_path / "out.sln"
    assert main(["solve", str(impossible), "--time-limit", "2", "--out", str(out)]) == 1
    assert not out.exists()
    assert main(["solve", str(tmp_path / "missing.exam"), "--time-limit", "2", "--out", str(out)]) == 2
    assert main(["solve", str(impossible), "--time-limit", "0", "--out", str(out)]) == 2
    assert "error:" in capsys.readouterr().err
