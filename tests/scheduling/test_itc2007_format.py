"""ITC2007 .exam / .sln parsing and writing."""

from __future__ import annotations

import pytest

from scheduling.examtt.problem import PeriodRelation
from scheduling.itc2007.format import (
    FormatError,
    format_solution,
    parse_exam,
    parse_solution,
    read_exam,
    read_solution,
    write_solution,
)
from tests.scheduling.itc2007_tiny import FEASIBLE, TINY_EXAM, itc2007_dir


def test_tiny_instance_is_parsed_with_and_without_spaces():
    p = parse_exam(TINY_EXAM)
    assert [e.duration for e in p.exams] == [60, 60, 90, 120]
    assert p.exams[1].students == (1, 2)
    assert p.exams[3].students == (4,)
    assert [e.size for e in p.exams] == [3, 2, 1, 1]
    assert [(q.day, q.duration, q.penalty) for q in p.periods] == [
        (0, 120, 0), (0, 120, 5), (0, 90, 0), (1, 120, 10)]
    assert [(r.capacity, r.penalty) for r in p.rooms] == [(3, 0), (5, 7)]
    kinds = [(c.first, c.kind, c.second) for c in p.period_constraints]
    assert kinds == [(1, PeriodRelation.AFTER, 0), (2, PeriodRelation.EXCLUSION, 3),
                     (3, PeriodRelation.COINCIDENCE, 3)]
    assert p.room_exclusive == frozenset({3})
    w = p.weights
    assert (w.two_in_a_row, w.two_in_a_day, w.period_spread, w.non_mixed_durations) == (7, 3, 3, 11)
    assert (w.front_load_exams, w.front_load_periods, w.front_load_weight) == (1, 1, 13)


def test_days_follow_date_strings():
    text = TINY_EXAM.replace("02:01:2020", "01:01:2020")
    assert [q.day for q in parse_exam(text).periods] == [0, 0, 0, 0]


@pytest.mark.parametrize("broken, message", [
    (TINY_EXAM.replace("[Exams:4]", "[Exams:5]"), "declares 5"),
    (TINY_EXAM.replace("1, AFTER, 0", "1, BEFORE, 0"), "unknown period constraint"),
    (TINY_EXAM.replace("3, 0\r\n5,7", "3, x\r\n5,7"), "expected integers"),
    (TINY_EXAM.replace("[Rooms:2]", "[Chairs:2]"), "missing section [Rooms]"),
    (TINY_EXAM.replace("1, AFTER, 0", "9, AFTER, 0"), "unknown exam"),
])
def test_malformed_instances_are_rejected(broken, message):
    with pytest.raises(FormatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_exam(broken)


def test_solution_round_trip_uses_crlf(tmp_path):
    path = tmp_path / "tiny.sln"
    write_solution(path, FEASIBLE)
    assert path.read_bytes() == b"0, 0\r\n1, 0\r\n2, 1\r\n3, 1\r\n"
    assert read_solution(path, parse_exam(TINY_EXAM)) == FEASIBLE
    assert format_solution([(5, 6)]) == "5, 6\r\n"


@pytest.mark.parametrize("text, message", [
    ("0, 0\n1, 0\n2, 1\n", "3 lines"),
    ("0, 0\n1, 0\n2, 1\n3, 2\n", "room 2 out of range"),
    ("0, 0\n1, 0\n4, 1\n3, 1\n", "period 4 out of range"),
    ("0, 0\n1\n2, 1\n3, 1\n", "expected"),
])
def test_bad_solutions_are_rejected(text, message):
    with pytest.raises(FormatError, match=message):
        parse_solution(text, parse_exam(TINY_EXAM))


def test_solution_parsing_accepts_missing_spaces():
    assert parse_solution("1,2\r\n3 ,4\n") == [(1, 2), (3, 4)]


@pytest.mark.parametrize("number, exams, periods, rooms", [
    (1, 607, 54, 7), (2, 870, 40, 49), (3, 934, 36, 48), (4, 273, 21, 1),
    (5, 1018, 42, 3), (6, 242, 16, 8), (7, 1096, 80, 15), (8, 598, 80, 8),
])
def test_competition_sets_match_readme_table(number, exams, periods, rooms):
    p = read_exam(itc2007_dir() / f"exam_comp_set{number}.exam")
    assert (len(p.exams), len(p.periods), len(p.rooms)) == (exams, periods, rooms)


def test_set8_front_load_is_the_original():
    w = read_exam(itc2007_dir() / "exam_comp_set8.exam").weights
    assert (w.front_load_exams, w.front_load_periods, w.front_load_weight) == (250, 30, 5)
