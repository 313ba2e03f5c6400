"""The class every task of the project is made from (``Celery(task_cls=...)`` in config/celery.py).

Tasks are acknowledged only after they ran (``acks_late``) and put back on the queue when the process
running them dies (``reject_on_worker_lost``), so a killed worker delays a job but never drops it; the
tasks are idempotent by unique keys, so a second run changes nothing. Transient failures (the database
or a remote service unreachable, a deadlock) are retried with exponential backoff and jitter; a task that
still fails, or fails for any other reason, lands in the dead-letter list (``deadletters``).
"""

from __future__ import annotations

from celery import Task
from django.db import InterfaceError, OperationalError

#: Failures worth another try: they say nothing about the job itself.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class JobTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT
    max_retries = 5
    retry_backoff = 2  # seconds before the first retry; doubled each time
    retry_backoff_max = 300  # below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    retry_jitter = True
