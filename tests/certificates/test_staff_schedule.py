"""The examiner's schedule PDF: a table whose cells wrap, so no text runs over another or off the page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from certificates.exam_day import ScheduleRow, render_staff_schedule

from ..pdf_layout import assert_within_margins_and_apart, drawn_words

AMS = ZoneInfo("Europe/Amsterdam")


def test_long_texts_wrap_inside_their_columns_and_stay_on_the_page(pdftotext, tmp_path):
    start = datetime(2027, 3, 8, 13, 30, tzinfo=AMS)
    row = ScheduleRow(starts_at=start, ends_at=start + timedelta(minutes=95), arrive_at=start - timedelta(minutes=45),
                      location="Examencentrum Amsterdam-Zuidoost Bijlmerplein", room="Mondelinge examenruimte 12",
                      address="Hoogoorddreef 123, 1101 BA Amsterdam", role="tweede examinator / verslaglegger",
                      parts="Kennis van de Nederlandse Maatschappij, Oriëntatie op de Nederlandse Arbeidsmarkt",
                      status="gepubliceerd", colleagues=("Petra van der Smit-Bakker (examinator)",))
    pdf = render_staff_schedule(name="Jan Bakker", period="01-03-2027 – 31-05-2027", rows=(row,) * 30,
                                language="nl")
    words = drawn_words(pdf, tmp_path)
    text = " ".join(w[4] for w in words)
    for whole in ("tweede examinator / verslaglegger", "Oriëntatie op de Nederlandse Arbeidsmarkt",
                  "Hoogoorddreef 123, 1101 BA Amsterdam", "aanwezig om 12:45", "13:30–15:05"):
        assert whole in text
    assert len({w[0] for w in words}) > 1  # the table runs on over pages
    assert_within_margins_and_apart(words)


def test_the_headers_are_in_the_readers_language(pdftotext, tmp_path):
    start = datetime(2027, 3, 8, 9, 0, tzinfo=AMS)
    row = ScheduleRow(starts_at=start, ends_at=start, location="L", room="R", role="examiner", parts="Reading",
                      status="accepted")
    pdf = render_staff_schedule(name="J", period="p", rows=(row,), language="en")
    words = " ".join(w[4] for w in drawn_words(pdf, tmp_path))
    assert "Schedule: J" in words and "Exam parts" in words and "8 March 2027" in words
