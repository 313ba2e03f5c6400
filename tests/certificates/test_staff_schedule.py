"""The examiner's schedule PDF: a table whose cells wrap, so no text runs over another or off the page."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4

from certificates.exam_day import MARGIN, ScheduleRow, render_staff_schedule

AMS = ZoneInfo("Europe/Amsterdam")


def _words(pdf: bytes, pdftotext: str, tmp_path) -> list[tuple[int, float, float, float, str]]:
    """Every word drawn, with its page and box (points, from the top left of the page)."""
    path = tmp_path / "schedule.pdf"
    path.write_bytes(pdf)
    html = subprocess.run([pdftotext, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(page, float(x0), float(y0), float(x1), word)
            for page, text in enumerate(html.split("<page ")[1:])
            for x0, y0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', text)]


def test_long_texts_wrap_inside_their_columns_and_stay_on_the_page(pdftotext, tmp_path):
    start = datetime(2027, 3, 8, 13, 30, tzinfo=AMS)
    row = ScheduleRow(starts_at=start, ends_at=start + timedelta(minutes=95), arrive_at=start - timedelta(minutes=45),
                      location="Examencentrum Amsterdam-Zuidoost Bijlmerplein", room="Mondelinge examenruimte 12",
                      address="Hoogoorddreef 123, 1101 BA Amsterdam", role="tweede examinator / verslaglegger",
                      parts="Kennis van de Nederlandse Maatschappij, Oriëntatie op de Nederlandse Arbeidsmarkt",
                      status="gepubliceerd", colleagues=("Petra van der Smit-Bakker (examinator)",))
    pdf = render_staff_schedule(name="Jan Bakker", period="01-03-2027 – 31-05-2027", rows=(row,) * 30,
                                language="nl")
    words = _words(pdf, pdftotext, tmp_path)
    text = " ".join(w[4] for w in words)
    for whole in ("tweede examinator / verslaglegger", "Oriëntatie op de Nederlandse Arbeidsmarkt",
                  "Hoogoorddreef 123, 1101 BA Amsterdam", "aanwezig om 12:45", "13:30–15:05"):
        assert whole in text
    width, _height = A4
    assert len({w[0] for w in words}) > 1  # the table runs on over pages
    assert all(MARGIN - 1 <= x0 and x1 <= width - MARGIN + 1 for _page, x0, _y0, x1, _w in words)
    lines: dict[tuple[int, int], list] = {}
    for page, x0, y0, x1, word in words:
        lines.setdefault((page, round(y0)), []).append((x0, x1, word))
    for line in lines.values():  # no word is drawn over another
        line.sort()
        assert all(a[1] <= b[0] + 0.5 for a, b in zip(line, line[1:])), line


def test_the_headers_are_in_the_readers_language(pdftotext, tmp_path):
    start = datetime(2027, 3, 8, 9, 0, tzinfo=AMS)
    row = ScheduleRow(starts_at=start, ends_at=start, location="L", room="R", role="examiner", parts="Reading",
                      status="accepted")
    words = " ".join(w[4] for w in _words(render_staff_schedule(name="J", period="p", rows=(row,), language="en"),
                                           pdftotext, tmp_path))
    assert "Schedule: J" in words and "Exam parts" in words and "8 March 2027" in words
