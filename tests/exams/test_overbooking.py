"""Never overbook: parallel bookings for the last seats, on PostgreSQL with real concurrent connections.

The first test proves the race is real: with the lock switched off and the database's check constraint
dropped, two bookings for the last seat both get through. The others show that the lock alone, and the
constraint alone, each stop it, and that 500 simultaneous requests for 20 seats fill exactly 20.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection, connections

from exams.errors import DomainError
from exams.models import ApiToken, Candidate, ExamSession, Registration, User
from exams.services import bookings, seats
from exams.services.bookings import SeatRequest, SessionFull, booking_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 20


@contextmanager
def race_window(seconds: float = 0.15):
    """Widen the gap between counting the seats and writing the booking."""
    bookings.AFTER_CHECK_DELAY_SECONDS = seconds
    try:
        yield
    finally:
        bookings.AFTER_CHECK_DELAY_SECONDS = 0.0


@contextmanager
def lock_disabled():
    seats.LOCKING_ENABLED = False
    try:
        yield
    finally:
        seats.LOCKING_ENABLED = True


@contextmanager
def capacity_constraint_dropped():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE exams_examsession DROP CONSTRAINT session_never_overbooked")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE exams_examsession SET seats_booked = LEAST(seats_booked, capacity)")
            cursor.execute("ALTER TABLE exams_examsession ADD CONSTRAINT session_never_overbooked "
                           "CHECK (seats_booked <= capacity)")


def make_candidates(count: int, prefix: str) -> list[Candidate]:
    return Candidate.objects.bulk_create(
        [Candidate(first_name="Test", last_name=f"{prefix}{i}", birth_date=date(1990, 1, 1),
                   email=f"{prefix}{i}@example.org") for i in range(count)]
    )


def race_for_last_seat(session: ExamSession, people: list[Candidate]) -> list[str]:
    """Both people book the same session at the same moment; returns each outcome."""
    start = threading.Barrier(len(people))
    outcomes: list[str] = []

    def attempt(person: Candidate) -> None:
        start.wait()
        try:
            booking_create(candidate=person, requests=[SeatRequest(session.pk)])
            outcomes.append("booked")
        except SessionFull:
            outcomes.append("full")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def live_registrations(session: ExamSession) -> int:
    return Registration.objects.filter(session=session, status__in=["held", "pending_payment", "confirmed"]).count()


def test_without_lock_and_constraint_the_last_seat_is_sold_twice(make_session):
    """The control experiment: if this stops overselling, the other tests prove nothing."""
    oversold = 0
    with lock_disabled(), capacity_constraint_dropped(), race_window():
        for round_ in range(ROUNDS):
            session = make_session(capacity=1, days=30 + round_)
            race_for_last_seat(session, make_candidates(2, f"nolock{round_}-"))
            oversold += live_registrations(session) > 1
    assert oversold >= 1


def test_with_the_lock_exactly_one_wins_every_time(make_session):
    with race_window():
        for round_ in range(ROUNDS):
            session = make_session(capacity=1, days=30 + round_)
            outcomes = race_for_last_seat(session, make_candidates(2, f"lock{round_}-"))
            assert sorted(outcomes) == ["booked", "full"]
            session.refresh_from_db()
            assert live_registrations(session) == session.seats_booked == 1


def test_the_database_constraint_alone_still_never_oversells(make_session):
    with lock_disabled(), race_window():
        for round_ in range(ROUNDS):
            session = make_session(capacity=1, days=30 + round_)
            outcomes = race_for_last_seat(session, make_candidates(2, f"constraint{round_}-"))
            assert outcomes.count("booked") <= 1
            assert set(outcomes) <= {"booked", "full"}
            assert live_registrations(session) <= 1


def test_500_simultaneous_requests_for_20_seats(live_server, make_session):
    session = make_session(capacity=20)
    people = make_candidates(500, "rush-")
    users = User.objects.bulk_create([User(email=f"rush{i}@example.org", role="candidate") for i in range(500)])
    for person, user in zip(people, users):
        person.user = user
    Candidate.objects.bulk_update(people, ["user"])
    tokens = [ApiToken.issue(user) for user in users]
    start = threading.Barrier(40)

    def book(token: str) -> tuple[int, str]:
        request = urllib.request.Request(
            live_server.url + "/api/v1/bookings", data=json.dumps({"session_ids": [session.pk]}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method="POST",
        )
        try:
            start.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())["status"]
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())["code"]

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(book, tokens))
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 20
    assert statuses.count(409) == 480
    assert all(code == "session_full" for status, code in results if status == 409)
    assert not [s for s in statuses if s >= 500]
    session.refresh_from_db()
    assert session.seats_booked == live_registrations(session) == 20
