#!/usr/bin/env python
"""The whole test suite, as `make test` runs it.

Pass 1 runs every test against PostgreSQL, with a real Celery worker consuming from Redis and pages in
Debian's Chromium. Pass 2 runs the database tests again on SQLite with tasks in-process, proving the
embedded default works. Where PostgreSQL or Redis cannot be reached (and cannot be started), pass 1 is
skipped with a clear message and the SQLite pass runs everything it can. With two cores or more the two
passes run side by side (``EXAMS_TEST_PASSES=sequential`` runs one after the other).

Standard library only: this runs before anything is known about the environment.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/examlogistics"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"

START_COMMANDS = {
    "postgresql": 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start',
    "redis": 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
             "--dir /var/lib/redis --logfile /var/log/redis/ci.log",
}


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def ensure_service(name: str, url: str, port: int) -> bool:
    if reachable(url, port):
        return True
    binary = "pg_ctlcluster" if name == "postgresql" else "redis-server"
    if shutil.which(binary):
        print(f"{name} is not reachable at {url}; trying to start it ...", flush=True)
        subprocess.run(START_COMMANDS[name], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(20):
            if reachable(url, port):
                return True
            time.sleep(0.5)
    print(f"WARNING: {name} is not reachable at {url} and could not be started.", flush=True)
    return False


class Pass:
    """One pytest run in a process of its own: streaming to this terminal, or, when it runs beside another
    pass, into a log that is printed when it ends (so the two passes' lines do not interleave)."""

    def __init__(self, title: str, env_overrides: dict[str, str | None], args: list[str], report: Path,
                 log: Path | None = None) -> None:
        env = dict(os.environ)
        for key, value in env_overrides.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        env["DJANGO_ENV"] = "test"
        # The slowest tests are listed at the end of each pass: the suite's time is watched (README).
        command = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", "--durations=20",
                   *args]
        self.title, self.report, self.log = title, report, log
        where = " (beside the other pass; its output follows when it ends)" if log else ""
        print(f"\n=== {title}{where} ===\n$ {' '.join(command)}", flush=True)
        self.started = time.perf_counter()
        output = open(log, "w") if log else None  # noqa: SIM115 (closed in wait())
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output or None,
                                        stderr=subprocess.STDOUT if output else None)
        self.output = output
        # When the pass ended, also while the other is still running: its own time, not the wait for both.
        self.ended: float | None = None
        self.watcher = threading.Thread(target=self._watch, daemon=True)
        self.watcher.start()

    def _watch(self) -> None:
        self.process.wait()
        self.ended = time.perf_counter()

    def wait(self) -> dict[str, int]:
        self.watcher.join()
        code = self.process.returncode
        seconds = round((self.ended or time.perf_counter()) - self.started)
        if self.output:
            self.output.close()
            print(f"\n=== {self.title}: its output ===", flush=True)
            sys.stdout.write(self.log.read_text(errors="replace"))
            sys.stdout.flush()
        counts = read_counts(self.report)
        counts["exit"] = code
        counts["seconds"] = seconds
        if code not in (0, 5) and counts["failed"] == 0:
            counts["failed"] = 1  # pytest itself failed (collection error, crash)
        return counts


def read_counts(report: Path) -> dict[str, int]:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    if not report.exists():
        return counts
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    for suite in suites:
        tests, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        counts["failed"] += failures + errors
        counts["skipped"] += skipped
        counts["passed"] += tests - failures - errors - skipped
    return counts


def main() -> int:
    began = time.perf_counter()
    database_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    broker_url = os.environ.get("TEST_BROKER_URL", DEFAULT_BROKER_URL)
    have_postgres = ensure_service("postgresql", database_url, 5432)
    have_redis = ensure_service("redis", broker_url, 6379)
    extra = sys.argv[1:]
    # The passes share nothing (their own databases, files and task set-ups), so on a machine with two cores
    # or more the SQLite pass runs beside the PostgreSQL pass; EXAMS_TEST_PASSES=sequential runs them one
    # after the other.
    side_by_side = (os.cpu_count() or 1) >= 2 and os.environ.get("EXAMS_TEST_PASSES") != "sequential"
    results: list[tuple[str, dict[str, int]]] = []
    skipped_notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="exams-tests-") as tmp:
        tmp_path = Path(tmp)
        sqlite_env: dict[str, str | None] = {}
        if have_postgres and have_redis:
            sqlite_args = ["-m", "not postgres and not celery_worker and not browser and not slow", *extra]
            sqlite_env["EXAMS_DB_TESTS_ONLY"] = "1"
        else:
            skipped_notes.append("PostgreSQL/Redis unreachable: the concurrency tests (marked 'postgres') and the "
                                 "real-worker tests (marked 'celery_worker') did NOT run.")
            sqlite_args = ["-m", "not postgres and not celery_worker", *extra]
        sqlite_env.update({"DATABASE_URL": None, "CELERY_BROKER_URL": None, "CELERY_RESULT_BACKEND": None,
                           "EXAMS_VAR_DIR": str(tmp_path / "sqlite")})
        sqlite_title = "SQLite, tasks in-process"

        def sqlite_pass(log: Path | None) -> Pass:
            return Pass("pass 2: SQLite with tasks in-process (the embedded default)", sqlite_env, sqlite_args,
                        tmp_path / "sqlite.xml", log)

        if have_postgres and have_redis:
            services = {"DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url,
                        "CELERY_RESULT_BACKEND": broker_url, "EXAMS_VAR_DIR": str(tmp_path / "pg")}
            beside = sqlite_pass(tmp_path / "sqlite.log") if side_by_side else None
            try:
                results.append(("PostgreSQL + Redis + Celery worker", Pass(
                    "pass 1: PostgreSQL, a real Celery worker on Redis, Chromium", services, extra,
                    tmp_path / "pg.xml").wait()))
            except BaseException:  # interrupted: the pass beside it stops too
                if beside is not None:
                    beside.process.terminate()
                raise
            results.append((sqlite_title, (beside or sqlite_pass(None)).wait()))
        else:
            results.append((sqlite_title, sqlite_pass(None).wait()))
    print("\n=== summary ===")
    total = {"passed": 0, "failed": 0, "skipped": 0}
    for title, counts in results:
        print(f"{title}: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped "
              f"in {counts['seconds']} s")
        for key in total:
            total[key] += counts[key]
    for note in skipped_notes:
        print(f"NOTE: {note}")
    failed = any(c["exit"] not in (0, 5) or c["failed"] for _, c in results) or total["passed"] == 0
    print(f"total: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped "
          f"in {round(time.perf_counter() - began)} s"
          f"{' (the passes side by side)' if len(results) == 2 and side_by_side else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
