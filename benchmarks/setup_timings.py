"""How long the README's two commands take from a fresh clone.

    .venv/bin/python benchmarks/setup_timings.py [--skip-test]

Clones the repository's committed HEAD into a temporary folder, runs `make demo` there until the home page
answers on 127.0.0.1:8000 (then stops it), runs `make demo` again to time the reuse path, and runs
`make test` in the clone. Port 8000 must be free. Python packages come from the package index (or pip's
cache, when this machine has installed them before: that is said in the report).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import ROOT, write_section  # noqa: E402


def time_demo(clone: Path) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(["make", "demo"], cwd=clone, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while time.perf_counter() - started < 900:
            try:
                if urllib.request.urlopen("http://127.0.0.1:8000/", timeout=2).status == 200:
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.25)
            if process.poll() is not None:
                raise SystemExit("make demo stopped before serving a page")
        raise SystemExit("make demo did not serve a page within 15 minutes")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-test", action="store_true", help="Time only make demo.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as tmp:
        clone = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        first = time_demo(clone)
        again = time_demo(clone)
        rows = [f"| `make demo`, fresh clone → home page served | {first:.1f} s |",
                f"| `make demo` again (reuses `.venv` and the seeded database) | {again:.1f} s |"]
        if not args.skip_test:
            started = time.perf_counter()
            result = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            summary = [line for line in result.stdout.splitlines() if line.startswith("total:")]
            rows.append(f"| `make test` in the clone (exit {result.returncode}; {summary[-1] if summary else 'no summary'}) "
                        f"| {elapsed:.0f} s |")
    body = "\n".join([
        "## Set-up: the README's two commands",
        "",
        "Command: `.venv/bin/python benchmarks/setup_timings.py`. Python packages came from pip's local cache",
        "where this machine had installed them before; a machine without that cache downloads them too.",
        "",
        "| what | wall time |",
        "|---|---|",
        *rows,
    ])
    write_section("setup", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
