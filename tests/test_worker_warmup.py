"""A starting Celery worker compiles the exam-timetabling kernels in the background."""

from __future__ import annotations

import threading

from celery.signals import worker_ready

import config.celery
from scheduling.examtt import kernel


def test_a_starting_worker_warms_the_kernels_without_waiting_for_them(monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow_compile() -> None:
        started.set()
        release.wait(10)

    monkeypatch.setattr(kernel, "warm_up", slow_compile)
    answers = dict(worker_ready.send(sender=None))
    thread = answers[config.celery.warm_exam_timetabling_kernels]
    assert started.wait(10)
    assert thread.is_alive() and thread.daemon  # the worker went on while the compile runs
    release.set()
    thread.join(10)
    assert not thread.is_alive()
