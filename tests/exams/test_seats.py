"""``seats.take_seats``: the locked section of a booking, on whichever database the pass runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from exams.models import Booking, Candidate, ExamSession, Registration
from exams.services import seats

pytestmark = pytest.mark.django_db


def _counters(*sessions: ExamSession) -> list[int]:
    chosen = ExamSession.objects.filter(pk__in=[s.pk for s in sessions]).order_by("pk")
    return list(chosen.values_list("seats_booked", flat=True))


def _hold(session: ExamSession, name: str) -> None:
    person = Candidate.objects.create(first_name="Test", last_name=name, birth_date=date(1990, 1, 1),
                                      email=f"{name}@example.org")
    booking = Booking.objects.create(candidate=person, status="held", amount=50)
    Registration.objects.create(booking=booking, candidate=person, session=session, part=session.parts.get(),
                                status="held", fee=50)


def test_takes_one_seat_in_each_session_when_all_have_room(make_session):
    one, two = make_session(capacity=2), make_session(days=31, capacity=1)
    _hold(one, "a")
    _hold(two, "b")
    with transaction.atomic():
        read = seats.take_seats([two.pk, one.pk])
    assert {sid: (r.taken, r.capacity, r.over_capacity) for sid, r in read.items()} == {
        one.pk: (1, 2, False), two.pk: (1, 1, False)}
    assert _counters(one, two) == [1, 1]


def test_moves_no_counter_when_one_session_is_over_capacity(make_session):
    roomy, full = make_session(capacity=5), make_session(days=31, capacity=1)
    _hold(roomy, "a")
    _hold(full, "b")
    _hold(full, "c")
    with transaction.atomic():
        read = seats.take_seats([roomy.pk, full.pk])
    assert read[full.pk].over_capacity and not read[roomy.pk].over_capacity
    assert _counters(roomy, full) == [0, 0]


def test_moves_no_counter_when_a_session_is_no_longer_open(make_session):
    open_, cancelled = make_session(capacity=5), make_session(days=31, capacity=5, status="cancelled")
    with transaction.atomic():
        read = seats.take_seats([open_.pk, cancelled.pk])
    assert read[cancelled.pk].status == "cancelled"
    assert _counters(open_, cancelled) == [0, 0]


@pytest.mark.postgres
def test_on_postgresql_the_locked_section_is_one_statement(make_session):
    session = make_session(capacity=5)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        seats.take_seats([session.pk])
    assert len(queries) == 1 and "exams_take_seats" in queries[0]["sql"]
