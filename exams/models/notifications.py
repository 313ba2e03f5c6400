"""Messages sent to people, one row per message so that none is sent twice."""

from __future__ import annotations

from django.db import models


class Notification(models.Model):
    """An e-mail the system sends. ``key`` names the event it is about (``booking-12-confirmed``), so a
    retried or duplicated job finds the row and does not send again."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=40)
    email = models.EmailField()
    language = models.CharField(max_length=2)
    subject = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.email}"
