"""Holding seats, refusing a full session, and expiring unpaid holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.errors import NotFound, RuleViolation
from exams.models import Booking, ExamSession
from exams.services import seats
from exams.services.bookings import SeatRequest, SessionFull, booking_create, expire_holds

pytestmark = pytest.mark.django_db


def test_booking_several_parts_holds_one_seat_each_and_sums_the_fees(make_session, candidate):
    reading = make_session("NT2-II-LZ", days=30)
    listening = make_session("NT2-II-LU", days=31, room="Computerzaal 2")
    booking = booking_create(candidate=candidate, requests=[SeatRequest(reading.pk), SeatRequest(listening.pk)])
    assert booking.status == "held"
    assert booking.amount == 100
    assert booking.expires_at > timezone.now() + timedelta(minutes=14)
    assert [s.seats_booked for s in ExamSession.objects.filter(pk__in=[reading.pk, listening.pk])] == [1, 1]


def test_full_session_is_refused_and_nothing_is_held(make_session, candidate, other_candidate):
    last_seat = make_session(capacity=1)
    other = make_session("NT2-II-LU", days=31, room="Computerzaal 2")
    booking_create(candidate=other_candidate, requests=[SeatRequest(last_seat.pk)])
    with pytest.raises(SessionFull):
        booking_create(candidate=candidate, requests=[SeatRequest(other.pk), SeatRequest(last_seat.pk)])
    other.refresh_from_db()
    assert other.seats_booked == 0
    assert not Booking.objects.filter(candidate=candidate).exists()


@pytest.mark.parametrize("capacity", [1, 2])
def test_a_replay_overtaken_by_its_first_request_gets_that_booking(make_session, candidate, monkeypatch, capacity):
    """The first request with an idempotency key commits between a replay's look for an earlier booking and
    its look at the seat counter. Whether that took the last seat (the counter says full) or not (the
    candidate then holds the session already), the replay answers with the first request's booking."""
    session = make_session(capacity=capacity)
    counter = seats.full_by_counter
    first = []

    def first_request_commits_meanwhile(session_ids):
        monkeypatch.setattr(seats, "full_by_counter", counter)
        first.append(booking_create(candidate=candidate, requests=[SeatRequest(session.pk)], idempotency_key="k1"))
        return counter(session_ids)

    monkeypatch.setattr(seats, "full_by_counter", first_request_commits_meanwhile)
    replay = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)], idempotency_key="k1")
    assert first and replay == first[0]
    assert Booking.objects.filter(candidate=candidate).count() == 1
    assert ExamSession.objects.get(pk=session.pk).seats_booked == 1


def test_unknown_closed_and_started_sessions_are_refused(make_session, candidate):
    with pytest.raises(NotFound):
        booking_create(candidate=candidate, requests=[SeatRequest(999999)])
    closed = make_session(status="closed")
    with pytest.raises(RuleViolation):
        booking_create(candidate=candidate, requests=[SeatRequest(closed.pk)])
    started = make_session(days=-1)
    with pytest.raises(RuleViolation):
        booking_create(candidate=candidate, requests=[SeatRequest(started.pk)])


def test_a_multi_part_session_needs_the_part_named(make_session, candidate):
    shared = make_session("INB-WI2021-LZ", "INB-WI2021-KNM")
    with pytest.raises(RuleViolation):
        booking_create(candidate=candidate, requests=[SeatRequest(shared.pk)])
    booking = booking_create(candidate=candidate, requests=[SeatRequest(shared.pk, "INB-WI2021-KNM")])
    assert booking.registrations.get().part.code == "INB-WI2021-KNM"


def test_expired_holds_return_their_seats_and_a_second_run_changes_nothing(make_session, candidate):
    session = make_session(capacity=3)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    assert expire_holds() == 0  # still within its hold
    later = timezone.now() + timedelta(minutes=16)
    assert expire_holds(now=later) == 1
    assert expire_holds(now=later) == 0
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == "expired"
    assert booking.registrations.get().status == "expired"
    assert session.seats_booked == 0


def test_registration_deadline_binds_candidates_but_not_agency_placements(make_session, candidate, other_candidate):
    session = make_session(days=5)
    session.registration_closes_at = session.starts_at - timedelta(days=21)
    session.save()
    with pytest.raises(RuleViolation) as refused:
        booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    assert refused.value.code == "registration_closed"
    placed = booking_create(candidate=other_candidate, requests=[SeatRequest(session.pk)], placed_by_agency=True)
    assert placed.status == "confirmed"
    assert placed.registrations.get().status == "confirmed"
