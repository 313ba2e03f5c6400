"""Verification endpoint under load: p95 latency at 200 requests per second.

    .venv/bin/python benchmarks/verification_load.py [--rate 200] [--duration 30] [--documents 500]

Creates a PostgreSQL database ``exams_bench_verify``, issues documents, serves the app with gunicorn and
sends GET /api/v1/certificates/verify/<code> open-loop at the given rate (genuine, revoked and forged codes
mixed). Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from _stack import bench_env, manage, reset_database, serving  # noqa: E402
from loadgen import Call, Pool, percentile, run_open_loop, wait_for  # noqa: E402

DATABASE = "exams_bench_verify"
PORT = 8123

SETUP = textwrap.dedent("""
    import json, sys
    from datetime import date, timedelta
    from exams.models import Candidate
    from exams.seed.catalogue import seed_catalogue
    from certificates.results import results_import
    from certificates.issuance import issue_for_candidate, document_revoke
    from certificates.models import Document
    seed_catalogue(season_year=2027)
    n = int(sys.argv[-1])
    people = Candidate.objects.bulk_create([Candidate(first_name='Bench', last_name=f'Holder {i}',
        birth_date=date(1990, 1, 1), email=f'bench{i}@example.org') for i in range(n)])
    day = (date.today() - timedelta(days=40)).isoformat()
    results_import(rows=[{'candidate_id': p.pk, 'part': 'NT2-II-LZ', 'taken_on': day, 'score': 520} for p in people],
                   source='bench')
    for p in people:
        issue_for_candidate(p)
    for d in Document.objects.all()[: n // 10]:
        document_revoke(document=d, reason='benchmark')
    print(json.dumps(list(Document.objects.values_list('verification_code', flat=True))))
""")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as var_dir:
        env = bench_env(DATABASE, var_dir=var_dir, broker=None)
        reset_database(DATABASE)
        manage(env, "migrate", "--noinput", "-v", "0")
        script = Path(var_dir) / "setup.py"
        script.write_text(SETUP)
        import json

        out = manage(env, "shell", "-v", "0", "-c", SETUP.replace("int(sys.argv[-1])", str(args.documents)))
        codes = json.loads(out.strip().splitlines()[-1])
        forged = [c[:-4] + "AAAA" for c in codes[:50]]
        rng = random.Random(7)
        with serving(env, port=PORT, workers=args.workers):
            base = f"http://127.0.0.1:{PORT}"
            wait_for(base + "/healthz")
            pool = Pool(base, workers=64)
            for code in codes[:20]:  # warm every worker's connection and caches
                pool.submit(Call("warm", "GET", f"/api/v1/certificates/verify/{code}"), 0)
            pool.drain(30)
            pool = Pool(base, workers=64)

            def make(i: int) -> Call:
                code = rng.choice(forged) if i % 20 == 0 else rng.choice(codes)
                return Call("verify", "GET", f"/api/v1/certificates/verify/{code}")

            run_open_loop(pool, make, rate=lambda t: args.rate, duration=args.duration)
            pool.drain(60)
        samples = pool.samples
    latencies = [s.latency * 1000 for s in samples]
    errors = [s for s in samples if s.status != 200]
    achieved = len(samples) / args.duration
    body = "\n".join([
        "## Verification endpoint under load",
        "",
        f"Command: `.venv/bin/python benchmarks/verification_load.py --rate {args.rate:g} --duration "
        f"{args.duration:g} --documents {args.documents} --workers {args.workers}` (gunicorn, {args.workers} sync "
        "workers, PostgreSQL; open-loop load from the same machine: genuine, revoked and forged codes).",
        "",
        "| requests | offered rate | achieved rate | p50 | p95 | p99 | max | non-200 |",
        "|---|---|---|---|---|---|---|---|",
        f"| {len(samples)} | {args.rate:g}/s | {achieved:.0f}/s | {percentile(latencies, .5):.1f} ms | "
        f"{percentile(latencies, .95):.1f} ms | {percentile(latencies, .99):.1f} ms | {max(latencies):.1f} ms | "
        f"{len(errors)} |",
        "",
        f"Target: p95 < 50 ms at 200 requests/s — {'met' if percentile(latencies, .95) < 50 else 'NOT met'}.",
    ])
    write_section("verification", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
