"""Recording to the audit log. Never log passwords, tokens or id numbers: only ids, codes and outcomes."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger("exams.security")
GENESIS = "0" * 64
FORBIDDEN_KEYS = {"password", "token", "national_id", "secret", "key"}


def record(action: str, *, actor=None, obj=None, object_type: str = "", object_id: str = "", request=None,
           **details) -> None:
    """Append one entry; the sealer chains it to the others shortly after (see ``seal``).

    Inside a transaction the entry is written once that transaction commits, so only what really happened
    is logged. Writing takes no lock: chaining at write time would make every audited request in the
    country wait for every other."""
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
    """Write the entry unsealed: no lock, so recording never makes one request wait for another."""
    event = AuditEvent(actor_id=actor_id, action=action[:60], object_type=object_type[:60],
                       object_id=object_id[:60], origin=origin, details=clean, at=timezone.now())
    event.save()
    logger.info("audit %s %s %s:%s", action, event.actor_id, object_type, object_id)
    return event


#: Only one sealer chains at a time (a PostgreSQL advisory lock; SQLite writes one at a time anyway).
SEAL_LOCK_KEY = 73_012_026


def seal(*, batch: int = 2000) -> int:
    """Chain every unsealed entry after the last sealed one, in the order they were written; returns how
    many were sealed. Runs every few seconds (``exams.tasks.audit_seal``) and before every verification;
    safe to run in parallel and twice."""
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
            last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
            rows = list(AuditEvent.objects.filter(seq__isnull=True).order_by("pk")[:batch])
            if not rows:
                return sealed
            previous, seq = (last.hash, last.seq) if last else (GENESIS, 0)
            for row in rows:
                seq += 1
                row.seq, row.prev_hash = seq, previous
                row.hash = previous = row.compute_hash()
            AuditEvent.objects.bulk_update(rows, ["seq", "prev_hash", "hash"])
            sealed += len(rows)


def verify_chain() -> tuple[int, int | None]:
    """Seal what is pending, then check the chain: (entries checked, pk of the first broken entry or None)."""
    seal()
    previous, count = GENESIS, 0
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        count += 1
        if event.seq != count or event.prev_hash != previous or event.compute_hash() != event.hash:
            return count, event.pk
        previous = event.hash
    return count, None
