"""Soak: the booking journey at a steady rate for a long time; memory per worker and database connections.

    .venv/bin/python benchmarks/soak.py [--minutes 30] [--rate 4] [--warmup 60] [--sample 30]

The stack of benchmarks/faults.py (gunicorn, PostgreSQL, a Celery worker and the outbox relay on a
dedicated redis-server), without faults. After ``--warmup`` seconds of load (every worker has then loaded
what it loads lazily) the resident memory of every gunicorn worker and every Celery process and the
number of PostgreSQL connections to the database are taken, then every ``--sample`` seconds until the end.
Reports growth per worker from the first to the last sample (target ≤ 10 %) and the connection count
(target: no more than at the start; it is bounded by workers × threads + Celery + relay). Runs unattended:
the seats and candidates are sized from the rate and the minutes. Writes docs/reliability.md.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from booking_rush import Journey  # noqa: E402
from faults import RELIABILITY, ClosingPool, children, psql, run_steady, stack, step_rows  # noqa: E402

DATABASE = "exams_bench_soak"
PORT = 8126
REDIS_PORT = 6392


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def workers(processes: list[subprocess.Popen]) -> dict[str, int]:
    """Label → pid: the gunicorn workers, the Celery main process and its pool processes."""
    gunicorn, celery = processes[0].pid, processes[1].pid
    found = {f"gunicorn worker {n + 1}": pid for n, pid in enumerate(children(gunicorn))}
    # ``python -m celery`` is the main process; its children are the pool.
    found["celery main"] = celery
    found.update({f"celery pool {n + 1}": pid for n, pid in enumerate(children(celery))})
    return found


def connections() -> int:
    return int(psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DATABASE}'"))


def sample(processes, series: dict[str, list[tuple[float, int]]], pg: list[tuple[float, int]], t: float) -> None:
    for label, pid in workers(processes).items():
        kib = rss_kib(pid)
        if kib is not None:
            series.setdefault(f"{label} (pid {pid})", []).append((t, kib))
    pg.append((t, connections()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=4, help="Arrivals (full journeys) per second.")
    parser.add_argument("--warmup", type=float, default=60, help="Seconds of load before the first sample.")
    parser.add_argument("--sample", type=float, default=30, help="Seconds between samples.")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: the stack is still taken down
    duration = args.warmup + args.minutes * 60
    arrivals = int(args.rate * duration) + 1
    seats = min(10000, arrivals + 10)  # no sell-out: the same work from the first minute to the last
    series: dict[str, list[tuple[float, int]]] = {}
    pg: list[tuple[float, int]] = []
    with stack(database=DATABASE, port=PORT, redis_port=REDIS_PORT, seats=seats, candidates=arrivals,
               workers=args.workers, threads=args.threads) as bench:
        journey = Journey(bench.data["session_id"], bench.data["tokens"][:arrivals])
        pool = ClosingPool(bench.base, workers=64)
        started = time.monotonic()
        done = threading.Event()

        def sampler() -> None:
            t = args.warmup
            while not done.wait(max(0.0, started + t - time.monotonic())):
                sample(bench.processes, series, pg, t)
                t += args.sample

        watcher = threading.Thread(target=sampler, daemon=True)
        watcher.start()
        run_steady(pool, journey.first, rate=args.rate, duration=duration)
        done.set()
        watcher.join(timeout=30)
        sample(bench.processes, series, pg, time.monotonic() - started)
        pool.drain(120)
    body = report(args, pool.samples, series, pg)
    if not args.no_write:
        write_section("soak" if args.minutes >= 30 else "soak-smoke", body, RELIABILITY)
    print(body)
    return 0


def report(args, samples, series: dict[str, list[tuple[float, int]]], pg: list[tuple[float, int]]) -> str:
    rows, worst = [], 0.0
    for label, points in sorted(series.items()):
        (t0, first), (t1, last) = points[0], points[-1]
        growth = 100.0 * (last - first) / first
        worst = max(worst, growth)
        peak = max(k for _t, k in points)
        rows.append(f"| {label} | {first / 1024:.1f} MiB | {last / 1024:.1f} MiB | {peak / 1024:.1f} MiB | "
                    f"{growth:+.1f} % | {len(points)} over {(t1 - t0) / 60:.1f} min |")
    counts = [n for _t, n in pg]
    steps = step_rows(samples)
    bounded = args.workers * args.threads + 2 + 1 + 1  # web threads, Celery pool, Celery main, relay
    failed = sum(1 for s in samples if s.status == 0 or s.status >= 500)
    command = (f".venv/bin/python benchmarks/soak.py --minutes {args.minutes:g} --rate {args.rate:g} --warmup "
               f"{args.warmup:g} --sample {args.sample:g} --workers {args.workers} --threads {args.threads}")
    return "\n".join([
        f"## Soak{'' if args.minutes >= 30 else ' (smoke run)'}: {args.minutes:g} minutes at {args.rate:g} arrivals/s",
        "",
        f"Command: `{command}` — the stack of the fault run (gunicorn {args.workers} × {args.threads}, PostgreSQL, a "
        "dedicated redis-server, a Celery worker with 2 processes, `manage.py relay_outbox`) without faults, on "
        "this 2-core machine shared with other work. Memory is the resident set (VmRSS) of each process, first "
        f"taken after {args.warmup:g} s of load.",
        "",
        "| process | first | last | peak | growth | samples |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "| check | result | target |",
        "|---|---|---|",
        f"| largest memory growth of one worker | {worst:+.1f} % | ≤ 10 % |",
        f"| PostgreSQL connections to the database | first {counts[0]}, last {counts[-1]}, most {max(counts)} "
        f"(bound {bounded}) | not growing, ≤ bound |",
        f"| failed requests | {failed} of {len(samples)} | 0 |",
        "",
        *steps,
    ])


if __name__ == "__main__":
    sys.exit(main())
