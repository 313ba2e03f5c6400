"""Batch issuance through Celery: N documents rendered and signed by Celery workers, stored, recorded.

    .venv/bin/python benchmarks/certificate_issuance.py [--count 26000] [--chunk 100] [--concurrency 2]

Creates the documents (the Wft year: 26,000), queues one task per chunk, and times until every document
has its signed PDF. Runs a prefork Celery worker with ``--concurrency`` processes consuming from Redis, on
PostgreSQL. Checks a sample with pyHanko and pdfsig. Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from _stack import PYTHON, ROOT, bench_env, manage, reset_database  # noqa: E402

DATABASE = "exams_bench_issue"

CREATE = """
import json
from datetime import date
from exams.models import Candidate
from exams.seed.catalogue import seed_catalogue
from certificates.models import Document
from certificates.keys import current_pki
from certificates.codes import make_code, payload_for
from certificates.issuance import document_data
from certificates.numbers import new_document_number
seed_catalogue(season_year=2027)
n = %(count)d
people = Candidate.objects.bulk_create([Candidate(first_name='Adviseur', last_name=f'Nummer {i}',
    birth_date=date(1985, 1, 1), email=f'wft{i}@example.org', street='Damrak 1', postcode=f'{1000 + i %% 8999} AB',
    city='Amsterdam') for i in range(n)], batch_size=2000)
key = current_pki().code_key
docs, seen = [], set()
for i, p in enumerate(people):
    number = new_document_number(exists=lambda x: x in seen)
    seen.add(number)
    d = Document(candidate=p, family='wft', kind='certificate', issuance_key=f'bench-{i}', number=number,
                 exam_nl='Wft-module Basis', exam_en='Wft module Basic', issued_on=date.today(),
                 parts=[{'nl': 'Basis', 'en': 'Basic', 'date': '2026-10-01', 'grade': None, 'level': None}], basis=[])
    d.verification_code = make_code(payload_for(document_data(d, code='')), key)
    docs.append(d)
Document.objects.bulk_create(docs, batch_size=2000)
print(json.dumps(list(Document.objects.order_by('pk').values_list('pk', flat=True))))
"""

QUEUE = """
import json, sys
from certificates.tasks import render_documents_chunk
ids = json.load(open(%(ids)r))
chunk = %(chunk)d
for i in range(0, len(ids), chunk):
    render_documents_chunk.delay(ids[i:i + chunk], %(languages)r)
print('queued')
"""

COUNT = """
from certificates.models import Document
print(Document.objects.exclude(pdf_nl='').count())
"""

SAMPLE = """
from certificates.models import Document
for d in Document.objects.exclude(pdf_nl='').order_by('?')[:5]:
    print(d.pdf_nl.path)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=26000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--languages", nargs="+", default=["nl"])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-issue-") as var_dir:
        env = bench_env(DATABASE, var_dir=var_dir, broker="redis://127.0.0.1:6379/13")
        reset_database(DATABASE)
        manage(env, "migrate", "--noinput", "-v", "0")
        subprocess.run([PYTHON, "-m", "celery", "-A", "config", "purge", "-f"], cwd=ROOT, env=env,
                       capture_output=True)
        ids = json.loads(manage(env, "shell", "-v", "0", "-c", CREATE % {"count": args.count}).strip().splitlines()[-1])
        ids_file = Path(var_dir) / "ids.json"
        ids_file.write_text(json.dumps(ids))
        worker = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             f"--concurrency={args.concurrency}", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
             "--prefetch-multiplier=1"], cwd=ROOT, env=env, start_new_session=True)
        try:
            started = time.monotonic()
            manage(env, "shell", "-v", "0", "-c", QUEUE % {"ids": str(ids_file), "chunk": args.chunk,
                                                           "languages": list(args.languages)})
            done = 0
            while done < args.count and time.monotonic() - started < 3600:
                time.sleep(5)
                done = int(manage(env, "shell", "-v", "0", "-c", COUNT).strip().splitlines()[-1])
                print(f"{time.monotonic() - started:6.0f} s: {done} / {args.count}", flush=True)
            wall = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        samples = manage(env, "shell", "-v", "0", "-c", SAMPLE).strip().splitlines()
        valid = 0
        for path in samples:
            if shutil.which("pdfsig"):
                out = subprocess.run(["pdfsig", path], capture_output=True, text=True).stdout
                valid += "Signature is Valid" in out and "Total document signed" in out
        size = sum(p.stat().st_size for p in Path(var_dir).rglob("*.pdf"))
    rate = done / wall if wall else 0
    body = "\n".join([
        "## Batch issuance through Celery",
        "",
        f"Command: `.venv/bin/python benchmarks/certificate_issuance.py --count {args.count} --chunk {args.chunk} "
        f"--concurrency {args.concurrency} --languages {' '.join(args.languages)}` — {args.count} documents in the "
        f"database, one Celery task per {args.chunk}, a prefork worker with {args.concurrency} processes on Redis, "
        "PostgreSQL; each document rendered (ReportLab), PAdES-signed (pyHanko), stored and recorded.",
        "",
        "| documents | languages | wall time | documents/s | PDFs on disk | pdfsig sample |",
        "|---|---|---|---|---|---|",
        f"| {done} | {', '.join(args.languages)} | {wall:.0f} s | {rate:.1f} | {size / 1e6:.0f} MB | "
        f"{valid}/{len(samples)} valid, whole file signed |",
        "",
        f"Target: 26,000 in at most 10 minutes (≥ 45/s) — {'met' if rate >= 45 and done >= 26000 else 'not met'}.",
    ])
    if not args.no_write:
        write_section("certificate-issuance", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
