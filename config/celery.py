"""The Celery application. Workers start with ``celery -A config worker``; ``-B`` (or a separate
``celery -A config beat``) runs the periodic tasks, among them the outbox relay.

Every task is made from ``exams.jobs.base.JobTask``: acknowledged after it ran, put back when its worker
dies, transient failures retried with backoff, final failures kept in the dead-letter list. Tasks are
queued through ``exams.jobs.outbox.enqueue``, never with ``.delay()`` from request code."""

import os
import threading

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("examlogistics", task_cls="exams.jobs.base:JobTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def warm_exam_timetabling_kernels(**_kwargs) -> threading.Thread:
    """Compile the exam-timetabling kernels once when a worker starts, in the background, so numba's disk
    cache holds them before the first written timetable is planned: that run then loads them in a fraction
    of a second instead of compiling for about ten while the planner watches the progress bar."""
    from scheduling.examtt import kernel

    thread = threading.Thread(target=kernel.warm_up, name="warm-examtt-kernels", daemon=True)
    thread.start()
    return thread
