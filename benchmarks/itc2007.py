"""ITC2007 examination track benchmark: solve each set, check it, report in docs/benchmarks.md.

    .venv/bin/python benchmarks/itc2007.py --time-limits 60 300 [--sets 1 2 ...] [--seed N]
    .venv/bin/python benchmarks/itc2007.py --time-limits 300 --sets 1 4 6 --seeds 1 2 3

The first form is the headline table (one run per set, section "itc2007"). Every run of either form is
also appended to the run ledger (``docs/itc2007-runs.jsonl``, one JSON record per line) under the
fingerprint of the solver's code; the section "itc2007-seeds" is drawn from the ledger: every run ever
recorded for the solver as it is now, per set and time limit, with its best, median and worst against the
targets. That says how far a one-run figure can be trusted, and no run can be left out of it.

Every solution is written as an .sln file, read back and validated by the independent checker
(``scheduling.itc2007.checker``); the table reports the checker's figures, not the solver's.
Only the sections between ``<!-- itc2007:start -->`` and ``<!-- itc2007:end -->`` (and ``itc2007-seeds``)
are rewritten.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import logging
import os
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import commit, machine, stamp, versions, write_section  # noqa: E402
from scheduling.examtt import solve  # noqa: E402
from scheduling.itc2007.checker import check  # noqa: E402
from scheduling.itc2007.format import read_exam, read_solution, write_solution  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "itc2007"
# README table, column "ITC2007 winner" (Müller, competition best of 10).
WINNER = {1: 4370, 2: 400, 3: 10049, 4: 18141, 5: 2988, 6: 26585, 7: 4213, 8: 7742}
# README table, column "Lowest published" (the moonshot: within 5 % of these on every set).
LOWEST = {1: 3927, 2: 390, 3: 8012, 4: 11802, 5: 2582, 6: 25448, 7: 3662, 8: 6944}
LEDGER = ROOT / "docs" / "itc2007-runs.jsonl"
LIBRARIES = ("ortools", "numba", "numpy")  # what the solver runs on; each ledger record names their versions
# The code a run's figure depends on: the exam-timetabling core and the ITC2007 reader and checker.
SOLVER_CODE = ("scheduling/examtt", "scheduling/itc2007")


def fingerprint(root: Path = ROOT) -> str:
    """A short hash of the solver's code as Python sees it: comments, docstrings and layout do not count,
    so a run measured before an edit of the wording still belongs to the same solver."""
    digest = hashlib.sha1()
    for package in SOLVER_CODE:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                body = getattr(node, "body", None)
                if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                        and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
                    node.body = body[1:] or [ast.Pass()]
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(ast.dump(tree).encode())
    return digest.hexdigest()[:12]


def record(row: dict, number: int, limit: float, seed: int, solver: str, code: str,
           ledger: Path = LEDGER) -> dict:
    """Append one run of ``solver`` (fingerprint) at commit ``code`` to the ledger; returns the record."""
    entry = {"set": number, "limit": limit, "seed": seed, "soft": row["soft"], "hard": row["hard"],
             "feasible": row["feasible"], "elapsed": round(row["elapsed"], 1), "restarted": row["restarted"],
             "solver": solver, "commit": code,
             "measured": stamp(), "machine": machine(),
             "load": _load(), "libraries": versions(*LIBRARIES)}
    with ledger.open("a") as out:
        out.write(json.dumps(entry) + "\n")
    return entry


def ledger_runs(solver: str, ledger: Path = LEDGER) -> dict[float, dict[int, list[dict]]]:
    """Every recorded run of ``solver``: by time limit, then by set, in the order they ran."""
    runs: dict[float, dict[int, list[dict]]] = {}
    if ledger.exists():
        for line in ledger.read_text().splitlines():
            entry = json.loads(line) if line.strip() else None
            if entry and entry["solver"] == solver:
                runs.setdefault(entry["limit"], {}).setdefault(entry["set"], []).append(entry)
    return {limit: dict(sorted(by_set.items())) for limit, by_set in sorted(runs.items())}


class _Races(logging.Handler):
    """Counts the solver's race restarts (``scheduling.examtt.solver._race``) during one run."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.restarts = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.restarts += record.getMessage().startswith("race:")


def _run(instance: Path, limit: float, seed: int, out_dir: Path) -> dict:
    problem = read_exam(instance)
    races, solver_log = _Races(), logging.getLogger("scheduling.examtt.solver")
    solver_log.addHandler(races)
    solver_log.setLevel(logging.INFO)
    try:
        result = solve(problem, time_limit=limit, seed=seed, num_workers=2)
    finally:
        solver_log.removeHandler(races)
    row = {"elapsed": result.elapsed, "feasible": False, "hard": None, "soft": None,
           "restarted": races.restarts}
    if result.feasible:
        sln = out_dir / f"{instance.stem}_{int(limit)}s_seed{seed}.sln"
        write_solution(sln, result.assignment)
        report = check(problem, read_solution(sln, problem))
        row.update(feasible=report.feasible, hard=report.hard_total, soft=report.soft_total)
        if report.soft_total != result.penalty:
            print(f"WARNING: solver says {result.penalty}, checker {report.soft_total}", flush=True)
    return row


def _table(limit: float, rows: dict[int, dict]) -> str:
    lines = [f"### Time limit {limit:g} s", "",
             "| Set | Feasible | Hard violations | Soft penalty | ITC2007 winner | Ratio | Lowest published "
             "| Above lowest | Time (s) | Colder chain restarted |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for number, row in rows.items():
        soft = "—" if row["soft"] is None else str(row["soft"])
        ratio = "—" if row["soft"] is None else f"{row['soft'] / WINNER[number]:.3f}"
        above = "—" if row["soft"] is None else f"{(row['soft'] / LOWEST[number] - 1) * 100:.1f} %"
        hard = "—" if row["hard"] is None else str(row["hard"])
        lines.append(f"| {number} | {'yes' if row['feasible'] else 'no'} | {hard} | {soft} | "
                     f"{WINNER[number]} | {ratio} | {LOWEST[number]} | {above} | {row['elapsed']:.1f} | "
                     f"{'yes' if row['restarted'] else 'no'} |")
    at_or_below = sum(1 for n, r in rows.items() if r["soft"] is not None and r["soft"] <= WINNER[n])
    near = sum(1 for n, r in rows.items() if r["soft"] is not None and r["soft"] <= 1.05 * LOWEST[n])
    lines += ["", f"At or below the winner on {at_or_below} of {len(rows)} sets; within 5 % of the lowest "
              f"published value on {near} of {len(rows)}."]
    return "\n".join(lines)


def _section(tables: list[str], command: str, seed: int, code: str) -> str:
    import ortools

    head = [
        "## ITC2007 examination track",
        "",
        "Soft penalty of the timetable written to `.sln`, as computed by the independent checker "
        "(`scheduling/itc2007/checker.py`); ratio = ours / the 2007 winner's published value "
        "(lower is better, ≤ 1 beats it); above lowest = how far above the lowest value published since "
        "(`../shared/benchmarks/itc2007/README.md`). One run per set and time limit, "
        f"seed {seed}; greedy construction (CP-SAT with 2 workers as fallback), then two "
        "simulated-annealing threads with their own start temperature and move mix, the better one "
        "kept (`scheduling/examtt/solver.py`, `CHAINS`); a quarter of the way through, the colder thread, "
        "unless it leads the hotter one by more than 5 %, starts again from the construction with the hotter "
        "setting (`_race`; last column); "
        "an exam that changes period takes the cheapest room that fits it there "
        "(`scheduling/examtt/kernel.py`, `_find_room`), and every move is priced before it is made "
        "(`price`). "
        "Time = solve() wall time: construction, numba loading and annealing (parsing excluded). "
        f"Code at commit {code}.",
        "",
        f"Command: `{command}`  ",
        f"OR-Tools {ortools.__version__}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; load average at the end {_load()} "
        "(the machine is shared, so figures vary between runs).",
        "",
    ]
    return "\n".join(head) + "\n" + "\n\n".join(tables)


def _load() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _machines(entries: list[dict]) -> dict[str, str]:
    """A letter per machine the runs ran on (A first, in the order they were measured)."""
    order = dict.fromkeys(entry["machine"] for entry in sorted(entries, key=lambda entry: entry["measured"]))
    return {machine: chr(ord("A") + k) for k, machine in enumerate(order)}


def _seeds_table(limit: float, runs: dict[int, list[dict]], machines: dict[str, str] | None = None) -> str:
    """The runs per set; each run names its machine's letter when they ran on more than one."""
    machines = machines if machines and len(machines) > 1 else {}

    def run(entry: dict) -> str:
        where = f", {machines[entry['machine']]}" if machines else ""
        return f"{'infeasible' if entry['soft'] is None else entry['soft']} (seed {entry['seed']}{where})"

    lines = [f"### Time limit {limit:g} s", "",
             "| Set | Soft penalty per run | Runs | Best | Median | Worst | Worst above lowest "
             "| Runs at or below the winner | Runs within 5 % of lowest |",
             "|---|---|---|---|---|---|---|---|---|"]
    for number, entries in runs.items():
        soft = [entry["soft"] for entry in entries]
        done = sorted(v for v in soft if v is not None)
        listed = ", ".join(run(entry) for entry in sorted(entries, key=lambda entry: entry["seed"]))
        if not done:
            lines.append(f"| {number} | {listed} | {len(soft)} | — | — | — | — | 0 of {len(soft)} | "
                         f"0 of {len(soft)} |")
            continue
        median = statistics.median(done)  # of the feasible runs
        winner = sum(1 for v in done if v <= WINNER[number])
        near = sum(1 for v in done if v <= 1.05 * LOWEST[number])
        failed = len(done) < len(soft)  # an infeasible run is the worst of all
        worst = "infeasible" if failed else str(done[-1])
        worst_above = "—" if failed else f"{(done[-1] / LOWEST[number] - 1) * 100:.1f} %"
        lines.append(f"| {number} | {listed} | {len(soft)} | {done[0]} | {median:g} | {worst} | "
                     f"{worst_above} | {winner} of {len(soft)} | {near} of {len(soft)} |")
    rows = [(number, entry["soft"]) for number, entries in runs.items() for entry in entries]
    winner = sum(1 for n, soft in rows if soft is not None and soft <= WINNER[n])
    near = sum(1 for n, soft in rows if soft is not None and soft <= 1.05 * LOWEST[n])
    lines += ["", f"Over all {len(rows)} runs: at or below the winner in {winner}, within 5 % of the lowest "
              f"published value in {near}."]
    return "\n".join(lines)


def _seeds_section(solver: str) -> str:
    runs = ledger_runs(solver)
    entries = [entry for by_set in runs.values() for group in by_set.values() for entry in group]
    commits = sorted({entry["commit"] for entry in entries})
    dates = sorted(entry["measured"] for entry in entries)
    machines = _machines(entries)
    head = [
        "## ITC2007: every recorded run of this solver",
        "",
        "Every run recorded in the run ledger (`docs/itc2007-runs.jsonl`) for the solver's code as it is now "
        f"(fingerprint `{solver}`: `scheduling/examtt` and `scheduling/itc2007` without comments and "
        "docstrings), whatever the seed and whichever command ran it, the headline table's included; "
        "penalties from the independent checker. The spread between runs is the noise in any one-run figure. "
        f"Runs from commits {', '.join(commits) or '—'}, measured {dates[0] if dates else '—'} to "
        f"{dates[-1] if dates else '—'}; each record in the ledger names its command's commit, machine and "
        "load, and records since 2026-12-07 the versions of OR-Tools, numba and NumPy" + ("; a record with a `source` was written after the run, from what that source names, and "
                  "gives only what it gave." if any("source" in entry for entry in entries) else "."),
        "",
        "Command: any of `.venv/bin/python benchmarks/itc2007.py [--time-limits ...] [--sets ...] "
        "[--seed N | --seeds N ...]`; each adds its runs here.  ",
        "Machines: " + ("; ".join(f"{letter} = {machine}" for machine, letter in machines.items()) or "—")
        + ("; a run names its machine's letter after its seed." if len(machines) > 1 else "."),
        "",
    ]
    tables = [_seeds_table(limit, by_set, machines) for limit, by_set in runs.items()]
    return "\n".join(head) + "\n" + "\n\n".join(tables or ["No run recorded yet."])


def write_seeds_section(solver: str) -> None:
    write_section("itc2007-seeds", _seeds_section(solver), footer=f"_Drawn from the ledger {stamp()}._")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limits", type=float, nargs="+", default=[60.0, 300.0])
    parser.add_argument("--sets", type=int, nargs="+", default=list(range(1, 9)))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, nargs="+", help="run every set once per seed; report the spread")
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("ITC2007_DIR", DEFAULT_DIR)))
    args = parser.parse_args(argv)
    out_dir = Path(tempfile.mkdtemp(prefix="itc2007-"))
    command = ".venv/bin/python benchmarks/itc2007.py " + shlex.join(argv)
    solver, code = fingerprint(), commit()  # before the runs: an edit meanwhile must not relabel them
    if args.seeds:
        for limit in args.time_limits:
            for number in args.sets:
                for seed in args.seeds:
                    row = _run(args.dir / f"exam_comp_set{number}.exam", limit, seed, out_dir)
                    record(row, number, limit, seed, solver, code)
                    print(f"{time.strftime('%H:%M:%S')} set {number} limit {limit:g}s seed {seed}: {row}",
                          flush=True)
                    write_seeds_section(solver)
        print(f"solutions in {out_dir}; report in docs/benchmarks.md, runs in {LEDGER.relative_to(ROOT)}")
        return 0
    tables = []
    for limit in args.time_limits:
        rows = {}
        for number in args.sets:
            rows[number] = _run(args.dir / f"exam_comp_set{number}.exam", limit, args.seed, out_dir)
            record(rows[number], number, limit, args.seed, solver, code)
            print(f"{time.strftime('%H:%M:%S')} set {number} limit {limit:g}s: {rows[number]}", flush=True)
        tables.append(_table(limit, rows))
        write_section("itc2007", _section(tables, command, args.seed, code))
        write_seeds_section(solver)
    print(f"solutions in {out_dir}; report in docs/benchmarks.md, runs in {LEDGER.relative_to(ROOT)}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
