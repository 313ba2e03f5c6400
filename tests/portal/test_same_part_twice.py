"""Booking a part the candidate already has booked (still to come) or has passed: the search row and the
booking page say so before paying; where the family's rules forbid another attempt, booking is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from exams.models import ExamPart, Result
from exams.services.bookings import SeatRequest, booking_confirm, booking_create

pytestmark = pytest.mark.django_db


def client_for(candidate) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(candidate.user)
    return client


def _book(client, session, part="NT2-II-LZ"):
    return client.post("/book/", {"choice": f"{session.pk}:{part}"}, follow=True).content.decode()


def test_a_part_booked_already_is_named_on_the_search_row_and_before_paying(make_session, candidate):
    first, later, other_part = (make_session("NT2-II-LZ", days=30), make_session("NT2-II-LZ", days=37),
                                make_session("NT2-II-LU", days=38))
    booking_confirm(booking=booking_create(candidate=candidate, requests=[SeatRequest(first.pk)]))
    client = client_for(candidate)
    search = client.get("/sessions/", {"part": "NT2-II-LZ"}).content.decode()
    when = first.local_starts_at.strftime("%d-%m-%Y %H:%M")
    assert f"You already have Reading booked on {when}" in search
    page = _book(client, later)
    assert "Before you pay" in page and f"You already have Reading booked on {when}" in page
    assert "Before you pay" not in _book(client, other_part, "NT2-II-LU")  # another part: nothing to say


def test_a_part_passed_already_is_named_before_paying(make_session, candidate):
    Result.objects.create(candidate=candidate, part=ExamPart.objects.get(code="NT2-II-LZ"), score=Decimal("530"),
                          passed=True, taken_on=date(2026, 3, 10), source="test")
    page = _book(client_for(candidate), make_session("NT2-II-LZ", days=30))
    assert "Before you pay" in page and "You passed Reading on 10-03-2026 already" in page


def test_more_attempts_than_the_family_allows_are_refused(make_session, candidate):
    limit = ExamPart.objects.get(code="NT2-II-LZ").programme.family.max_attempts_per_part_per_year
    sessions = [make_session("NT2-II-LZ", days=30 + 2 * i) for i in range(limit + 1)]
    if len({s.starts_at.year for s in sessions}) > 1:
        pytest.skip("the sittings straddle a new year")
    for session in sessions[:limit]:
        booking_confirm(booking=booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]))
    page = _book(client_for(candidate), sessions[-1])
    assert f"at most {limit} times" in page and "Before you pay" not in page


def test_a_part_only_held_so_far_is_named_as_a_hold_to_cancel_not_an_exam_to_change(make_session, candidate):
    first, later = make_session("NT2-II-LZ", days=30), make_session("NT2-II-LZ", days=37)
    booking_create(candidate=candidate, requests=[SeatRequest(first.pk)])  # held, not paid
    page = _book(client_for(candidate), later)
    when = first.local_starts_at.strftime("%d-%m-%Y %H:%M")
    assert f"You already hold a seat for Reading on {when}, not paid yet" in page
    assert "change it in My exams" not in page
