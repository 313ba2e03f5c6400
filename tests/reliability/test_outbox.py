"""The outbox: a job is queued with the transaction that asks for it, or not at all; pending rows are
relayed; a task that keeps failing ends in the dead-letter list. Tasks run in-process here (any database)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from config.celery import app
from exams.jobs.models import DeadLetter, OutboxMessage
from exams.jobs.outbox import enqueue, outbox_relay
from exams.models import Booking, Candidate, Notification, User
from exams.services.bookings import SeatRequest, booking_confirm, booking_create
from tests.reliability import worker_tasks

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


@pytest.fixture
def published(monkeypatch):
    """Every task handed to Celery from this process, by name (whether it runs here or goes to a broker)."""
    sent: list[str] = []
    apply = app.Task.apply  # what runs a task in-process (``delay`` comes here too when tasks are eager)
    send_task = app.send_task

    def spy_apply(self, *args, **kwargs):
        sent.append(self.name)
        return apply(self, *args, **kwargs)

    def spy_send(name, *args, **kwargs):
        sent.append(name)
        return send_task(name, *args, **kwargs)

    monkeypatch.setattr(app.Task, "apply", spy_apply)
    monkeypatch.setattr(app, "send_task", spy_send)
    return sent


def held_booking(session, n: int = 0) -> Booking:
    user = User.objects.create_user(f"outbox{n}@example.org", "a-long-test-password", role="candidate",
                                    email_verified=True)
    candidate = Candidate.objects.create(user=user, first_name="Ada", last_name=f"Test{n}",
                                         birth_date=date(1990, 5, 1), email=user.email)
    return booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])


def test_a_rolled_back_confirmation_queues_nothing(make_session, published):
    booking = held_booking(make_session(capacity=2))
    with pytest.raises(Rollback), transaction.atomic():
        booking_confirm(booking=booking)
        assert OutboxMessage.objects.filter(task="exams.tasks.booking_confirmed").count() == 1  # inside: written
        assert "exams.tasks.booking_confirmed" not in published  # ... but not sent before the commit
        raise Rollback
    assert not OutboxMessage.objects.exists()
    assert "exams.tasks.booking_confirmed" not in published
    assert not Notification.objects.filter(key=f"booking-{booking.pk}-confirmed").exists()

    assert booking_confirm(booking=booking) is True  # the control: committed, it is queued and runs once
    assert published.count("exams.tasks.booking_confirmed") == 1
    assert OutboxMessage.objects.get(task="exams.tasks.booking_confirmed").published_at is not None
    assert Notification.objects.get(key=f"booking-{booking.pk}-confirmed").sent_at is not None


def test_the_relay_publishes_what_was_left_pending_once(make_session, published, monkeypatch):
    from exams.jobs import outbox

    monkeypatch.setattr(outbox, "publish_after_commit", lambda message_id: None)  # the broker never took it
    bookings = [held_booking(make_session(capacity=2, hour=8 + n), n) for n in range(3)]
    for booking in bookings:
        booking_confirm(booking=booking)
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 3
    assert "exams.tasks.booking_confirmed" not in published
    call_command("relay_outbox", "--once")
    assert outbox_relay() == 0  # nothing twice
    assert published.count("exams.tasks.booking_confirmed") == 3
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()
    assert Notification.objects.filter(kind="booking_confirmed", sent_at__isnull=False).count() == 3


def test_a_task_that_always_fails_is_retried_then_lands_in_the_dead_letter_list(tmp_path):
    log = tmp_path / "attempts.log"
    with pytest.raises(ConnectionError):
        enqueue(worker_tasks.always_fails, "in-process", str(log))
    assert log.read_text().count("in-process") == 1 + worker_tasks.always_fails.max_retries
    letter = DeadLetter.objects.get(task="reliability.always_fails")
    assert letter.args == ["in-process", str(log)]
    assert letter.exception == "ConnectionError: nobody answers for in-process"
    assert "ConnectionError" in letter.traceback


def test_a_dead_letter_is_queued_again_once(tmp_path, published):
    letter = DeadLetter.objects.create(task="reliability.slow_effect", args=["again", 0, str(tmp_path / "log")],
                                       exception="ConnectionError: gone")
    call_command("dead_letters", "--requeue", str(letter.pk))
    call_command("dead_letters", "--requeue", str(letter.pk))
    assert published.count("reliability.slow_effect") == 1
    assert Notification.objects.get(key="again").sent_at is not None
    letter.refresh_from_db()
    assert letter.requeued_at is not None


@pytest.mark.django_db(transaction=True)
def test_in_the_demo_an_in_process_task_runs_on_a_background_thread(monkeypatch):
    """The demo's web server has no broker: a page that starts a long job must answer before the job ends
    (and then show its progress), so there the task runs on a background thread."""
    from concurrent.futures import ThreadPoolExecutor

    from exams.jobs import outbox

    monkeypatch.setattr(outbox, "_background", None)
    outbox.run_in_background()
    background = outbox._background
    assert isinstance(background, ThreadPoolExecutor)
    worker_tasks.RELEASE.clear()
    worker_tasks.FINISHED.clear()
    try:
        with transaction.atomic():
            enqueue(worker_tasks.waits_for_release, "background")
        # Run here, the task would have waited for its release until it gave up, and finished by now.
        assert not worker_tasks.FINISHED.is_set()
        worker_tasks.RELEASE.set()
        assert worker_tasks.FINISHED.wait(timeout=10)
    finally:
        worker_tasks.RELEASE.set()
        background.shutdown(wait=True)
    assert Notification.objects.get(key="background").subject == "released True"
