"""The Celery application. Workers start with ``celery -A config worker``; ``-B`` (or a separate
``celery -A config beat``) runs the periodic tasks, among them the outbox relay.

Every task is made from ``exams.jobs.base.JobTask``: acknowledged after it ran, put back when its worker
dies, transient failures retried with backoff, final failures kept in the dead-letter list. Tasks are
queued through ``exams.jobs.outbox.enqueue``, never with ``.delay()`` from request code."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("examlogistics", task_cls="exams.jobs.base:JobTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
