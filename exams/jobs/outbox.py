"""The one way to queue a task: a row in the caller's transaction, published to the broker after the commit.

``enqueue`` writes an :class:`OutboxMessage` inside the current transaction, so a rolled-back change queues
nothing and a committed one cannot lose its job. After the commit the row is published at once; if the
broker is unreachable the row stays pending and the request goes on. Pending rows are published by
``outbox_relay``, which runs from three places: a periodic Celery task, ``manage.py relay_outbox`` (which
needs no broker to be up to keep trying), and a thread this process starts as soon as a publish succeeds
again after a failure.

A row is published under its row lock and marked in the same transaction, so the relay and the
after-commit publish never both send it; a crash between sending and marking can send it twice, which the
tasks tolerate (they are idempotent by unique keys). Each row carries one Celery task id for all of its
publishes.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

#: After a failed publish, this process leaves new rows to the relay for this long instead of trying the
#: broker on every request.
BREAKER_SECONDS = 5.0
#: Published rows are deleted after this many days.
KEEP_DAYS = 7
BATCH = 100


class _Breaker:
    """This process's view of the broker: closed (publish directly) or open until a moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.failed_since_relay = False
        self.relay_thread: threading.Thread | None = None

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def trip(self) -> None:
        with self.lock:
            self.open_until = time.monotonic() + BREAKER_SECONDS
            self.failed_since_relay = True

    def recovered(self) -> bool:
        """True once after a success that follows failures: time to relay what piled up."""
        with self.lock:
            was, self.failed_since_relay = self.failed_since_relay, False
            return was


breaker = _Breaker()
_eager_lock = threading.Lock()
_eager_running = 0
#: Without a broker, tasks run in the process that queued them: in the caller's thread (tests, commands:
#: the caller sees the outcome) or, once :func:`run_in_background` switched it on (the demo's web server),
#: on these threads, so that a page which starts a long job (a planning run) answers at once and can show
#: its progress.
_background: ThreadPoolExecutor | None = None
BACKGROUND_THREADS = 2


def run_in_background() -> None:
    """From now on, in-process tasks of this process run on background threads (the demo's web server)."""
    global _background
    with _eager_lock:
        if _background is None:
            _background = ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="task")


def enqueue(task, *args, countdown: float | None = None, queue: str = "", **kwargs) -> OutboxMessage:
    """Queue ``task`` (a Celery task or its name) with ``args``/``kwargs``, as part of the current
    transaction. ``countdown`` delays the run by that many seconds."""
    name = task if isinstance(task, str) else task.name
    not_before = timezone.now() + timedelta(seconds=countdown) if countdown else None
    message = OutboxMessage.objects.create(task=name, args=list(args), kwargs=kwargs, queue=queue,
                                           not_before=not_before)
    transaction.on_commit(lambda: publish_after_commit(message.pk))
    return message


def publish_after_commit(message_id: int) -> None:
    """Publish one row now. Broker trouble leaves it pending for the relay and never reaches the caller."""
    from config.celery import app

    if app.conf.task_always_eager:
        if _background is not None:
            _background.submit(_run_in_background, message_id)
        else:
            _run_in_process(message_id)
        return
    if not breaker.allows():
        return
    try:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=message_id, published_at__isnull=True).first())
            if message is None:
                return  # the relay has it
            _send(message)
            _mark_published(message)
    except Exception as exc:  # noqa: BLE001 - whatever the broker raised, the row waits for the relay
        breaker.trip()
        _note_failure(message_id, exc)
        return
    if breaker.recovered():
        relay_in_background()


def _run_in_process(message_id: int) -> None:
    """Without a broker (the embedded default and the tests): claim the row, then run the task here, with
    its retries (at once: countdowns are ignored). A final failure is raised to the caller, as
    ``task_eager_propagates`` asks, after it was recorded as a dead letter."""
    from config.celery import app

    claimed = OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).update(
        published_at=timezone.now())
    if not claimed:
        return
    message = OutboxMessage.objects.get(pk=message_id)
    if message.task not in app.tasks:
        app.loader.import_default_modules()
    propagate = settings.CELERY_TASK_EAGER_PROPAGATES
    with _propagation_off():  # Celery re-raises a retry instead of running it unless propagation is off
        result = app.tasks[message.task].apply(message.args, message.kwargs, task_id=str(message.task_id))
    if result.failed() and propagate:
        raise result.result


def _run_in_background(message_id: int) -> None:
    """One in-process task on a background thread: nobody waits for it, so a failure is logged (its dead
    letter is recorded as for any task), and the thread's database connection is closed afterwards."""
    try:
        _run_in_process(message_id)
    except Exception:  # noqa: BLE001 - the thread has no caller to raise to
        logger.exception("outbox: in-process task of message %s failed", message_id)
    finally:
        connection.close()


@contextmanager
def _propagation_off():
    """``task_eager_propagates`` off while any in-process task of this process runs (counted, so that
    tasks in parallel threads neither wait for each other nor switch it back under one another)."""
    from config.celery import app

    global _eager_running
    with _eager_lock:
        _eager_running += 1
        app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        with _eager_lock:
            _eager_running -= 1
            if not _eager_running:
                app.conf.task_eager_propagates = settings.CELERY_TASK_EAGER_PROPAGATES


def _send(message: OutboxMessage) -> None:
    from config.celery import app

    options = {"queue": message.queue} if message.queue else {}
    if message.not_before and message.not_before > timezone.now():
        options["eta"] = message.not_before
    app.send_task(message.task, args=message.args, kwargs=message.kwargs, task_id=str(message.task_id),
                  ignore_result=True, retry=True,
                  retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
                  **options)


def _mark_published(message: OutboxMessage) -> None:
    message.published_at = timezone.now()
    message.save(update_fields=["published_at"])


def _note_failure(message_id: int, exc: Exception) -> None:
    logger.warning("outbox: message %s stays pending, the broker refused it: %s", message_id, exc)
    try:
        from django.db.models import F

        OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500])
    except Exception:  # noqa: BLE001 - the database may be the thing that is down
        logger.exception("outbox: could not record the failed publish of message %s", message_id)


def outbox_relay(*, limit: int = 5000) -> int:
    """Publish pending rows, oldest first, up to ``limit``. Stops at the first broker failure (the rest
    waits for the next round). Returns how many were published."""
    from config.celery import app

    if app.conf.task_always_eager:
        pending = list(OutboxMessage.objects.filter(published_at__isnull=True).values_list("pk", flat=True)[:limit])
        for message_id in pending:
            _run_in_process(message_id)
        return len(pending)
    published = 0
    while published < limit:
        with transaction.atomic():
            batch = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                         .filter(published_at__isnull=True).order_by("id")[:min(BATCH, limit - published)])
            if not batch:
                break
            for message in batch:
                try:
                    _send(message)
                except Exception as exc:  # noqa: BLE001 - the broker is down: keep what was sent, stop
                    breaker.trip()
                    _note_failure_in_batch(message, exc)
                    return published
                _mark_published(message)
                published += 1
    if published:
        logger.info("outbox: relayed %s pending messages", published)
    return published


def _note_failure_in_batch(message: OutboxMessage, exc: Exception) -> None:
    logger.warning("outbox: relay stopped at message %s, the broker refused it: %s", message.pk, exc)
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
    message.save(update_fields=["attempts", "last_error"])


def relay_in_background() -> None:
    """Relay the backlog in a thread of this process (one at a time), after the broker came back."""
    with breaker.lock:
        if breaker.relay_thread is not None and breaker.relay_thread.is_alive():
            return
        breaker.relay_thread = threading.Thread(target=_relay_thread, name="outbox-relay", daemon=True)
        breaker.relay_thread.start()


def _relay_thread() -> None:
    try:
        outbox_relay()
    except Exception:  # noqa: BLE001 - the periodic relay will try again
        logger.exception("outbox: background relay failed")
    finally:
        connection.close()


def outbox_pending(*, older_than: timedelta = timedelta(0)) -> int:
    """How many rows wait to be published (for monitoring: a growing number means the broker is down)."""
    return OutboxMessage.objects.filter(published_at__isnull=True,
                                        created_at__lte=timezone.now() - older_than).count()


def outbox_prune(*, now: datetime | None = None) -> int:
    """Delete rows published more than ``KEEP_DAYS`` ago. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=cutoff).delete()
    return deleted
