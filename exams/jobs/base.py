"""The class every task of the project is made from (``Celery(task_cls=...)`` in config/celery.py).

Tasks are acknowledged only after they ran (``acks_late``) and put back on the queue when the process
running them dies (``reject_on_worker_lost``), so a killed worker delays a job but never drops it; the
tasks are idempotent by unique keys, so a second run changes nothing. Transient failures (the database
or a remote service unreachable, a deadlock) are retried with exponential backoff and jitter; a task that
still fails, or fails for any other reason, lands in the dead-letter list (``deadletters``).

Putting a task back when its process dies must not go on for ever: a task that itself kills the process
(it runs out of memory, a library crashes) would come back, kill the next one, and so on. Each start is
counted in Redis under the task's id; a task whose process died more than ``max_crash_restarts`` times is
not run again but failed, so it lands in the dead-letter list with the reason.
"""

from __future__ import annotations

import logging
import threading

from celery import Task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

#: Failures worth another try: they say nothing about the job itself.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

#: How long a task's start count is kept (longer than any retry schedule).
STARTS_KEPT_SECONDS = 7 * 24 * 3600


class TaskKeepsKillingItsWorker(Exception):
    """The process running this task died every time it ran; it is not tried again."""


class StartCounter:
    """Starts per task id, in the broker's Redis (shared by every worker). Other brokers, and tasks run
    in-process, are not counted: nothing there is put back after a crash."""

    def __init__(self) -> None:
        self.clients: dict[str, object] = {}
        self.lock = threading.Lock()

    def count(self, app, task_id: str) -> int | None:
        url = app.conf.broker_url or ""
        if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
            return None
        import redis

        with self.lock:
            client = self.clients.get(url) or self.clients.setdefault(url, redis.Redis.from_url(url))
        key = f"exams:task-starts:{task_id}"
        try:
            with client.pipeline() as pipe:
                starts, _ = pipe.incr(key).expire(key, STARTS_KEPT_SECONDS).execute()
        except redis.RedisError:
            logger.warning("could not count the start of task %s", task_id, exc_info=True)
            return None
        return int(starts)


start_counter = StartCounter()


class JobTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT
    max_retries = 5
    retry_backoff = 2  # seconds before the first retry; doubled each time
    retry_backoff_max = 300  # below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    retry_jitter = True
    #: Deliveries after the process running the task died (a retry is not a crash) before it is given up.
    max_crash_restarts = 10

    def before_start(self, task_id, args, kwargs) -> None:
        starts = start_counter.count(self.app, task_id)
        if starts is None:
            return
        crashes = starts - 1 - (self.request.retries or 0)
        if crashes > self.max_crash_restarts:
            raise TaskKeepsKillingItsWorker(
                f"{self.name} {task_id}: the process running it died {crashes} times; not run again"
            )
