"""Faults under load: the booking rush at a steady rate while a web worker is killed, every database
connection is terminated, and the broker is stopped for a minute.

    .venv/bin/python benchmarks/faults.py [--rate 2] [--baseline 40] [--gap 30] [--outage 60] [--tail 60]

The stack of benchmarks/booking_rush.py (gunicorn, PostgreSQL, a Celery worker) with its own redis-server
(on a spare port, with an append-only file, so stopping it touches nothing else) and the outbox relay
(``manage.py relay_outbox``) beside it. Candidates arrive at ``--rate`` per second for the whole run, each
going list → book → start payment → checkout page → pay; the test provider's webhook (a job) confirms
the booking and the confirmation e-mail (a job) follows. Faults, in order, ``--gap`` seconds apart after
``--baseline`` seconds: SIGKILL one gunicorn worker; ``pg_terminate_backend`` on every connection to the
database; redis-server stopped for ``--outage`` seconds. Afterwards: oversold seats, bookings answered 201
that are missing, payments taken by the provider and not confirmed before any reconciliation, confirmation
e-mails not sent exactly once, jobs left in the outbox; per fault the failed requests against the requests
in flight at that moment, and how long p95 latency took to return to normal. Writes docs/reliability.md.
Requests are sent with ``Connection: close`` so that a killed worker fails only what it was serving.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import ROOT, write_section  # noqa: E402
from _stack import PYTHON, bench_env, manage, reset_database, serving  # noqa: E402
from booking_rush import Journey, summarise  # noqa: E402
from loadgen import Call, Pool, percentile, wait_for  # noqa: E402

DATABASE = "exams_bench_faults"
PORT = 8125
REDIS_PORT = 6391
RELIABILITY = ROOT / "docs" / "reliability.md"

CHECK = """
import json
from django.db.models import Count, F
from exams.jobs.models import DeadLetter, OutboxMessage
from exams.models import Booking, ExamSession, Notification, Registration
from exams.payments.models import Payment, PspPayment
s = ExamSession.objects.get(pk=%(session)d)
live = Registration.objects.filter(session=s, status__in=['held', 'pending_payment', 'confirmed']).count()
booked = set(%(booked)r)
psp_paid = set(PspPayment.objects.filter(status='paid').values_list('id', flat=True))
ours = {p.provider_payment_id: p for p in Payment.objects.filter(provider_payment_id__in=psp_paid).select_related('booking')}
unconfirmed = sorted(pid for pid in psp_paid if pid not in ours or not (ours[pid].booking.status == 'confirmed'
                     or ours[pid].amount_refunded >= ours[pid].amount))
confirmed = set(Booking.objects.filter(status='confirmed').values_list('id', flat=True))
mails = Notification.objects.filter(kind='booking_confirmed').values('key').annotate(n=Count('id'))
sent = {m['key'] for m in Notification.objects.filter(kind='booking_confirmed', sent_at__isnull=False).values('key')}
print(json.dumps({
  'capacity': s.capacity, 'seats_booked': s.seats_booked, 'live_registrations': live,
  'booked_answered': len(booked), 'booked_missing': len(booked - set(Booking.objects.filter(id__in=booked).values_list('id', flat=True))),
  'psp_paid': len(psp_paid), 'psp_paid_not_confirmed': len(unconfirmed), 'confirmed': len(confirmed),
  'confirmed_without_mail': len([b for b in confirmed if f'booking-{b}-confirmed' not in sent]),
  'mail_rows_more_than_once': sum(1 for m in mails if m['n'] > 1),
  'outbox_pending': OutboxMessage.objects.filter(published_at__isnull=True).count(),
  'outbox_total': OutboxMessage.objects.count(),
  'outbox_failed_publishes': sum(OutboxMessage.objects.values_list('attempts', flat=True)),
  'dead_letters': list(DeadLetter.objects.values_list('task', 'exception')),
}))
"""

SETTLED = """
import json
from exams.jobs.models import OutboxMessage
from exams.models import Booking, Notification
from exams.payments.models import PspPayment
print(json.dumps([PspPayment.objects.filter(status='paid').count(), Booking.objects.filter(status='confirmed').count(),
                  Notification.objects.filter(kind='booking_confirmed', sent_at__isnull=False).count(),
                  OutboxMessage.objects.filter(published_at__isnull=True).count()]))
"""


class DedicatedRedis:
    """A redis-server of the benchmark's own on ``port``, persisting to an append-only file in
    ``directory``: stopping it is an outage, not a loss of queued messages."""

    def __init__(self, port: int, directory: Path) -> None:
        self.port, self.directory = port, directory
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--appendfsync", "everysec", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip() != b"PONG":
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"redis-server on port {self.port} did not come up")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM: redis-server flushes its append-only file and exits."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@dataclass
class Stack:
    env: dict
    redis: DedicatedRedis
    data: dict  # what ``loadtest_setup`` wrote: the session id and the candidates' tokens
    processes: list[subprocess.Popen]  # gunicorn, Celery
    base: str


@contextlib.contextmanager
def stack(*, database: str, port: int, redis_port: int, seats: int, candidates: int, workers: int, threads: int):
    """A fresh database with one session of ``seats`` and ``candidates`` accounts, a dedicated redis-server,
    the outbox relay, gunicorn and a Celery worker, warmed up; everything is stopped on exit."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{database}-") as var_dir:
        redis = DedicatedRedis(redis_port, Path(var_dir))
        redis.start()
        relay = None
        try:
            env = bench_env(database, var_dir=var_dir, broker=redis.url)
            env["PAYMENTS_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
            reset_database(database)
            manage(env, "migrate", "--noinput", "-v", "0")
            setup = Path(var_dir) / "load.json"
            manage(env, "loadtest_setup", "--seats", str(seats), "--candidates", str(candidates + 20),
                   "--out", str(setup))
            data = json.loads(setup.read_text())
            relay = subprocess.Popen([PYTHON, "manage.py", "relay_outbox", "--interval", "2"], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, start_new_session=True)
            with serving(env, port=port, workers=workers, threads=threads, celery=True) as processes:
                base = f"http://127.0.0.1:{port}"
                warm_up(base, data["tokens"])
                yield Stack(env, redis, data, processes, base)
        finally:
            if relay is not None:
                os.killpg(relay.pid, signal.SIGTERM)
                relay.wait(timeout=20)
            redis.stop()


def warm_up(base: str, tokens: list[str]) -> None:
    """Every gunicorn worker loads the app before the clock starts."""
    wait_for(base + "/healthz")
    warm = Pool(base, workers=16)
    for i in range(64):
        warm.submit(Call("warm", "GET", "/api/v1/sessions?part=NT2-II-LZ&limit=20",
                         headers={"Authorization": f"Bearer {tokens[-1 - i % 16]}"}), 0)
    warm.drain(60)


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def psql(sql: str) -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atq", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


class ClosingPool(Pool):
    """The load generator, one TCP connection per request: a request fails only if it was being served."""

    def _send(self, conn, call: Call, due: float):
        call.headers = {**call.headers, "Connection": "close"}
        return super()._send(conn, call, due)


@dataclass
class Fault:
    name: str
    at: float  # seconds after the start of the load, just before the action
    done: float  # just after it (the action itself takes a moment: a psql call, a redis-server shutdown)
    until: float | None = None  # for an outage: when it ended


def inject(started: float, args, gunicorn: subprocess.Popen, redis: DedicatedRedis, faults: list[Fault]) -> None:
    """Runs in a thread: the faults, each at its time, recording when it actually happened."""

    def at(t: float) -> None:
        time.sleep(max(0.0, started + t - time.monotonic()))

    def now() -> float:
        return time.monotonic() - started

    at(args.baseline)
    victim = children(gunicorn.pid)[0]
    moment = now()
    os.kill(victim, signal.SIGKILL)
    faults.append(Fault(f"SIGKILL gunicorn worker {victim}", moment, now()))
    at(args.baseline + args.gap)
    moment = now()
    killed = psql(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{DATABASE}' "
                  "AND pid <> pg_backend_pid()")
    faults.append(Fault(f"pg_terminate_backend on all {killed} connections", moment, now()))
    at(args.baseline + 2 * args.gap)
    moment = now()
    redis.stop()
    stopped = now()
    at(args.baseline + 2 * args.gap + args.outage)
    redis.start()
    faults.append(Fault(f"redis-server stopped {args.outage:g} s", moment, stopped, now()))


def run_steady(pool: Pool, make_call, *, rate: float, duration: float) -> None:
    """Open-loop arrivals at ``rate`` per second, each handed to the pool when it is due (latency still
    counts from the due time). ``loadgen.run_open_loop`` queues every arrival in advance, so the follow-up
    requests of a journey wait behind arrivals that are not due yet; here they do not."""
    start, n = time.monotonic(), 0
    while n / rate < duration:
        due = start + n / rate
        time.sleep(max(0.0, due - time.monotonic()))
        pool.submit(make_call(n), due)
        n += 1


def step_rows(samples) -> list[str]:
    """The table of the journey's steps: a header, then requests, p50/p95/p99 and statuses per step."""
    stats = summarise(samples, ["list", "book", "pay", "checkout", "paid"])
    return ["| step | requests | p50 | p95 | p99 | statuses |", "|---|---|---|---|---|---|",
            *[f"| {name} | {v['count']} | {v['p50']:.0f} ms | {v['p95']:.0f} ms | {v['p99']:.0f} ms | "
              f"{', '.join(f'{k}: {n}' for k, n in v['statuses'].items())} |" for name, v in stats.items()]]


def failed(sample) -> bool:
    return sample.status == 0 or sample.status >= 500


def in_flight(samples, start: float, end: float) -> int:
    """Requests due and not yet answered at some moment from ``start`` to ``end``."""
    return sum(1 for s in samples if s.due <= end and s.due + s.latency >= start)


def window_p95(samples, t: float, window: float = 2.0) -> float:
    latencies = [s.latency for s in samples if t <= s.due < t + window]
    return percentile(latencies, .95) if latencies else 0.0


def recovery(samples, since: float, normal: float, end: float, window: float = 2.0, hold: int = 5) -> float | None:
    """Seconds after ``since`` until the p95 of requests due in every window of ``window`` s, for ``hold``
    consecutive seconds, is at most ``normal``."""
    t = since
    while t + hold + window <= end:
        if all(window_p95(samples, t + k, window) <= normal for k in range(hold)):
            return t - since
        t += 1.0
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=2, help="Arrivals (full journeys) per second.")
    parser.add_argument("--baseline", type=float, default=40, help="Seconds of load before the first fault.")
    parser.add_argument("--gap", type=float, default=30, help="Seconds between faults.")
    parser.add_argument("--outage", type=float, default=60, help="Seconds the broker stays down.")
    parser.add_argument("--tail", type=float, default=60, help="Seconds of load after the broker is back.")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: the stack is still taken down
    duration = args.baseline + 2 * args.gap + args.outage + args.tail
    arrivals = int(args.rate * duration) + 1
    seats = max(1, int(args.rate * (duration - 30)))  # sold out shortly before the end: capacity is contested
    faults: list[Fault] = []
    with stack(database=DATABASE, port=PORT, redis_port=REDIS_PORT, seats=seats, candidates=arrivals,
               workers=args.workers, threads=args.threads) as bench:
        journey = Journey(bench.data["session_id"], bench.data["tokens"][:arrivals])
        pool = ClosingPool(bench.base, workers=128)
        started, load_start = time.monotonic(), os.getloadavg()[0]
        injector = threading.Thread(target=inject, args=(started, args, bench.processes[0], bench.redis, faults))
        injector.start()
        run_steady(pool, journey.first, rate=args.rate, duration=duration)
        pool.drain(300)
        injector.join()
        load_end = os.getloadavg()[0]
        settle_started, last, stable = time.monotonic(), None, 0
        while time.monotonic() - settle_started < 600 and stable < 3:
            time.sleep(5)
            now = json.loads(manage(bench.env, "shell", "-v", "0", "-c", SETTLED).strip().splitlines()[-1])
            stable = stable + 1 if now == last and now[3] == 0 else 0
            last = now
        settle = time.monotonic() - settle_started
        booked = [s.body["id"] for s in pool.samples if s.name == "book" and s.status == 201 and s.body]
        check = json.loads(manage(bench.env, "shell", "-v", "0", "-c",
                                  CHECK % {"session": bench.data["session_id"], "booked": booked})
                           .strip().splitlines()[-1])
    samples = [replace(s, due=s.due - started) for s in pool.samples]  # seconds from the start of the load
    body = report(args, samples, faults, check, settle, seats, duration, (load_start, load_end))
    if not args.no_write:
        write_section("faults-under-load", body, RELIABILITY)
    print(body)
    return 0


def report(args, samples, faults: list[Fault], check: dict, settle: float, seats: int, duration: float,
           load: tuple[float, float]) -> str:
    baseline = [s.latency * 1000 for s in samples if 10 <= s.due < args.baseline]
    normal_p95 = percentile(baseline, .95)
    # Normal: what a 2-s window's p95 is in 95 % of the windows before the first fault.
    normal = percentile([window_p95(samples, t) for t in range(10, int(args.baseline) - 2)], .95)
    rows = []
    for fault in faults:
        end = fault.until or fault.at
        window = [s for s in samples if fault.at - 30 <= s.due and s.due + s.latency <= end + 20]
        bad = [s for s in window if failed(s) and s.due + s.latency >= fault.at]
        flight = in_flight(samples, fault.at, fault.done)
        during = [s.latency * 1000 for s in samples if fault.at <= s.due < end] if fault.until else []
        back = recovery(samples, end, normal, duration)
        rows.append(f"| {fault.name} | {fault.at:.0f} s | {flight} | {len(bad)} "
                    f"({', '.join(sorted({str(s.status) for s in bad})) or '—'}) | "
                    f"{f'{percentile(during, .95):.0f} ms' if during else '—'} | "
                    f"{f'{back:.0f} s' if back is not None else 'not within the run'} |")
    steps = step_rows(samples)
    oversold = max(0, check["live_registrations"] - check["capacity"]) + max(0, check["seats_booked"] - check["capacity"])
    all_failed = sum(1 for s in samples if failed(s))
    command = (f".venv/bin/python benchmarks/faults.py --rate {args.rate:g} --baseline {args.baseline:g} --gap "
               f"{args.gap:g} --outage {args.outage:g} --tail {args.tail:g} --workers {args.workers} "
               f"--threads {args.threads}")
    return "\n".join([
        f"## Faults under load: booking rush at {args.rate:g} arrivals/s",
        "",
        f"Command: `{command}` — gunicorn ({args.workers} workers × {args.threads} threads), PostgreSQL, a "
        "dedicated redis-server (append-only file), a Celery worker (2 processes), `manage.py relay_outbox`, "
        "and the load generator, all on this 2-core machine, shared with other work while it ran. "
        f"{args.rate:g} arrivals/s (about {5 * args.rate:g} requests/s) is a rate this shared machine serves with "
        f"sub-second p95 while other work runs on it; load average (1 min) of the whole machine {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end. Arrivals are handed to the load generator when due (``run_steady``).",
        "",
        f"{len([s for s in samples if s.name == 'list'])} arrivals over {duration:.0f} s for {seats} seats; normal "
        f"p95 (all requests, from 10 s to the first fault) {normal_p95:.0f} ms; before the first fault 95 % of the "
        f"2-s windows had a p95 ≤ {normal * 1000:.0f} ms, so \"back to normal\" means: the p95 of every 2-s window "
        "stays at or below that for 5 s in a row.",
        "",
        "| fault | at | requests in flight | failed requests after it (statuses) | p95 during | p95 back to normal after |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "In flight: due and not yet answered while the fault was being injected (on every worker). Failed: no "
        "answer or 5xx, answered "
        "from the fault until 20 s after it (for the outage: until 20 s after the broker was back). Recovery is "
        "counted from the fault (from the restart for the outage).",
        "",
        *steps,
        "",
        "| check | result | target |",
        "|---|---|---|",
        f"| oversold seats | {oversold} (capacity {check['capacity']}, counter {check['seats_booked']}, live "
        f"registrations {check['live_registrations']}) | 0 |",
        f"| bookings answered 201 but missing | {check['booked_missing']} of {check['booked_answered']} | 0 |",
        f"| payments paid at the provider, not confirmed (no reconciliation run) | {check['psp_paid_not_confirmed']} "
        f"of {check['psp_paid']} ({check['confirmed']} bookings confirmed; settled {settle:.0f} s after the last "
        "request) | 0 |",
        f"| confirmed bookings without their e-mail / e-mails recorded twice | {check['confirmed_without_mail']} / "
        f"{check['mail_rows_more_than_once']} | 0 / 0 |",
        f"| jobs left in the outbox | {check['outbox_pending']} of {check['outbox_total']} (failed publish attempts "
        f"on the way: {check['outbox_failed_publishes']}) | 0 |",
        f"| dead letters | {len(check['dead_letters'])} {check['dead_letters'][:3] if check['dead_letters'] else ''} | 0 |",
        f"| failed requests, whole run | {all_failed} of {len(samples)} | ≤ those in flight at the faults |",
    ])


if __name__ == "__main__":
    sys.exit(main())
