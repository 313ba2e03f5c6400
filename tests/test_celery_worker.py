"""A real Celery worker, started by the test session, runs tasks end to end through Redis."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from exams import tasks
from exams.models import Booking, ExamSession
from exams.services.bookings import SeatRequest, booking_create

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_answers_through_the_broker_from_another_process(celery_worker_process):
    result = tasks.ping.delay("hello").get(timeout=30)
    assert result == {"echo": "hello", "database": "postgresql"}
    assert celery_worker_process.pid != os.getpid()


def test_worker_expires_an_unpaid_hold_and_returns_the_seat(celery_worker_process, make_session, candidate):
    session = make_session(capacity=2)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    Booking.objects.filter(pk=booking.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_holds.delay().get(timeout=30) == 1
    assert tasks.expire_holds.delay().get(timeout=30) == 0  # safe to run twice
    booking.refresh_from_db()
    assert booking.status == "expired"
    assert ExamSession.objects.get(pk=session.pk).seats_booked == 0
