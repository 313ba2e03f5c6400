"""The planner's exports of a sitting: the attendance list (PDF) and the roster (CSV), in the planner's
language, with long names wrapping in the PDF instead of running off the page."""

from __future__ import annotations

import pytest
from django.test import Client

from exams.models import Examiner, StaffAssignment

from ..pdf_layout import assert_within_margins_and_apart, drawn_words

pytestmark = pytest.mark.django_db

LONG_NAME = ("Maria-Theresia Anastasia", "van der Hoeven-Oosterbroek tot Heemstede")


def logged_in(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def booked(make_session, candidate, other_candidate):
    """A sitting with two candidates whose long names take more than one line each, one under the other."""
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    session = make_session(days=20)
    for person in (candidate, other_candidate):
        person.first_name, person.last_name = LONG_NAME
        person.save()
        booking_confirm(booking=booking_create(candidate=person, requests=[SeatRequest(session.pk)]))
    examiner = Examiner.objects.create(first_name="Sam", last_name="Toezicht", email="sam@example.org")
    StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator")
    return session


@pytest.mark.parametrize("language, words", [
    ("nl", ("Presentielijst", "Geboren", "Onderdeel", "mei", "Aanwezig:", "surveillant")),
    ("en", ("Attendance list", "Born", "Exam part", "May", "Present:", "Invigilator's signature")),
])
def test_the_attendance_list_is_in_the_planners_language_and_long_names_wrap(booked, planner, tmp_path, language,
                                                                            words):
    pdf = logged_in(planner, language).get(f"/planner/sessions/{booked.pk}/attendance.pdf").content
    drawn = drawn_words(pdf, tmp_path)
    text = " ".join(w[4] for w in drawn)
    for word in (*words, *" ".join(LONG_NAME).split()):
        assert word in text
    assert_within_margins_and_apart(drawn)


def test_the_roster_csv_is_in_the_planners_language_with_local_times(booked, planner):
    day = booked.local_starts_at.date()
    query = {"location": booked.room.location.code, "from": str(day)}
    dutch = logged_in(planner, "nl").get("/planner/roster.csv", query).content.decode("utf-8-sig")
    header, *rows = dutch.splitlines()
    assert header == "Zitting;Begin;Lokaal;Examenonderdelen;Kandidaat of personeel;Naam;Rol of status"
    assert sum(";Kandidaat;" in row and row.endswith(";bevestigd") for row in rows) == 2
    assert any(";Personeel;Sam Toezicht;surveillant" in row for row in rows)
    assert all(f";{day} 09:00;" in row for row in rows)  # the sitting starts at 9:00 in Amsterdam
    english = logged_in(planner, "en").get("/planner/roster.csv", query).content.decode("utf-8-sig")
    assert english.startswith("Session;Starts at;Room") and english.rstrip().endswith(";invigilator")
