"""Rows behind the background jobs: queued messages (the outbox) and tasks that failed for good."""

from __future__ import annotations

import uuid

from django.db import models


class OutboxMessage(models.Model):
    """A task to run, written in the same transaction as the change that asks for it. It is published to
    the broker after the commit; while ``published_at`` is empty the relay keeps trying."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    queue = models.CharField(max_length=100, blank=True, help_text="Empty: the default queue.")
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                               help_text="Sent as the Celery task id, so a second publish is the same job.")
    not_before = models.DateTimeField(null=True, blank=True, help_text="Run no earlier than this (a countdown).")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Failed attempts to publish.")
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(published_at__isnull=True), name="jobs_outbox_pending"),
            models.Index(fields=["published_at"], condition=models.Q(published_at__isnull=False),
                         name="jobs_outbox_published"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class DeadLetter(models.Model):
    """A task that failed and will not be retried: kept so that staff see it and can queue it again."""

    task = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, blank=True)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    exception = models.CharField(max_length=500)
    traceback = models.TextField(blank=True)
    retries = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(auto_now_add=True)
    requeued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]
        indexes = [models.Index(fields=["task", "-failed_at"])]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}: {self.exception}"
