"""The dead-letter list: a row for every task that failed for good (after its retries), with what it was
asked to do and why it failed, until staff queue it again."""

from __future__ import annotations

import json
import logging
import traceback as tb

from django.db import transaction
from django.utils import timezone

from .models import DeadLetter
from .outbox import enqueue

logger = logging.getLogger(__name__)


def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **_ignored):
    """Celery's ``task_failure`` signal: a task raised and will not be retried."""
    name = getattr(sender, "name", None) or "unknown"
    request = getattr(sender, "request", None)
    trace = str(einfo) if einfo is not None else "".join(tb.format_exception(exception))
    try:
        DeadLetter.objects.create(
            task=name, task_id=str(task_id or ""), args=_jsonable(args or []), kwargs=_jsonable(kwargs or {}),
            exception=f"{type(exception).__name__}: {exception}"[:500], traceback=trace[-20000:],
            retries=getattr(request, "retries", 0) or 0,
        )
    except Exception:  # noqa: BLE001 - the database may be what failed; the worker log still has it
        logger.exception("could not record the dead letter of %s %s", name, task_id)
    logger.error("task %s %s failed for good: %r", name, task_id, exception)


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return json.loads(json.dumps(value, default=repr))


def dead_letter_requeue(*, dead_letter_id: int) -> DeadLetter:
    """Queue the failed task again with the same arguments (once: a second call does nothing)."""
    with transaction.atomic():
        letter = DeadLetter.objects.select_for_update().get(pk=dead_letter_id)
        if letter.requeued_at is None:
            enqueue(letter.task, *letter.args, **letter.kwargs)
            letter.requeued_at = timezone.now()
            letter.save(update_fields=["requeued_at"])
    return letter
