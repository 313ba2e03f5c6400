"""When the agency cancels a sitting, candidates keep their payment and choose a new date at no cost."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from exams.models import PlacementRequest
from exams.services.bookings import SeatRequest, booking_confirm, booking_create, session_cancel_by_agency

pytestmark = pytest.mark.django_db


def test_cancelled_sitting_offers_a_free_new_date(make_session, candidate, django_capture_on_commit_callbacks):
    sitting, other = make_session("NT2-II-LZ", days=30), make_session("NT2-II-LZ", days=37)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(sitting.pk)])
    booking_confirm(booking=booking)
    with django_capture_on_commit_callbacks(execute=True):
        assert session_cancel_by_agency(session=sitting, reason="room closed") == 1
    assert session_cancel_by_agency(session=sitting, reason="room closed") == 0  # once
    assert mail.outbox[-1].subject.startswith("Je examen op") and "gaat niet door" in mail.outbox[-1].subject
    request = PlacementRequest.objects.get(candidate=candidate)
    assert request.source == "disruption" and request.status == "waiting"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(candidate.user)
    assert "We had to cancel this sitting." in client.get("/my/").content.decode()
    registration = booking.registrations.get()
    client.post(f"/my/registrations/{registration.pk}/change/", {"session": other.pk})
    moved = booking.registrations.get(status="confirmed")
    assert moved.session_id == other.pk and moved.fee == registration.fee
    booking.refresh_from_db()
    assert booking.amount == 50 and booking.payments.count() == 0  # nothing new to pay
    request.refresh_from_db()
    assert request.status == "withdrawn"
