"""Changing or cancelling a booked exam: an e-mail that says what changed, with a calendar file that moves or
removes the entry the booking confirmation put in the candidate's calendar (same UID, higher SEQUENCE)."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from django.core import mail
from django.test import Client

from exams.services.bookings import SeatRequest, booking_cancel, booking_confirm, booking_create

pytestmark = pytest.mark.django_db


def _calendar(message) -> tuple[str, str]:
    (name, content, mimetype), = [a for a in message.attachments if a[0].endswith(".ics")]
    return content.replace("\r\n ", ""), mimetype


def _field(ics: str, name: str) -> str:
    return re.search(rf"^{name}[:;](.*)$", ics, re.M).group(1).strip()


def _confirmed(make_session, candidate, code="NT2-II-LZ", days=30):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session(code, days=days).pk)])
    booking_confirm(booking=booking)
    return booking


def test_a_change_tells_old_and_new_sitting_and_moves_the_calendar_entry(
        make_session, candidate, django_capture_on_commit_callbacks):
    candidate.language = "en"
    candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = _confirmed(make_session, candidate)
    booked, _type = _calendar(mail.outbox[0])
    uid = _field(booked, "UID")
    assert _field(booked, "METHOD") == "REQUEST" and _field(booked, "SEQUENCE") == "0"
    registration = booking.registrations.get()
    later, latest = make_session("NT2-II-LZ", days=37, hour=13), make_session("NT2-II-LZ", days=44)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(candidate.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my/registrations/{registration.pk}/change/", {"session": later.pk})
    message = mail.outbox[1]
    assert message.to == [candidate.email]
    assert message.subject == f"Your exam is changed to {later.local_starts_at:%d-%m-%Y}"
    assert f"Before: {registration.session.local_starts_at:%d-%m-%Y %H:%M}" in message.body
    assert f"Now: {later.local_starts_at:%d-%m-%Y 13:00}" in message.body
    assert "Examencentrum Amsterdam" in message.body
    ics, mimetype = _calendar(message)
    assert mimetype == "text/calendar; method=REQUEST"
    assert _field(ics, "METHOD") == "REQUEST" and _field(ics, "UID") == uid and _field(ics, "SEQUENCE") == "1"
    assert _field(ics, "DTSTART") == later.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert "ORGANIZER:mailto:" in ics and f"mailto:{candidate.email}" in ics

    moved = booking.registrations.get(status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my/registrations/{moved.pk}/change/", {"session": latest.pk})
    again, _type = _calendar(mail.outbox[2])
    assert _field(again, "UID") == uid and _field(again, "SEQUENCE") == "2"
    # the booking page's download names the same entry
    download = client.get(f"/my/bookings/{booking.pk}/exams.ics").content.decode()
    assert f"UID:{uid}" in download and "SEQUENCE:2" in download


def test_a_cancel_in_time_names_the_refund_and_cancels_the_calendar_entry(
        make_session, candidate, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("exams.services.bookings._queue_refund", lambda registration_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _confirmed(make_session, candidate, "INB-WI2021-LZ", days=30)
    uid = _field(_calendar(mail.outbox[0])[0], "UID")
    registration = booking.registrations.get()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, registration_ids=[registration.pk])
    message = mail.outbox[1]
    assert message.subject == "Je examen is geannuleerd"  # the candidate's language: Dutch
    assert "Lezen" in message.body and f"{registration.session.local_starts_at:%d-%m-%Y %H:%M}" in message.body
    assert "We betalen € 50,00 terug" in message.body
    ics, mimetype = _calendar(message)
    assert mimetype == "text/calendar; method=CANCEL"
    assert _field(ics, "METHOD") == "CANCEL" and _field(ics, "UID") == uid and _field(ics, "SEQUENCE") == "1"
    assert _field(ics, "STATUS") == "CANCELLED"
    with django_capture_on_commit_callbacks(execute=True):
        from exams.services.notifications import registrations_cancelled_send

        assert registrations_cancelled_send(registration_ids=[registration.pk], refunded_ids=[]) is False
    assert len(mail.outbox) == 2  # once


def test_a_late_cancel_says_why_nothing_is_refunded(make_session, candidate, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    candidate.language = "en"
    candidate.save()
    monkeypatch.setattr("exams.services.bookings._queue_refund", lambda registration_id: None)
    booking = _confirmed(make_session, candidate, "INB-WI2021-KNM", days=5)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking)
    body = mail.outbox[0].body
    assert "not refunded, because you cancelled less than 14 days before the exam" in body
    assert "We refund" not in body


def test_cancelling_a_hold_that_was_never_paid_sends_nothing(make_session, candidate,
                                                             django_capture_on_commit_callbacks):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking)
    assert mail.outbox == []
