"""The ITC2007 benchmark's run ledger: runs are grouped by the solver's code, not by its wording."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from benchmarks import itc2007

ROOT = Path(__file__).resolve().parents[2]


def _copy_solver(tmp_path: Path) -> Path:
    for package in itc2007.SOLVER_CODE:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_fingerprint_ignores_comments_and_docstrings_but_not_code(tmp_path):
    root = _copy_solver(tmp_path)
    before = itc2007.fingerprint(root)
    solver = root / "scheduling" / "examtt" / "solver.py"
    text = solver.read_text()
    worded = text.replace('"""``solve()``: construct', '"""``solve()``: build', 1)
    worded = worded.replace("END_TEMPERATURE = 0.2\n", "# the end temperature\nEND_TEMPERATURE  =  0.2\n", 1)
    assert worded != text
    solver.write_text(worded)
    assert itc2007.fingerprint(root) == before
    solver.write_text(text.replace("END_TEMPERATURE = 0.2\n", "END_TEMPERATURE = 0.3\n", 1))
    assert itc2007.fingerprint(root) != before


def _row(soft):
    return {"soft": soft, "hard": 0 if soft is not None else None, "feasible": soft is not None,
            "elapsed": 300.04, "restarted": 0}


def test_the_ledger_keeps_every_run_and_the_table_counts_them_per_solver(tmp_path):
    ledger = tmp_path / "runs.jsonl"
    itc2007.record(_row(11853), 4, 300.0, 0, "new", "abc1234", ledger)
    itc2007.record(_row(12500), 4, 300.0, 1, "new", "abc1234", ledger)
    itc2007.record(_row(12394), 4, 300.0, 1, "new", "def5678", ledger)  # the same seed again: counts too
    itc2007.record(_row(None), 1, 300.0, 0, "new", "def5678", ledger)
    itc2007.record(_row(11000), 4, 300.0, 2, "old", "0000000", ledger)  # another solver's run
    itc2007.record(_row(4222), 1, 60.0, 0, "new", "def5678", ledger)
    entries = [json.loads(line) for line in ledger.read_text().splitlines()]
    assert len(entries) == 6 and entries[0]["elapsed"] == 300.0 and entries[0]["commit"] == "abc1234"
    # the libraries the solver runs on, by version: a figure can change with them and the code unchanged
    assert set(entries[0]["libraries"]) == {"ortools", "numba", "numpy"}
    assert all(entries[0]["libraries"].values())

    runs = itc2007.ledger_runs("new", ledger)
    assert list(runs) == [60.0, 300.0]
    assert [e["soft"] for e in runs[300.0][4]] == [11853, 12500, 12394]
    table = itc2007._seeds_table(300.0, runs[300.0])
    # set 1: one infeasible run; set 4: 12500 is past 5 % above 11802 (12392.1), 12394 too, 11853 is not
    assert "| 1 | infeasible (seed 0) | 1 | — |" in table
    assert "| 4 | 11853 (seed 0), 12500 (seed 1), 12394 (seed 1) | 3 | 11853 | 12394 | 12500 | 5.9 % |" \
        in table
    assert "| 3 of 3 | 1 of 3 |" in table
    assert "Over all 4 runs: at or below the winner in 3, within 5 % of the lowest published value in 1." \
        in table


def test_runs_on_more_than_one_machine_name_their_machine(tmp_path):
    ledger = tmp_path / "runs.jsonl"
    first = itc2007.record(_row(11853), 4, 300.0, 0, "new", "abc1234", ledger)
    assert "(seed 0)" in itc2007._seeds_table(300.0, itc2007.ledger_runs("new", ledger)[300.0],
                                               itc2007._machines([first]))
    later = {**first, "seed": 1, "soft": 11500, "machine": "another CPU", "measured": "2999-01-01 00:00 UTC"}
    ledger.write_text(ledger.read_text() + json.dumps(later) + "\n")
    runs = itc2007.ledger_runs("new", ledger)[300.0]
    machines = itc2007._machines(runs[4])
    assert list(machines.values()) == ["A", "B"] and machines["another CPU"] == "B"
    assert "11853 (seed 0, A), 11500 (seed 1, B)" in itc2007._seeds_table(300.0, runs, machines)
