"""The roster's timeline: sittings at the site's own time of day, cancelled ones shown as cancelled, and
every label either whole or cut at a word with an ellipsis, whole when hovered."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.planner import _fit_text

pytestmark = pytest.mark.django_db


def _timeline(planner, session, language: str = "en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(planner)
    page = client.get("/planner/roster/", {"location": session.room.location.code,
                                           "date": str(session.local_starts_at.date())}).content.decode()
    return re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)


def test_sittings_show_at_the_sites_time_and_an_evening_sitting_fits(make_session, planner):
    morning = make_session(days=20, hour=9)
    make_session(days=20, hour=19, room="Computerzaal 2")
    svg = _timeline(planner, morning)
    assert ">09:00–" in svg and ">08:00–" not in svg  # not in UTC
    assert ">19:00–" in svg and ">20:00<" in svg  # the hours stretch to hold the evening sitting
    assert ">8:00<" in svg


def test_a_cancelled_sitting_is_greyed_and_labelled(make_session, planner):
    held = make_session(days=20, hour=9)
    make_session(days=20, hour=14, room="Computerzaal 2", status="cancelled")
    svg = _timeline(planner, held)
    cancelled = re.findall(r'<g class="timeline-cancelled">.*?</g>', svg, re.S)
    assert len(cancelled) == 1 and ">Cancelled<" in cancelled[0] and ">14:00–15:40<" in cancelled[0] and "<title>cancelled: 14:00" in cancelled[0]
    assert svg.count('<g class="timeline-session">') == 1
    assert ">Geannuleerd<" in _timeline(planner, held, "nl")


def test_labels_are_cut_at_a_word_with_an_ellipsis():
    text = "Spreken, Luisteren, Schrijven en Lezen"
    cut = _fit_text(text, 100)
    assert cut.endswith("…") and text.startswith(cut[:-1]) and text[len(cut) - 1] in " ,"
    assert _fit_text("Lezen", 100) == "Lezen"
    assert _fit_text("Onuitsprekelijkverlengd", 40).endswith("…")  # one long word is cut, with an ellipsis
