"""Tasks that exist only for the reliability tests; the tests' own worker imports this module (``-I``).

Both are made from the project's task class (``exams.jobs.base.JobTask``), so they get the production
acknowledgement, retry and dead-letter behaviour.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from celery import shared_task

from exams.services.notifications import send_once


@shared_task(name="reliability.slow_effect")
def slow_effect(key: str, seconds: float, log_path: str) -> bool:
    """Send one message keyed ``key``, taking ``seconds`` inside the transaction that records it; every
    attempt is logged (key and process id) before it starts, outside the database."""
    with open(log_path, "a") as log:
        log.write(f"{key} {os.getpid()}\n")

    def build():
        time.sleep(seconds)
        return f"effect {key}", "", []

    return send_once(key=key, kind="reliability", email="effect@example.org", language="en", build=build)


@shared_task(name="reliability.always_fails", max_retries=3, retry_backoff=1)
def always_fails(key: str, log_path: str) -> None:
    """Fails the way an unreachable service does, every time."""
    with open(log_path, "a") as log:
        log.write(f"{key} {os.getpid()}\n")
    raise ConnectionError(f"nobody answers for {key}")


@shared_task(name="reliability.kills_its_worker", max_crash_restarts=2)
def kills_its_worker(key: str, log_path: str) -> None:
    """Takes its own process down every time it runs, as a task that runs out of memory would."""
    with open(log_path, "a") as log:
        log.write(f"{key} {os.getpid()}\n")
    os.kill(os.getpid(), signal.SIGKILL)


#: ``waits_for_release`` blocks until a test sets ``RELEASE``, then sets ``FINISHED``.
RELEASE, FINISHED = threading.Event(), threading.Event()


@shared_task(name="reliability.waits_for_release")
def waits_for_release(key: str) -> None:
    """Stands for a long job (a planning run): it goes on once the test lets it, then records ``key``."""
    released = RELEASE.wait(timeout=10)
    send_once(key=key, kind="reliability", email="effect@example.org", language="en",
              build=lambda: (f"released {released}", "", []))
    FINISHED.set()
