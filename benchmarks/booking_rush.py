"""The booking rush: registration opens and candidates arrive faster and faster.

    .venv/bin/python benchmarks/booking_rush.py [--peak 100] [--ramp 20] [--hold 60] [--seats 1500]
                                              [--knee 25 50 75 100 150]

Against gunicorn on PostgreSQL with a Celery worker on Redis, on this machine: each arrival lists the
sessions, books a seat, starts a payment with the test provider, pays on its checkout page, and the test
provider's webhook (sent by the worker) confirms the booking. Open-loop arrivals ramp to ``--peak`` per
second and hold. Afterwards the database is checked: no session oversold, every payment the provider took
is confirmed here (or refunded). ``--knee`` then offers fixed rates of booking requests alone for 15 s each
and reports their p95 (the knee is the highest rate with p95 < 300 ms). Writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from _stack import (  # noqa: E402
    bench_env, cpu_seconds, cpu_used, manage, reset_database, serving, wait_until_idle,
)
from loadgen import Call, Pool, percentile, run_open_loop, wait_for  # noqa: E402

DATABASE = "exams_bench_rush"
PORT = 8124
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETTLED = """
from exams.payments.models import Payment
print(Payment.objects.filter(status='paid').count())
"""

CHECK = """
import json
from django.db.models import Count, F, Q
from exams.models import ExamSession, Registration, Booking
from exams.payments.models import Payment, PspPayment
from exams.payments.services import payments_reconcile
from django.test.utils import override_settings
with override_settings(PAYMENTS_RECONCILE_AFTER_MINUTES=0):
    reconciled = payments_reconcile().as_dict()
s = ExamSession.objects.get(pk=%(session)d)
live = Registration.objects.filter(session=s, status__in=['held', 'pending_payment', 'confirmed']).count()
paid = Payment.objects.filter(status='paid')
lost = paid.exclude(booking__status='confirmed').filter(amount_refunded__lt=F('amount')).count()
psp_paid = set(PspPayment.objects.filter(status='paid').values_list('id', flat=True))
ours = {p.provider_payment_id: p for p in Payment.objects.filter(provider_payment_id__in=psp_paid).select_related('booking')}
lost_at_psp = sum(1 for pid in psp_paid if pid not in ours or not (ours[pid].booking.status == 'confirmed'
                  or ours[pid].amount_refunded >= ours[pid].amount))
print(json.dumps({'capacity': s.capacity, 'seats_booked': s.seats_booked, 'live_registrations': live,
  'psp_paid': len(psp_paid), 'psp_paid_not_confirmed_nor_refunded': lost_at_psp, 'reconciled': reconciled,
  'confirmed_bookings': Booking.objects.filter(status='confirmed').count(), 'paid_payments': paid.count(),
  'paid_not_confirmed_nor_refunded': lost,
  'open_payments': Payment.objects.filter(status='open').count()}))
"""


class Journey:
    """One candidate's steps, chained: list → book → start payment → checkout page → pay."""

    def __init__(self, session_id: int, tokens: list[str]) -> None:
        self.session_id, self.tokens = session_id, tokens

    def first(self, i: int) -> Call:
        token = self.tokens[i % len(self.tokens)]
        auth = {"Authorization": f"Bearer {token}"}
        return Call("list", "GET", "/api/v1/sessions?part=NT2-II-LZ&limit=20", headers=auth,
                    then=lambda s: [self._book(auth)])

    def _book(self, auth: dict) -> Call:
        return Call("book", "POST", "/api/v1/bookings", body={"session_ids": [self.session_id]}, headers=auth,
                    then=lambda s: [self._pay(auth, s.body["id"])] if s.status == 201 and s.body else [])

    def _pay(self, auth: dict, booking_id: int) -> Call:
        return Call("pay", "POST", f"/api/v1/bookings/{booking_id}/payments", body={"provider": "test"}, headers=auth,
                    then=lambda s: [self._checkout(s.body["checkout_url"])] if s.body and s.body.get("checkout_url")
                    else [])

    def _checkout(self, url: str) -> Call:
        path = "/" + url.split("/", 3)[3]
        return Call("checkout", "GET", path, keep_text=True, then=lambda s: [self._submit(path, s)])

    def _submit(self, path: str, page) -> Call:
        match = CSRF.search(page.text)
        if not match:
            return Call("checkout-missing", "GET", "/healthz")
        cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
        return Call("paid", "POST", path, headers={"Cookie": cookie, "Referer": f"http://127.0.0.1:{PORT}{path}"},
                    form={"csrfmiddlewaretoken": match.group(1), "action": "pay", "delay_seconds": "0",
                          "copies": "1", "mode": "send"})


def _per_part(cpu: dict[str, float], requests: int) -> str:
    """CPU milliseconds per request, busiest part first."""
    per = {part: 1000 * seconds / max(1, requests) for part, seconds in cpu.items()}
    return ", ".join(f"{part} {ms:.1f} ms" for part, ms in sorted(per.items(), key=lambda kv: -kv[1]) if ms >= 0.05)


def _over_time(bookings, width: float = 10.0) -> list[str]:
    if not bookings:
        return []
    start = min(s.due for s in bookings)
    rows = []
    for window in range(int((max(s.due for s in bookings) - start) // width) + 1):
        chosen = [s for s in bookings if window * width <= s.due - start < (window + 1) * width]
        lat = [s.latency * 1000 for s in chosen]
        if chosen:
            rows.append(f"| {window * width:g}–{(window + 1) * width:g} s | {len(chosen)} | "
                        f"{sum(1 for s in chosen if s.status == 201)} | {percentile(lat, .5):.0f} ms | "
                        f"{percentile(lat, .95):.0f} ms | {percentile(lat, .99):.0f} ms |")
    return rows


def summarise(samples, names) -> dict:
    out = {}
    for name in names:
        chosen = [s for s in samples if s.name == name]
        latencies = [s.latency * 1000 for s in chosen]
        out[name] = {"count": len(chosen), "p50": percentile(latencies, .5), "p95": percentile(latencies, .95),
                     "p99": percentile(latencies, .99),
                     "statuses": {str(k): sum(1 for s in chosen if s.status == k) for k in sorted({s.status for s in chosen})}}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peak", type=float, default=100)
    parser.add_argument("--ramp", type=float, default=20)
    parser.add_argument("--hold", type=float, default=60)
    parser.add_argument("--seats", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-nice", type=int, default=10,
                        help="CPU priority of the Celery worker below the web workers' (0: the same).")
    parser.add_argument("--seat-workers", type=int, default=0,
                        help="Web workers for the seat-taking paths behind nginx (0: one pool, no proxy).")
    parser.add_argument("--seat-threads", type=int, default=1)
    parser.add_argument("--site-nice", type=int, default=0,
                        help="CPU priority of the other web pool below the seat-taking pool's.")
    parser.add_argument("--knee", type=float, nargs="*", default=[25, 50, 75, 100, 150])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--section", default="booking-rush", help="Section of docs/benchmarks.md to rewrite.")
    args = parser.parse_args()
    attempts = int(args.peak * (args.ramp / 2 + args.hold)) + 50
    with tempfile.TemporaryDirectory(prefix="bench-rush-") as var_dir:
        env = bench_env(DATABASE, var_dir=var_dir)
        env["PAYMENTS_PUBLIC_URL"] = f"http://127.0.0.1:{PORT}"
        reset_database(DATABASE)
        manage(env, "migrate", "--noinput", "-v", "0")
        knee_seats = int(sum(args.knee) * 15) + 100
        setup = Path(var_dir) / "load.json"
        manage(env, "loadtest_setup", "--seats", str(args.seats), "--candidates",
               str(attempts + knee_seats), "--out", str(setup))
        data = json.loads(setup.read_text())
        knee_setup = Path(var_dir) / "knee.json"
        manage(env, "loadtest_setup", "--seats", str(knee_seats), "--candidates", "1", "--out", str(knee_setup))
        knee_session = json.loads(knee_setup.read_text())["session_id"]
        tokens = data["tokens"]
        with serving(env, port=PORT, workers=args.workers, threads=args.threads, celery=True,
                     worker_nice=args.worker_nice, seat_workers=args.seat_workers,
                     seat_threads=args.seat_threads, site_nice=args.site_nice):
            base = f"http://127.0.0.1:{PORT}"
            wait_for(base + "/healthz")
            journey = Journey(data["session_id"], tokens[:attempts])
            warm = Pool(base, workers=16)  # every gunicorn worker loads the app before the clock starts
            for i in range(64):
                warm.submit(Call("warm", "GET", "/api/v1/sessions?part=NT2-II-LZ&limit=20",
                                 headers={"Authorization": f"Bearer {tokens[-1 - i % 16]}"}), 0)
            warm.drain(60)
            wait_until_idle()
            pool = Pool(base, workers=128)
            duration = args.ramp + args.hold
            cpu_before = cpu_seconds()
            started = time.monotonic()
            run_open_loop(pool, journey.first,
                          rate=lambda t: args.peak * min(1.0, (t + 0.5) / args.ramp) if args.ramp else args.peak,
                          duration=duration)
            pool.drain(300)
            wall = time.monotonic() - started
            settle_started, last, stable = time.monotonic(), -1, 0
            while time.monotonic() - settle_started < 300 and stable < 3:  # the worker delivers the webhooks
                time.sleep(5)
                now_paid = int(manage(env, "shell", "-v", "0", "-c", SETTLED).strip().splitlines()[-1])
                stable = stable + 1 if now_paid == last else 0
                last = now_paid
            settle = time.monotonic() - settle_started
            rush_cpu = cpu_used(cpu_before, cpu_seconds())
            check = json.loads(manage(env, "shell", "-v", "0", "-c", CHECK % {"session": data["session_id"]})
                               .strip().splitlines()[-1])
            knee_rows = []
            knee_tokens = tokens[attempts:]
            used = 0
            for rate in args.knee:
                step = Pool(base, workers=128)

                def book(i: int, offset=used) -> Call:
                    token = knee_tokens[offset + i]
                    return Call("book", "POST", "/api/v1/bookings", body={"session_ids": [knee_session]},
                                headers={"Authorization": f"Bearer {token}"})

                step_before = cpu_seconds()
                run_open_loop(step, book, rate=lambda t, r=rate: r, duration=15)
                step.drain(60)
                step_cpu = cpu_used(step_before, cpu_seconds())
                used += len(step.samples)
                lat = [s.latency * 1000 for s in step.samples]
                bad = sum(1 for s in step.samples if s.status not in (201, 409))
                knee_rows.append((rate, len(step.samples), percentile(lat, .5), percentile(lat, .95),
                                  percentile(lat, .99), bad, _per_part(step_cpu, len(step.samples))))
    samples = pool.samples
    stats = summarise(samples, ["list", "book", "pay", "checkout", "paid"])
    bookings = [s for s in samples if s.name == "book"]
    errors = [s for s in samples if s.status == 0 or s.status >= 500 or (s.name == "book" and s.status not in (201, 409))]
    error_rate = len(errors) / max(1, len(samples))
    oversold = max(0, check["live_registrations"] - check["capacity"]) + max(0, check["seats_booked"] - check["capacity"])
    knee = max([r for r, _n, _p50, p95, _p99, _bad, _cpu in knee_rows if p95 < 300], default=None)
    rows = [f"| {name} | {v['count']} | {v['p50']:.0f} ms | {v['p95']:.0f} ms | {v['p99']:.0f} ms | "
            f"{', '.join(f'{k}: {n}' for k, n in v['statuses'].items())} |" for name, v in stats.items()]
    book = stats["book"]
    body = "\n".join([
        f"## Booking rush, peak {args.peak:g} arrivals/s, {args.seats} seats",
        "",
        f"Command: `.venv/bin/python benchmarks/booking_rush.py --peak {args.peak:g} --ramp {args.ramp:g} --hold "
        f"{args.hold:g} --seats {args.seats} --workers {args.workers} --threads {args.threads} --worker-nice "
        f"{args.worker_nice}"
        + (f" --seat-workers {args.seat_workers} --seat-threads {args.seat_threads} "
           f"--site-nice {args.site_nice}" if args.seat_workers else "")
        + "` — the site on gunicorn ("
        + (f"nginx in front: the session search and taking a hold on {args.seat_workers} workers × "
           f"{args.seat_threads} threads, everything else on " if args.seat_workers else "")
        + f"{args.workers} workers × {args.threads} threads"
        + (f" at nice {args.site_nice}" if args.seat_workers and args.site_nice else "")
        + "), PostgreSQL, Redis, a Celery worker (2 processes"
        f"{f', at nice {args.worker_nice}' if args.worker_nice else ''}) sending the test provider's webhooks and "
        "confirming the payments, and the load generator, all on this 2-core machine.",
        "",
        f"Arrivals ramp to {args.peak:g}/s over {args.ramp:g} s and hold {args.hold:g} s: {len(bookings)} booking "
        f"attempts for {args.seats} seats, each journey list → book → start payment → checkout page → pay → "
        f"webhook → confirmed; {wall:.0f} s wall time.",
        "",
        "Booking requests by when they arrived (the rush's first seconds sell the seats; the rest hear \"full\"):",
        "",
        "| arrived | booking requests | seats won | p50 | p95 | p99 |",
        "|---|---|---|---|---|---|",
        *_over_time(bookings),
        "",
        "| step | requests | p50 | p95 | p99 | statuses |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "| check | result | target |",
        "|---|---|---|",
        f"| oversold seats | {oversold} (capacity {check['capacity']}, counter {check['seats_booked']}, live "
        f"registrations {check['live_registrations']}) | 0 |",
        f"| payments paid at the provider, neither confirmed nor refunded here | "
        f"{check['psp_paid_not_confirmed_nor_refunded']} (of {check['psp_paid']} paid at the provider; "
        f"{check['confirmed_bookings']} bookings confirmed; webhooks settled {settle:.0f} s after the last request; "
        f"reconciliation then: {check['reconciled']}) | 0 |",
        f"| error rate other than \"full\" | {100 * error_rate:.3f} % ({len(errors)} of {len(samples)}) | < 0.1 % |",
        f"| booking request p95 / p99 | {book['p95']:.0f} ms / {book['p99']:.0f} ms | < 300 ms / < 1 s |",
        "",
        f"CPU used from the first arrival until the webhooks had settled ({sum(rush_cpu.values()):.0f} CPU-s; "
        f"the machine has {(os.cpu_count() or 1) * (wall + settle):.0f} in that time), per booking attempt: "
        f"{_per_part(rush_cpu, len(bookings))}; "
        f"per confirmed booking, counting everything: {sum(rush_cpu.values()) * 1000 / max(1, check['confirmed_bookings']):.0f} ms.",
        *([
            "",
            "Knee: booking requests alone at fixed rates, 15 s each:",
            "",
            "| offered rate | requests | p50 | p95 | p99 | errors | CPU per request |",
            "|---|---|---|---|---|---|---|",
            *[f"| {r:g}/s | {n} | {p50:.0f} ms | {p95:.0f} ms | {p99:.0f} ms | {bad} | {cpu} |"
              for r, n, p50, p95, p99, bad, cpu in knee_rows],
            "",
            f"Knee (highest offered rate with p95 < 300 ms): {f'{knee:g}/s' if knee else 'below the lowest rate tried'}.",
        ] if knee_rows else []),
    ])
    if not args.no_write:
        write_section(args.section, body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
