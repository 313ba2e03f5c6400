"""Periodic tasks that keep the outbox moving and small."""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task(name="exams.jobs.tasks.outbox_relay")
def outbox_relay() -> int:
    """Publish rows that could not be published after their commit (the broker was down)."""
    return outbox.outbox_relay()


@shared_task(name="exams.jobs.tasks.outbox_prune")
def outbox_prune() -> int:
    """Delete rows published more than a week ago."""
    return outbox.outbox_prune()
