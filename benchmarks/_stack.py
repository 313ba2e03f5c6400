"""The production-like stack for benchmarks: PostgreSQL, gunicorn, a Celery worker on Redis, on this machine."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
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


#: Requests of the seat-taking path (session search, taking a hold) that the front proxy sends to their own
#: pool of web workers; everything else (payments, webhooks, pages) goes to the other pool.
SEAT_PATHS = ("/api/v1/sessions", "/api/v1/bookings")

NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log error;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream seats {{ server 127.0.0.1:{seats_port}; keepalive 64; }}
    upstream site {{ server 127.0.0.1:{site_port}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_read_timeout 120s;
        location / {{ proxy_pass http://site; }}
{seat_locations}
    }}
}}
"""


def _at_nice(nice: int) -> list[str]:
    """The command prefix that starts a process at CPU priority ``nice`` (nothing for 0)."""
    return ["nice", "-n", str(nice)] if nice else []


def _gunicorn(env: dict, port: int, workers: int, threads: int, nice: int = 0) -> subprocess.Popen:
    return subprocess.Popen(
        [*_at_nice(nice), PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads),
         "--worker-class", "gthread" if threads > 1 else "sync", "--backlog", "2048",
         "--log-level", "error", "--keep-alive", "30"],
        cwd=ROOT, env=env, start_new_session=True)


def _front_proxy(port: int, seats_port: int, site_port: int, prefix: Path) -> subprocess.Popen:
    """nginx on ``port``: the seat-taking paths to one pool, the rest to the other (docs/operations.md)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is needed for the front proxy: apt-get install nginx-light")
    seat_locations = "\n".join(f"        location = {path} {{ proxy_pass http://seats; }}"
                               for path in SEAT_PATHS)
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, seats_port=seats_port, site_port=site_port,
                                      seat_locations=seat_locations))
    return subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                            start_new_session=True)


@contextlib.contextmanager
def serving(env: dict, *, port: int, workers: int, threads: int = 1, celery: bool = False,
            worker_nice: int = 0, seat_workers: int = 0, seat_threads: int = 1, site_nice: int = 0):
    """gunicorn (and a Celery worker) in their own process groups, stopped on exit. ``worker_nice`` runs the
    Celery worker at a lower CPU priority, as on a host it shares with the web workers (docs/operations.md).

    With ``seat_workers``, nginx listens on ``port`` and sends the seat-taking paths to a pool of that many
    workers and everything else to a second pool of ``workers``, run at ``site_nice``: the layout that
    docs/operations.md describes for registration rushes."""
    if seat_workers:
        prefix = Path(env.get("EXAMS_VAR_DIR", "/tmp")) / "front-proxy"
        processes = [_gunicorn(env, port + 1, seat_workers, seat_threads),
                     _gunicorn(env, port + 2, workers, threads, site_nice),
                     _front_proxy(port, port + 1, port + 2, prefix)]
    else:
        processes = [_gunicorn(env, port, workers, threads)]
    if celery:
        processes.append(subprocess.Popen(
            [*_at_nice(worker_nice), PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, start_new_session=True))
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
                else "nginx" if command.startswith("nginx")
                else "gunicorn" if "gunicorn" in command
                else "celery" if "celery" in command else "postgres" if command.startswith("postgres")
                else "redis" if command.startswith("redis") else None)
        if part:
            totals[part] = totals.get(part, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def wait_until_idle(*, below: float = 0.15, timeout: float = 120.0) -> float:
    """Wait until the stack has booted: every web and worker process has imported the application, so the
    stack uses less than ``below`` CPU-seconds per second. Returns the seconds waited."""
    started = time.monotonic()
    last = sum(cpu_seconds().values())
    while time.monotonic() - started < timeout:
        time.sleep(1.0)
        now = sum(cpu_seconds().values())
        if now - last < below:
            break
        last = now
    return time.monotonic() - started


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each part used between two ``cpu_seconds()`` readings (processes that ended are lost)."""
    return {part: after[part] - before.get(part, 0.0) for part in after}
