"""The independent ITC2007 checker (test oracle) and the ``check`` CLI, on hand-computed cases."""

from __future__ import annotations

import json

import pytest

from scheduling.examtt.problem import Exam, Period, Problem, Room, Weights
from scheduling.itc2007.checker import check
from scheduling.itc2007.cli import main
from scheduling.itc2007.format import parse_exam, write_solution
from tests.scheduling.itc2007_tiny import BROKEN, FEASIBLE, LATE, TINY_EXAM

TINY = parse_exam(TINY_EXAM)


def test_feasible_solution_soft_components():
    report = check(TINY, FEASIBLE)
    assert report.feasible and report.hard_total == 0
    assert report.soft_raw == {"C2R": 2, "C2D": 1, "CPS": 3, "CNMD": 0, "CFL": 0, "CP": 15, "CR": 14}
    assert report.soft_weighted == {"C2R": 14, "C2D": 3, "CPS": 3, "CNMD": 0, "CFL": 0, "CP": 15, "CR": 14}
    assert report.soft_total == 49


def test_every_hard_violation_kind_is_counted():
    report = check(TINY, BROKEN)
    assert report.hard == {"conflicts": 1, "room_occupancy": 1, "period_utilisation": 1,
                           "period_related": 2, "room_related": 1}
    assert report.hard_total == 6 and not report.feasible
    assert "exams 0 and 1 share 2 student(s) in period 0" in report.details["conflicts"][0]
    assert report.soft_raw == {"C2R": 0, "C2D": 1, "CPS": 1, "CNMD": 1, "CFL": 0, "CP": 0, "CR": 14}
    assert report.soft_total == 29


def test_front_load_and_mixed_durations():
    report = check(TINY, LATE)
    assert report.soft_raw == {"C2R": 0, "C2D": 0, "CPS": 3, "CNMD": 1, "CFL": 1, "CP": 15, "CR": 21}
    assert report.soft_weighted["CFL"] == 13 and report.soft_weighted["CNMD"] == 11
    assert report.soft_total == 63
    assert report.hard == {"conflicts": 0, "room_occupancy": 0, "period_utilisation": 0,
                           "period_related": 1, "room_related": 0}


def test_last_period_of_a_day_and_first_of_next_are_not_in_a_row():
    problem = Problem(
        exams=(Exam(60, (1,)), Exam(60, (1,))),
        periods=(Period(0, 60), Period(1, 60)),
        rooms=(Room(10),),
        weights=Weights(two_in_a_row=100, two_in_a_day=100, period_spread=1),
    )
    report = check(problem, [(0, 0), (1, 0)])
    assert report.soft_raw["C2R"] == 0 and report.soft_raw["C2D"] == 0 and report.soft_raw["CPS"] == 1


def test_front_load_ties_go_to_the_lower_index():
    problem = Problem(
        exams=(Exam(60, (1, 2)), Exam(60, (3, 4)), Exam(60, (5,))),
        periods=(Period(0, 60), Period(1, 60)),
        rooms=(Room(10),),
        weights=Weights(front_load_exams=1, front_load_periods=1, front_load_weight=5),
    )
    assert check(problem, [(0, 0), (1, 0), (1, 0)]).soft_raw["CFL"] == 0
    assert check(problem, [(1, 0), (0, 0), (0, 0)]).soft_raw["CFL"] == 1


def _files(tmp_path, solution):
    exam, sln = tmp_path / "tiny.exam", tmp_path / "tiny.sln"
    exam.write_text(TINY_EXAM)
    write_solution(sln, solution)
    return str(exam), str(sln)


def test_cli_check_json(tmp_path, capsys):
    exam, sln = _files(tmp_path, FEASIBLE)
    assert main(["check", exam, sln, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["feasible"] is True and out["total"] == 49
    assert out["hard"]["total"] == 0
    assert out["soft"]["C2R"] == {"count": 2, "weighted": 14}


def test_cli_check_infeasible_exits_1(tmp_path, capsys):
    exam, sln = _files(tmp_path, BROKEN)
    assert main(["check", exam, sln]) == 1
    out = capsys.readouterr().out
    assert "Hard violations: 6" in out and "INFEASIBLE" in out
    assert main(["check", exam, sln, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["hard"]["period_related"] == 2


@pytest.mark.parametrize("content, message", [
    ("0, 0\r\n1, 0\r\n", "2 lines"),
    ("0, 0\r\n1, 0\r\n2, 9\r\n3, 1\r\n", "room 9 out of range"),
    ("0, 0\r\n1, 0\r\n2, 1\r\n-1, 1\r\n", "period -1 out of range"),
])
def test_cli_check_bad_solution_exits_2(tmp_path, capsys, content, message):
    exam, sln = _files(tmp_path, FEASIBLE)
    (tmp_path / "tiny.sln").write_text(content)
    assert main(["check", exam, sln]) == 2
    assert message in capsys.readouterr().err


def test_cli_missing_files_and_bad_arguments_exit_2(tmp_path, capsys):
    exam, sln = _files(tmp_path, FEASIBLE)
    assert main(["check", str(tmp_path / "nope.exam"), sln]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["check", exam, str(tmp_path / "nope.sln")]) == 2
    assert main(["solve", exam, "--out", sln]) == 2  # --time-limit missing
    assert main(["frobnicate"]) == 2
    assert "error:" in capsys.readouterr().err
