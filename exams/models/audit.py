"""The audit log of security-relevant actions: append-only, each entry chained to the one before by hash."""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who did what to which object, when and from where. Entries are never changed or deleted. A sealer
    chains them in the order they were written (``seq``), each carrying the hash of the one before, so
    ``manage.py audit_verify`` finds any tampering with a sealed entry."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="User id; no names or e-mails here.")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    origin = models.CharField(max_length=64, blank=True, help_text="IP address of the request, if any.")
    details = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True,
                                 help_text="Position in the chain, given when the entry is sealed.")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["pk"]

    def compute_hash(self) -> str:
        body = json.dumps([self.prev_hash, self.at.isoformat() if self.at else "", self.actor_id, self.action,
                           self.object_type, self.object_id, self.origin, self.details],
                          sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
