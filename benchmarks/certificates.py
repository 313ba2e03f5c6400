"""Benchmark: render and sign N certificates, validate a sample, and record the figures.

    .venv/bin/python benchmarks/certificates.py --count 26000 --processes 2

Target (issue 5): 26,000 signed certificates in at most 10 minutes on the 2-core machine, i.e. at least
45 signed PDFs per second. The run covers the whole pipeline the Celery task will run: drawing a document
number, signing the verification code, rendering, PAdES-signing, and handing the PDF back to the parent.

Rewrites only its own section of docs/benchmarks.md (between the certificates markers).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import importlib.metadata
import io
import multiprocessing
import os
import platform
import pstats
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from certificates import samples, signing  # noqa: E402
from certificates.documents import DocumentData, DocumentKind  # noqa: E402

DOC_PATH = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- certificates:start -->", "<!-- certificates:end -->"
TARGET_PER_SECOND = 45.0
KINDS = list(DocumentKind)


@dataclass
class RunResult:
    count: int
    seconds: float
    total_bytes: int
    sample: dict[int, bytes]


def documents(count: int, source: signing.PKISource) -> Iterator[DocumentData]:
    """Fresh documents (new number, freshly signed code) cycling through the four kinds."""
    code_key = source.load().code_key
    for index in range(count):
        yield samples.sample_document(code_key, kind=KINDS[index % len(KINDS)], index=index)


def run(count: int, processes: int, chunk_size: int, source: signing.PKISource, sample_size: int) -> RunResult:
    keep = set(random.Random(0).sample(range(count), min(sample_size, count)))
    kept: dict[int, bytes] = {}
    total = 0
    started = time.perf_counter()
    results = signing.sign_batch(documents(count, source), source, processes=processes, chunk_size=chunk_size)
    for index, (_doc, _language, pdf) in enumerate(results):
        total += len(pdf)
        if index in keep:
            kept[index] = pdf
    return RunResult(count=count, seconds=time.perf_counter() - started, total_bytes=total, sample=kept)


def validate_sample(sample: dict[int, bytes], source: signing.PKISource) -> tuple[int, int | None]:
    """Count sample PDFs that pass pyHanko (trusted, intact, whole file) and pdfsig (None: no pdfsig)."""
    roots = signing.trust_roots_for(source)
    pyhanko_ok = sum(signing.validate_pdf(pdf, roots).ok for pdf in sample.values())
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        return pyhanko_ok, None
    pdfsig_ok = 0
    with tempfile.TemporaryDirectory() as tmp:
        for index, pdf in sample.items():
            path = Path(tmp) / f"{index}.pdf"
            path.write_bytes(pdf)
            out = subprocess.run([pdfsig, "-nocert", str(path)], capture_output=True, text=True).stdout
            pdfsig_ok += "Signature is Valid." in out and "Total document signed" in out
    return pyhanko_ok, pdfsig_ok


def _profile_worker(source: signing.PKISource, count: int) -> str:
    """Profile one warmed-up worker rendering and signing ``count`` documents; top 10 by cumulative."""
    docs = list(documents(count, source))
    signing.sign_chunk(docs[:2], source, languages=("nl",))  # warm-up: fonts, artwork, signer
    profiler = cProfile.Profile()
    profiler.enable()
    signing.sign_chunk(docs, source, languages=("nl",))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(10)
    out.write("\n--- top 10 by own time ---\n")
    stats.sort_stats("tottime").print_stats(10)
    return _trim_profile(out.getvalue())


def _trim_profile(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    skip = ("Ordered by", "List reduced")
    return "\n".join(line for line in lines if line and not line.strip().startswith(skip))


def profile_one_worker(source: signing.PKISource, count: int) -> str:
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        return pool.apply(_profile_worker, (source, count))


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        ram = "RAM unknown"
    versions = ", ".join(
        f"{name} {_version(name)}" for name in ("reportlab", "rl_accel", "pyHanko", "cryptography", "asn1crypto", "qrcode")
    )
    poppler = subprocess.run(["pdfsig", "-v"], capture_output=True, text=True).stderr.split("\n")[0] if shutil.which("pdfsig") else "pdfsig absent"
    return f"{cpu}, {os.cpu_count()} cores, {ram}, Python {platform.python_version()}, {platform.system()}; {versions}; {poppler}"


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def section(args: argparse.Namespace, result: RunResult, checks: tuple[int, int | None], profile: str, load: tuple) -> str:
    rate = result.count / result.seconds
    verdict = (
        f"**Target met**: {rate:.1f}/s ≥ {TARGET_PER_SECOND:.0f}/s"
        if rate >= TARGET_PER_SECOND
        else f"**Target NOT met**: {rate:.1f}/s < {TARGET_PER_SECOND:.0f}/s"
    )
    pyhanko_ok, pdfsig_ok = checks
    sample = len(result.sample)
    pdfsig_line = f"{pdfsig_ok}/{sample}" if pdfsig_ok is not None else "skipped (pdfsig not installed)"
    command = ".venv/bin/python benchmarks/certificates.py " + shlex.join(sys.argv[1:])
    return f"""{START}
## Certificates: render + PAdES-sign

Whole pipeline per document: new document number, Ed25519 verification code, ReportLab rendering
(one language), PAdES B-B certification signature (ECDSA P-256, pyHanko), PDF handed back to the
parent process. Target (issue 5): 26,000 in ≤ 10 min, i.e. ≥ {TARGET_PER_SECOND:.0f} signed PDFs/s.

Command: `{command}`

| Documents | Processes | Wall time (s) | Documents/s | Mean PDF size (KiB) | pyHanko valid | pdfsig valid |
|---|---|---|---|---|---|---|
| {result.count} | {args.processes} | {result.seconds:.1f} | {rate:.1f} | {result.total_bytes / result.count / 1024:.0f} | {pyhanko_ok}/{sample} | {pdfsig_line} |

{verdict}. The machine is shared with other developers; load average before the run: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}.
"Valid" means: one signature, intact, cryptographically valid, trusted under the test root, covering the
whole file, no later changes (pyHanko); "Signature is Valid" and "Total document signed" (pdfsig, with
`-nocert` because the test root is not in poppler's NSS store).

Hot spots of one warmed-up worker process ({args.profile_count} documents, cProfile; profiling itself
slows the run down):

```
{profile}
```

_Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}._
{END}"""


def write_section(text: str) -> None:
    """Replace our section of docs/benchmarks.md, or append it; leave everything else as it was."""
    current = DOC_PATH.read_text() if DOC_PATH.exists() else "# Benchmarks\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        updated = before + text + after
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
    tmp = DOC_PATH.with_name(DOC_PATH.name + ".tmp")
    tmp.write_text(updated)
    tmp.replace(DOC_PATH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--sample", type=int, default=50, help="signed PDFs to validate with pyHanko and pdfsig")
    parser.add_argument("--profile-count", type=int, default=300)
    parser.add_argument("--pki-dir", default=str(ROOT / "var" / "test-pki"))
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    source = signing.PKISource(test_pki_dir=args.pki_dir)
    source.load()  # create the test PKI before timing
    load = os.getloadavg()
    result = run(args.count, args.processes, args.chunk_size, source, args.sample)
    print(f"{result.count} documents in {result.seconds:.1f} s = {result.count / result.seconds:.1f}/s", flush=True)
    checks = validate_sample(result.sample, source)
    print(f"validated sample: pyHanko {checks[0]}/{len(result.sample)}, pdfsig {checks[1]}/{len(result.sample)}")
    profile = profile_one_worker(source, args.profile_count)
    text = section(args, result, checks, profile, load)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
