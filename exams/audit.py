"""Recording to the audit log. Never log passwords, tokens or id numbers: only ids, codes and outcomes."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger("exams.security")
GENESIS = "0" * 64
FORBIDDEN_KEYS = {"password", "token", "national_id", "secret", "key"}


def record(action: str, *, actor=None, obj=None, object_type: str = "", object_id: str = "", request=None,
           **details) -> None:
    """Append one entry, chained to the last one.

    Inside a transaction the entry is written once that transaction commits (so only what really happened
    is logged), in a short transaction of its own: chaining locks the last entry, and holding that lock for
    the whole of, say, a booking would make every booking in the country wait for every other."""
    clean = {k: v for k, v in details.items() if k.lower() not in FORBIDDEN_KEYS}
    if obj is not None:
        object_type, object_id = type(obj).__name__, str(obj.pk)
    origin = ""
    if request is not None:
        origin = (request.META.get("REMOTE_ADDR") or "")[:64]
    actor_id = getattr(actor, "pk", actor)
    write = lambda: _append(action, actor_id, object_type, object_id, origin, clean)  # noqa: E731
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(write)
    else:
        write()


def _append(action: str, actor_id, object_type: str, object_id: str, origin: str, clean: dict) -> AuditEvent:
    with transaction.atomic():
        last = AuditEvent.objects.select_for_update().order_by("-pk").first()
        event = AuditEvent(actor_id=actor_id, action=action[:60], object_type=object_type[:60],
                           object_id=object_id[:60], origin=origin, details=clean,
                           prev_hash=last.hash if last else GENESIS)
        event.at = timezone.now()
        event.hash = event.compute_hash()
        event.save()
    logger.info("audit %s %s %s:%s", action, event.actor_id, object_type, object_id)
    return event


def verify_chain() -> tuple[int, int | None]:
    """(entries checked, pk of the first broken entry or None)."""
    previous, count = GENESIS, 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != previous or event.compute_hash() != event.hash:
            return count, event.pk
        previous = event.hash
    return count, None
