"""A booking whose hold expired unpaid: "my exams" offers "book again", which holds the same sitting, or
the next one with seats when it filled up meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import Booking
from exams.services.bookings import SeatRequest, booking_create, expire_holds

pytestmark = pytest.mark.django_db


def client_for(candidate) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(candidate.user)
    return client


def _expired(candidate, session) -> Booking:
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    expire_holds(now=timezone.now() + timedelta(hours=2))
    booking.refresh_from_db()
    assert booking.status == "expired"
    return booking


def test_book_again_holds_the_same_sitting_once(make_session, candidate):
    session = make_session("NT2-II-LZ", days=30)
    old = _expired(candidate, session)
    client = client_for(candidate)
    page = client.get("/my/").content.decode()
    assert f'action="/my/bookings/{old.pk}/again/"' in page
    response = client.post(f"/my/bookings/{old.pk}/again/")
    new = Booking.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"/my/bookings/{new.pk}/"
    assert new.status == "held" and [r.session_id for r in new.registrations.all()] == [session.pk]
    client.post(f"/my/bookings/{old.pk}/again/")  # a second tap
    assert Booking.objects.exclude(pk=old.pk).count() == 1
    assert f'action="/my/bookings/{old.pk}/again/"' not in client.get("/my/").content.decode()


def test_a_full_sitting_is_booked_again_in_the_next_one_with_seats(make_session, candidate, other_candidate):
    session = make_session("NT2-II-LZ", days=30, capacity=1)
    full_later = make_session("NT2-II-LZ", days=32, capacity=1)
    free_later = make_session("NT2-II-LZ", days=34)
    old = _expired(candidate, session)
    booking_create(candidate=other_candidate, requests=[SeatRequest(session.pk)])
    booking_create(candidate=other_candidate, requests=[SeatRequest(full_later.pk)])
    page = client_for(candidate).post(f"/my/bookings/{old.pk}/again/", follow=True).content.decode()
    new = Booking.objects.filter(candidate=candidate).exclude(pk=old.pk).get()
    assert [r.session_id for r in new.registrations.all()] == [free_later.pk]
    assert f"Reading is now on {free_later.local_starts_at:%d-%m-%Y %H:%M}" in page


def test_nothing_with_seats_says_so(make_session, candidate, other_candidate):
    session = make_session("NT2-II-LZ", days=30, capacity=1)
    old = _expired(candidate, session)
    booking_create(candidate=other_candidate, requests=[SeatRequest(session.pk)])
    page = client_for(candidate).post(f"/my/bookings/{old.pk}/again/", follow=True).content.decode()
    assert "Reading has no sitting with seats left that you can book" in page
    assert Booking.objects.filter(candidate=candidate).count() == 1


def test_only_an_expired_booking_of_ones_own_can_be_booked_again(make_session, candidate, other_candidate):
    theirs = _expired(other_candidate, make_session("NT2-II-LU", days=31))
    held = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    client = client_for(candidate)
    assert client.post(f"/my/bookings/{theirs.pk}/again/").status_code == 404
    page = client.post(f"/my/bookings/{held.pk}/again/", follow=True).content.decode()
    assert "Only a booking that expired unpaid can be booked again." in page


def test_the_book_again_card_names_the_parts_dates_and_places(make_session, candidate):
    session = make_session("NT2-II-LZ", days=30)
    _expired(candidate, session)
    page = client_for(candidate).get("/my/").content.decode()
    card = page.split("Not paid in time", 1)[1].split("Coming up", 1)[0]
    assert session.parts.get().full_name in card
    assert f"{session.local_starts_at:%H:%M}, {session.room.location.name}" in card


def test_no_card_offers_a_part_held_or_booked_since_nor_the_same_parts_twice(make_session, candidate):
    """Two holds of the same part ran out; only the newest is offered. Once the part is held again (from
    the search, not the card), neither is: booking it again would seat the candidate twice."""
    first, second = make_session("NT2-II-LZ", days=30), make_session("NT2-II-LZ", days=31)
    older = _expired(candidate, first)
    newer = _expired(candidate, second)
    page = client_for(candidate).get("/my/").content.decode()
    assert f'action="/my/bookings/{newer.pk}/again/"' in page
    assert f'action="/my/bookings/{older.pk}/again/"' not in page
    booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=33).pk)])
    page = client_for(candidate).get("/my/").content.decode()
    assert "/again/" not in page


def test_a_second_tap_lands_on_the_seats_held_by_the_first(make_session, candidate):
    """The first tap took the seat; the second finds the candidate booked there already and must not tell
    them there is no sitting left, but show the booking the first tap made."""
    session = make_session("NT2-II-LZ", days=30, capacity=1)
    old = _expired(candidate, session)
    client = client_for(candidate)
    client.post(f"/my/bookings/{old.pk}/again/")
    new = Booking.objects.exclude(pk=old.pk).get()
    response = client.post(f"/my/bookings/{old.pk}/again/", follow=True)
    assert response.redirect_chain[-1][0] == f"/my/bookings/{new.pk}/"
    assert "no sitting with seats left" not in response.content.decode()
    assert Booking.objects.exclude(pk=old.pk).count() == 1
