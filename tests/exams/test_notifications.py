"""The confirmation of a paid booking: one e-mail in the candidate's language with .ics and summons."""

from __future__ import annotations

import pytest
from django.core import mail

from exams.models import Notification
from exams.services.bookings import SeatRequest, booking_confirm, booking_create
from exams.services.notifications import booking_confirmation_send

pytestmark = pytest.mark.django_db


def test_paid_booking_sends_one_confirmation_with_calendar_and_summons(make_session, candidate,
                                                                        django_capture_on_commit_callbacks):
    candidate.language = "en"
    candidate.save()
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ").pk)])
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_confirm(booking=booking) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_confirm(booking=booking) is False  # confirmed once
    assert booking_confirmation_send(booking_id=booking.pk) is False  # and sent once
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cand.one@example.org"]
    assert message.subject == "Your exam booking is confirmed"
    assert "Reading" in message.body and "Examencentrum Amsterdam" in message.body
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    ics, _ = names["exams.ics"]
    assert "BEGIN:VEVENT" in ics and "DTSTART:" in ics and "\r\n" in ics
    summons, mimetype = names["summons.pdf"]
    assert mimetype == "application/pdf" and summons.startswith(b"%PDF")
    assert Notification.objects.get().sent_at is not None


def test_confirmation_is_in_dutch_for_dutch_candidates(make_session, candidate, django_capture_on_commit_callbacks):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("INB-WI2021-LZ").pk)])
    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm(booking=booking)
    message = mail.outbox[0]
    assert message.subject == "Je examenboeking is bevestigd"
    assert "oproep.pdf" in [name for name, _, _ in message.attachments]


def test_summons_pdf_has_the_exam_details(make_session, candidate):
    import subprocess

    from exams.services.notifications import summons_data
    from certificates.exam_day import render_summons

    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-SP").pk)])
    pdf = render_summons(summons_data(booking, list(booking.registrations.all())), language="nl")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Oproep voor je examen" in text
    assert "Spreken" in text and "Examencentrum Amsterdam" in text
    assert "Olena Kovalenko" in text
    assert "identiteitsbewijs" in text
