"""Before paying, the booking page says which language the candidate's mails come in when it is not the page's."""

from __future__ import annotations

import pytest
from django.test import Client

from exams.models import Candidate
from exams.services.bookings import SeatRequest, booking_confirm, booking_create

pytestmark = pytest.mark.django_db


def page_of(user, booking, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client.get(f"/my/bookings/{booking.pk}/").content.decode()


def test_the_booking_page_says_mails_come_in_the_profile_language_when_the_page_is_in_another(
        make_session, candidate):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    assert candidate.language == "nl"
    english = page_of(candidate.user, booking, "en")
    assert 'E-mails and letters come in Dutch (<a href="/my/profile/">change this in your profile</a>).' in english
    assert "E-mails" not in page_of(candidate.user, booking, "nl")

    Candidate.objects.filter(pk=candidate.pk).update(language="en")
    dutch = page_of(candidate.user, booking, "nl")
    assert 'E-mails en brieven krijg je in het Engels (<a href="/my/profile/">wijzig dit in je profiel</a>).' in dutch
    assert "E-mails and letters" not in page_of(candidate.user, booking, "en")


def test_no_language_line_once_paid_nor_for_staff_acting_for_the_candidate(make_session, candidate, planner):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    for_staff = page_of(planner, booking, "en")
    assert "How do you want to pay?" in for_staff and "E-mails and letters" not in for_staff  # not the planner's
    booking_confirm(booking=booking)
    assert "E-mails and letters" not in page_of(candidate.user, booking, "en")
