"""Exam-timetabling annealer speed: moves per second on each ITC2007 set, this code against other commits.

    .venv/bin/python benchmarks/examtt_moves.py --against REV [REV ...] [--moves 2000000] [--sets 1 4 ...]

For every set: the construction (seed 0), then each chain setting of ``scheduling.examtt.solver.CHAINS``
alone on one thread for ``--moves`` moves, the temperature falling from the chain's start temperature to
the end one over the run, as in a whole solve. ``--against`` runs the same measurement on the code of
each commit named (``git archive`` into a temporary directory; its kernels are compiled before timing), one
after the other, and compares. The best penalty of each run is reported too: a change that only speeds
up the kernel must reach the very same best, move for move. Only the section between
``<!-- examtt-moves:start -->`` and ``<!-- examtt-moves:end -->`` of docs/benchmarks.md is rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "itc2007"


def measure(code: Path, instances: Path, sets: list[int], moves: int) -> dict:
    """Run in a fresh interpreter on the code in ``code``: {set: {chain: {seconds, best}}}."""
    sys.path.insert(0, str(code))
    import numpy as np

    from scheduling.examtt import kernel
    from scheduling.examtt.construct import construct
    from scheduling.examtt.data import build_data
    from scheduling.examtt.solver import CHAINS, END_TEMPERATURE, _Annealer
    from scheduling.itc2007.format import read_exam

    kernel.warm_up()
    out: dict = {}
    for number in sets:
        data = build_data(read_exam(instances / f"exam_comp_set{number}.exam"))
        start = construct(data, deadline=time.monotonic() + 120, seed=0, num_workers=1)
        for k, setting in enumerate(CHAINS):
            chain = _Annealer(data, *start, seed=k, setting=setting)
            t0 = chain.start_temperature()
            chunks = 20
            tick = time.perf_counter()
            for c in range(chunks):
                chain.run_chunk(moves // chunks, t0 * (END_TEMPERATURE / t0) ** (c / chunks),
                                t0 * (END_TEMPERATURE / t0) ** ((c + 1) / chunks))
            seconds = time.perf_counter() - tick
            out.setdefault(str(number), {})[str(k)] = {"seconds": seconds, "best": int(chain.best)}
            assert np.all(chain.best_period >= 0)
    return out


def _run_worker(code: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(code), "--moves", str(args.moves),
               "--dir", str(args.dir), "--sets", *map(str, args.sets)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _checkout(rev: str) -> tuple[Path, str]:
    from benchmarks._report import commit

    short = commit(rev)
    archive = subprocess.run(["git", "archive", rev, "scheduling"], cwd=ROOT, capture_output=True, check=True).stdout
    target = Path(tempfile.mkdtemp(prefix=f"examtt-{short}-"))
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target, short


def _section(command: str, moves: int, here: str, new: dict, older: list[tuple[str, dict]]) -> str:
    theirs = ", ".join(rev for rev, _ in older)
    lines = [
        "## Exam-timetabling annealer: moves per second",
        "",
        f"Each ITC2007 set, the construction with seed 0, then each chain setting alone on one thread for "
        f"{moves:,} moves with the temperature falling over the run as in a whole solve; this commit "
        f"({here}) against {theirs}, one after the other on the same machine. Same best: whether every "
        f"commit reached the very same best penalty, as a change that only makes the same search faster must.",
        "",
        f"Command: `{command}`",
        "",
        "| Set | Chain | " + " | ".join(f"Moves/s at {rev}" for rev, _ in older) + f" | Moves/s at {here} | "
        + " | ".join(f"Speed-up on {rev}" for rev, _ in older) + " | Best | Same best |",
        "|---|---|" + "---|" * (2 * len(older) + 3),
    ]
    for number, chains in new.items():
        for k, row in chains.items():
            rate = moves / row["seconds"]
            before = [result[number][k] for _, result in older]
            others = sorted({b["best"] for b in before if b["best"] != row["best"]})
            lines.append(
                f"| {number} | {k} | " + " | ".join(f"{moves / b['seconds']:,.0f}" for b in before)
                + f" | {rate:,.0f} | " + " | ".join(f"{rate * b['seconds'] / moves:.2f}" for b in before)
                + f" | {row['best']} | {'no (' + ', '.join(map(str, others)) + ')' if others else 'yes'} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", nargs="+", metavar="REV", help="the commits to compare with")
    parser.add_argument("--moves", type=int, default=2_000_000)
    parser.add_argument("--sets", type=int, nargs="+", default=list(range(1, 9)))
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("ITC2007_DIR", DEFAULT_DIR)))
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.worker, args.dir, args.sets, args.moves)))
        return 0
    if not args.against:
        parser.error("give --against REV [REV ...], the commits to compare with")
    sys.path.insert(0, str(ROOT))
    from benchmarks._report import commit, write_section

    older = []
    for rev in args.against:
        code, short = _checkout(rev)
        older.append((short, _run_worker(code, args)))
        print(f"{time.strftime('%H:%M:%S')} {short}: {older[-1][1]}", flush=True)
    here = commit()
    new = _run_worker(ROOT, args)
    print(f"{time.strftime('%H:%M:%S')} {here}: {new}", flush=True)
    command = ".venv/bin/python benchmarks/examtt_moves.py " + shlex.join(argv)
    write_section("examtt-moves", _section(command, args.moves, here, new, older))
    print("report in docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
