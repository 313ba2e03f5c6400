"""Reading back where a PDF drew its words (with poppler's pdftotext), to check a layout: every word between
the page margins and none drawn over another."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from reportlab.lib.pagesizes import A4

from certificates.exam_day import MARGIN

Word = tuple[int, float, float, float, str, float]  # page, x0, y0, x1, the word, y1


def drawn_words(pdf: bytes, tmp_path) -> list[Word]:
    """Every word drawn, with its page and box (points, from the top left of the page)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils")
    path = tmp_path / "drawn.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run([pdftotext, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(page, float(x0), float(y0), float(x1), html.unescape(word), float(y1))
            for page, text in enumerate(boxes.split("<page ")[1:])
            for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', text)]


def assert_within_margins_and_apart(words: list[Word]) -> None:
    width, _height = A4
    assert all(MARGIN - 1 <= x0 and x1 <= width - MARGIN + 1 for _page, x0, _y0, x1, _w, _y1 in words)
    # No word is drawn over another: on the same line or from a line above or below (text running out of
    # its row). Words are compared with those that start higher on the page and reach below their top.
    slack = 1.0
    for page in {w[0] for w in words}:
        placed = sorted((w for w in words if w[0] == page), key=lambda w: w[2])
        for i, (_p, x0, y0, x1, word, y1) in enumerate(placed):
            for _q, a0, b0, a1, other, b1 in placed[i + 1:]:
                if b0 >= y1 - slack:
                    break
                assert not (a0 < x1 - slack and x0 < a1 - slack), (word, other, page)
