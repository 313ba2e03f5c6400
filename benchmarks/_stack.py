"""The production-like stack for benchmarks: PostgreSQL, gunicorn, a Celery worker on Redis, on this machine."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def bench_env(database: str, *, var_dir: str, broker: str | None = "redis://127.0.0.1:6379/14") -> dict:
    env = dict(os.environ, DJANGO_ENV="development", DEBUG="0", LOG_LEVEL="ERROR", EXAMS_VAR_DIR=var_dir,
               DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}", ALLOWED_HOSTS="127.0.0.1,localhost",
               DB_CONN_MAX_AGE="600",
               # Messages are built (summons PDF included) but not printed or sent: no mail server here.
               EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    if broker:
        env.update(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker)
    else:
        env.pop("CELERY_BROKER_URL", None)
    return env


def reset_database(name: str) -> None:
    for statement in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", statement], check=True)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextlib.contextmanager
def serving(env: dict, *, port: int, workers: int, threads: int = 1, celery: bool = False,
            worker_nice: int = 0):
    """gunicorn (and a Celery worker) in their own process groups, stopped on exit. ``worker_nice`` runs the
    Celery worker at a lower CPU priority, as on a host it shares with the web workers (docs/operations.md)."""
    processes = [subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread" if threads > 1 else "sync", "--backlog", "2048",
         "--log-level", "error", "--keep-alive", "30"],
        cwd=ROOT, env=env, start_new_session=True)]
    if celery:
        processes.append(subprocess.Popen(
            [*(["nice", "-n", str(worker_nice)] if worker_nice else []),
             PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=2",
             "--loglevel=WARNING", "--without-gossip", "--without-mingle"], cwd=ROOT, env=env,
            start_new_session=True))
    try:
        yield processes
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) used so far by each part of the stack on this machine, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    own = os.getpid()
    totals: dict[str, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        part = ("load generator" if int(entry) == own
                else "gunicorn" if "gunicorn" in command
                else "celery" if "celery" in command else "postgres" if command.startswith("postgres")
                else "redis" if command.startswith("redis") else None)
        if part:
            totals[part] = totals.get(part, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each part used between two ``cpu_seconds()`` readings (processes that ended are lost)."""
    return {part: after[part] - before.get(part, 0.0) for part in after}
