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

Word = tuple[int, float, float, float, str]


def drawn_words(pdf: bytes, tmp_path) -> list[Word]:
    """Every word drawn, with its page and box (points, from the top left of the page)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils")
    path = tmp_path / "drawn.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run([pdftotext, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(page, float(x0), float(y0), float(x1), html.unescape(word))
            for page, text in enumerate(boxes.split("<page ")[1:])
            for x0, y0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', text)]


def assert_within_margins_and_apart(words: list[Word]) -> None:
    width, _height = A4
    assert all(MARGIN - 1 <= x0 and x1 <= width - MARGIN + 1 for _page, x0, _y0, x1, _w in words)
    lines: dict[tuple[int, int], list] = {}
    for page, x0, y0, x1, word in words:
        lines.setdefault((page, round(y0)), []).append((x0, x1, word))
    for line in lines.values():  # no word is drawn over another
        line.sort()
        assert all(a[1] <= b[0] + 0.5 for a, b in zip(line, line[1:])), line
