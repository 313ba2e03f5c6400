"""``manage.py itc2007`` behaves exactly like the CLI: solve writes a checked timetable, check reports it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .itc2007_tiny import FEASIBLE, TINY_EXAM

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "itc2007", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_solve_then_check_through_manage_py(tmp_path):
    instance = tmp_path / "tiny.exam"
    instance.write_text(TINY_EXAM)
    solution = tmp_path / "tiny.sln"
    solved = manage("solve", str(instance), "--time-limit", "3", "--out", str(solution), "--seed", "1")
    assert solved.returncode == 0, solved.stderr
    checked = manage("check", str(instance), str(solution), "--json")
    assert checked.returncode == 0
    assert json.loads(checked.stdout)["feasible"] is True


def test_check_reports_a_given_timetable_and_bad_input(tmp_path):
    instance = tmp_path / "tiny.exam"
    instance.write_text(TINY_EXAM)
    solution = tmp_path / "given.sln"
    solution.write_text("".join(f"{p}, {r}\r\n" for p, r in FEASIBLE))
    assert manage("check", str(instance), str(solution)).returncode == 0
    missing = manage("check", str(tmp_path / "nope.exam"), str(solution))
    assert missing.returncode == 2 and missing.stderr
