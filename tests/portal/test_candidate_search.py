"""The candidate's search page: bookable sittings first, closed ones on request, pages, fees, suggestions
that can be booked, bad dates and families refused in words, and choices kept after a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import Booking, ExamSession
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def closed(session: ExamSession) -> ExamSession:
    ExamSession.objects.filter(pk=session.pk).update(
        registration_closes_at=timezone.now() - timedelta(days=1)
    )
    return session


def test_closed_sittings_are_hidden_unless_asked_for_and_bookable_ones_come_first(make_session, candidate):
    shut = [closed(make_session("NT2-II-LZ", days=day)) for day in range(2, 8)]
    open_one = make_session("NT2-II-LZ", days=60)
    client = logged_in(candidate.user)
    html = client.get("/sessions/", {"family": "nt2"}).content.decode()
    assert f'value="{open_one.pk}:NT2-II-LZ"' in html and "registration closed" not in html.lower()
    assert "6 sittings closed for booking are not shown." in html
    everything = client.get("/sessions/", {"family": "nt2", "show_closed": "on"}).content.decode()
    assert everything.count("Registration for this sitting closed") == len(shut)
    assert everything.index(f'value="{open_one.pk}:NT2-II-LZ"') < everything.index(
        "Registration for this sitting"
    )


def test_results_come_in_pages(make_session, candidate):
    for day in range(35):
        make_session("NT2-II-LZ", days=30 + day)
    client = logged_in(candidate.user)
    first = client.get("/sessions/", {"family": "nt2"}).content.decode()
    assert first.count('name="choice"') == 30 and "Page 1 of 2" in first and "page=2" in first
    second = client.get("/sessions/", {"family": "nt2", "page": 2}).content.decode()
    assert second.count('name="choice"') == 5


def test_the_fee_is_shown_per_row(make_session, candidate):
    make_session("NT2-II-LZ")
    assert "€&nbsp;50.00" in logged_in(candidate.user).get("/sessions/").content.decode()


def test_next_with_seats_suggests_only_bookable_sittings_as_links(make_session, candidate, other_candidate):
    full = make_session("NT2-II-LZ", capacity=1, days=30)
    booking_create(candidate=other_candidate, requests=[SeatRequest(full.pk)])
    shut = closed(make_session("NT2-II-LZ", days=33))
    later = make_session("NT2-II-LZ", days=40)
    html = (
        logged_in(candidate.user).get("/sessions/", {"family": "nt2", "show_closed": "on"}).content.decode()
    )
    suggestions = html[html.index('<ul class="alternatives">') :]
    suggestions = suggestions[: suggestions.index("</ul>")]
    assert f"date_from={later.local_starts_at:%Y-%m-%d}" in suggestions and "<a href=" in suggestions
    assert f"date_from={shut.local_starts_at:%Y-%m-%d}" not in suggestions


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_far_away_dates_are_refused_with_a_message(candidate, catalogue, day):
    page = logged_in(candidate.user).get("/sessions/", {"date_from": day})
    assert page.status_code == 200 and "Choose a date between" in page.content.decode()


def test_the_family_is_read_case_insensitively(make_session, candidate):
    session = make_session("NT2-II-LZ")
    html = logged_in(candidate.user).get("/sessions/", {"family": "NT2"}).content.decode()
    assert f'value="{session.pk}:NT2-II-LZ"' in html and "Select a valid choice" not in html


def test_two_parts_of_one_sitting_are_refused_in_words_and_the_ticks_stay(make_session, candidate):
    both = make_session("INB-WI2021-KNM", "INB-WI2021-LU")
    client = logged_in(candidate.user)
    page = client.post(
        "/book/",
        {
            "choice": [f"{both.pk}:INB-WI2021-KNM", f"{both.pk}:INB-WI2021-LU"],
            "accept_statement": "1",
            "next": "/sessions/",
        },
        follow=True,
    ).content.decode()
    assert "The parts of a sitting run at the same time" in page
    assert "One part per sitting" in page
    assert f'value="{both.pk}:INB-WI2021-KNM" id="choice-1" checked' in page
    assert f'value="{both.pk}:INB-WI2021-LU" id="choice-2" checked' in page
    assert not Booking.objects.exists()


def test_a_clash_names_both_parts(make_session, candidate):
    reading, listening = make_session("NT2-II-LZ"), make_session("NT2-II-LU", room="Computerzaal 2")
    page = (
        logged_in(candidate.user)
        .post(
            "/book/",
            {"choice": [f"{reading.pk}:NT2-II-LZ", f"{listening.pk}:NT2-II-LU"], "next": "/sessions/"},
            follow=True,
        )
        .content.decode()
    )
    assert "Reading clashes with Listening on" in page or "Listening clashes with Reading on" in page
