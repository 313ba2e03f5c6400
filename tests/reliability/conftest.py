"""Workers and brokers the reliability tests own: a worker on a queue of its own that also knows the
test-only tasks, and a private redis-server on a spare port that a test may stop and start again (the
shared Redis is never touched)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _needs_broker_and_postgres() -> None:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("no broker configured: tasks run in-process on this pass")
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the worker shares the test database, which needs PostgreSQL")


@contextlib.contextmanager
def worker(*, queue: str, broker: str | None = None):
    """A prefork worker (one child) consuming ``queue``, in its own process group; yields (process, name)."""
    from config.celery import app

    name = f"reliability-{uuid.uuid4().hex[:8]}@%h"
    env = dict(os.environ, DJANGO_ENV="test", DATABASE_URL=_test_database_url())
    if broker:
        env.update(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1",
         "--loglevel=WARNING", "-n", name, "-Q", queue, "-I", "tests.reliability.worker_tasks",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        full = name.replace("%h", socket.gethostname())
        while not app.control.ping(destination=[full], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the reliability worker did not come up")
        yield process, name
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def own_worker(django_db_setup):
    """A worker on the shared test broker that takes only this module's queue."""
    _needs_broker_and_postgres()
    queue = f"reliability-{uuid.uuid4().hex[:8]}"
    with worker(queue=queue) as (process, _name):
        yield process, queue


class PrivateRedis:
    """A redis-server of the test's own on a free port; ``stop()`` and ``start()`` are an outage."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while not self.answers():
            if time.monotonic() > deadline:
                pytest.fail("the private redis-server did not come up")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _use_broker(app, url: str | None) -> None:
    """Point this process's Celery app at another broker, or back (``None``); the connection pools are
    rebuilt lazily. The read/write URLs, because ``broker_url`` always yields to $CELERY_BROKER_URL."""
    app.conf.broker_read_url = app.conf.broker_write_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def private_broker(django_db_setup, tmp_path_factory):
    """A private redis-server, a worker on it (default queue), and this process publishing to it."""
    _needs_broker_and_postgres()
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    from config.celery import app

    redis = PrivateRedis(tmp_path_factory.mktemp("redis"))
    redis.start()
    _use_broker(app, redis.url)
    try:
        with worker(queue="celery", broker=redis.url) as (process, _name):
            yield redis, process
    finally:
        _use_broker(app, None)
        redis.stop()


@pytest.fixture
def fresh_breaker():
    """Each test starts with this process trusting the broker."""
    from exams.jobs.outbox import breaker

    breaker.open_until, breaker.failed_since_relay = 0.0, False
    yield breaker
    if breaker.relay_thread is not None:
        breaker.relay_thread.join(timeout=30)
