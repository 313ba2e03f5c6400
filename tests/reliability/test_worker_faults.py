"""Real workers, real brokers, real faults: the process running a task is killed again and again; a task
keeps failing; the broker goes away during bookings. On PostgreSQL, with Redis."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from exams.jobs.models import DeadLetter, OutboxMessage
from exams.jobs.outbox import enqueue
from exams.models import Booking, Candidate, Notification, User
from exams.services.bookings import SeatRequest, booking_confirm, booking_create
from tests.reliability import worker_tasks

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TASKS = 20
KILLS = 20


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def attempts(log) -> list[tuple[str, int]]:
    if not log.exists():
        return []
    return [(key, int(pid)) for key, pid in (line.split() for line in log.read_text().splitlines())]


def test_killing_the_process_mid_task_20_times_loses_and_doubles_nothing(own_worker, tmp_path):
    """Each kill lands while a task holds its row lock, before it commits; the task comes back and every
    one of them completes exactly once."""
    _worker, queue = own_worker
    log = tmp_path / "attempts.log"
    keys = [f"kill-{n}" for n in range(TASKS)]
    for key in keys:
        enqueue(worker_tasks.slow_effect, key, 1.0, str(log), queue=queue)
    killed: list[tuple[str, int]] = []
    while len(killed) < KILLS:
        seen = len(attempts(log))
        wait_until(lambda: len(attempts(log)) > seen, 60, "the next attempt to start")
        key, pid = attempts(log)[-1]
        time.sleep(0.4)  # inside send_once: the row is locked, the message not yet recorded
        os.kill(pid, signal.SIGKILL)
        killed.append((key, pid))
    wait_until(lambda: Notification.objects.filter(key__in=keys, sent_at__isnull=False).count() == TASKS, 120,
               "every task to complete")
    time.sleep(2)  # a late duplicate would show now
    rows = Counter(Notification.objects.filter(kind="reliability").values_list("key", flat=True))
    assert rows == Counter({key: 1 for key in keys})
    assert not Notification.objects.filter(key__in=keys, sent_at__isnull=True).exists()
    tries = Counter(key for key, _pid in attempts(log))
    assert len({pid for _key, pid in killed}) == KILLS  # twenty different processes died
    for key, _pid in killed:
        assert tries[key] >= 2, f"{key} was killed but never ran again"
    assert sum(tries.values()) >= TASKS + KILLS
    assert not DeadLetter.objects.filter(task="reliability.slow_effect").exists()


def test_a_task_that_kills_its_process_every_time_is_given_up_not_redelivered_for_ever(own_worker, tmp_path):
    """Put back after every crash, such a task would take down one process after another without end."""
    _worker, queue = own_worker
    log = tmp_path / "attempts.log"
    enqueue(worker_tasks.kills_its_worker, "poison", str(log), queue=queue)
    wait_until(lambda: DeadLetter.objects.filter(task="reliability.kills_its_worker").exists(), 90,
               "the dead letter")
    time.sleep(3)  # no further attempt comes
    assert len(attempts(log)) == 1 + worker_tasks.kills_its_worker.max_crash_restarts
    assert len({pid for _key, pid in attempts(log)}) == len(attempts(log))  # each run took a process down
    letter = DeadLetter.objects.get(task="reliability.kills_its_worker")
    assert letter.exception.startswith("TaskKeepsKillingItsWorker: reliability.kills_its_worker ")
    assert letter.args == ["poison", str(log)]


def test_a_task_that_always_fails_stops_after_its_retries_in_the_dead_letter_list(own_worker, tmp_path,
                                                                                   admin_user):
    _worker, queue = own_worker
    log = tmp_path / "attempts.log"
    enqueue(worker_tasks.always_fails, "doomed", str(log), queue=queue)
    wait_until(lambda: DeadLetter.objects.filter(task="reliability.always_fails").exists(), 60, "the dead letter")
    time.sleep(3)  # no further attempt comes
    assert len(attempts(log)) == 1 + worker_tasks.always_fails.max_retries
    letter = DeadLetter.objects.get(task="reliability.always_fails")
    assert (letter.args, letter.retries) == (["doomed", str(log)], worker_tasks.always_fails.max_retries)
    assert letter.exception == "ConnectionError: nobody answers for doomed"

    client = Client()
    client.force_login(admin_user)
    page = client.get("/admin/jobs/deadletter/")
    assert page.status_code == 200 and "reliability.always_fails" in page.content.decode()
    from io import StringIO

    out = StringIO()
    call_command("dead_letters", stdout=out)
    assert "reliability.always_fails('doomed'" in out.getvalue() and "after 3 retries" in out.getvalue()


def confirmed_bookings(make_session, count: int, offset: int = 0) -> list[Booking]:
    session = make_session(capacity=count, hour=8 + offset % 10)
    bookings = []
    for n in range(offset, offset + count):
        user = User.objects.create_user(f"outage{n}@example.org", "a-long-test-password", role="candidate",
                                        email_verified=True)
        candidate = Candidate.objects.create(user=user, first_name="Ada", last_name=f"Outage{n}",
                                             birth_date=date(1990, 5, 1), email=user.email)
        booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
        started = time.monotonic()
        assert booking_confirm(booking=booking) is True  # succeeds whatever the broker does
        assert time.monotonic() - started < 5
        bookings.append(booking)
    return bookings


def confirmations_sent(bookings) -> int:
    keys = [f"booking-{b.pk}-confirmed" for b in bookings]
    return Notification.objects.filter(key__in=keys, sent_at__isnull=False).count()


def test_bookings_succeed_while_the_broker_is_down_and_their_jobs_run_when_it_is_back(
        private_broker, make_session, fresh_breaker):
    redis, worker = private_broker
    redis.stop()
    during = confirmed_bookings(make_session, 8)
    assert all(Booking.objects.get(pk=b.pk).status == "confirmed" for b in during)
    pending = OutboxMessage.objects.filter(task="exams.tasks.booking_confirmed", published_at__isnull=True)
    assert pending.count() == 8  # kept, none lost
    redis.start()
    time.sleep(6)  # the process's breaker lets the next publish through
    after = confirmed_bookings(make_session, 1, offset=8)  # the next booking publishes, and relays the backlog
    wait_until(lambda: confirmations_sent(during + after) == 9, 120, "the queued confirmations to be sent")
    assert not pending.exists()
    keys = [f"booking-{b.pk}-confirmed" for b in during + after]
    assert Notification.objects.filter(key__in=keys).count() == 9
    assert worker.poll() is None


def test_the_relay_command_publishes_the_backlog_without_new_traffic(private_broker, make_session, fresh_breaker):
    redis, _worker = private_broker
    redis.stop()
    during = confirmed_bookings(make_session, 5, offset=20)
    call_command("relay_outbox", "--once")  # the broker is still down: nothing is lost by trying
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 5
    redis.start()
    call_command("relay_outbox", "--once")
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()
    wait_until(lambda: confirmations_sent(during) == 5, 120, "the relayed confirmations to be sent")
