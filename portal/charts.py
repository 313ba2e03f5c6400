"""Small server-side SVG charts: no JavaScript (the Content-Security-Policy allows none inline), readable
by screen readers (a title, and the numbers as text next to the bars)."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    second: float | None = None  # e.g. capacity next to demand


LABEL_CHARS = 27  # what the 190-pixel label column holds at the chart's font size
VALUE_CHAR_PX = 7.5  # the width of a digit of a value at the chart's font size (12px), with room to spare


def bar_chart(bars: list[Bar], *, title: str, legend: tuple[str, str] | None = None, width: int = 640,
              unit: str = "", log: bool = False) -> SafeString:
    """Horizontal bars, one row per label; an optional second, lighter bar (capacity) behind the first. A label
    too long for its column wraps onto a second line (the row grows), and only a longer one is shortened.
    The longest value's text always fits after its bar (the bars leave it room). ``log`` draws the bars on a
    logarithmic scale, so values of very different sizes (penalties of 100,000,000 beside 40) all show."""
    line, label_w, pad = 14, 190, 8
    labels = [label_lines(bar.label) for bar in bars]
    row = 26 if all(len(lines) == 1 for lines in labels) else 26 + line
    height = max(1, len(bars)) * row + (30 if legend else 10)
    texts = [f"{number(bar.value)}{unit}"
             + (f" / {number(bar.second)}{unit}" if bar.second is not None else "") for bar in bars]
    text_w = max([len(text) for text in texts] + [4]) * VALUE_CHAR_PX + 12

    def length(value: float) -> float:
        return math.log10(1 + max(0.0, value)) if log else value

    top = max([length(b.value) for b in bars] + [length(b.second or 0) for b in bars] + [length(1)])
    scale = (width - label_w - text_w) / top
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, bar in enumerate(bars):
        y = i * row + pad
        spans = "".join(f'<tspan x="0" dy="{line if k else 0}">{escape(text)}</tspan>'
                        for k, text in enumerate(labels[i]))
        parts.append(f'<text x="0" y="{y + 14}" class="chart-label">{spans}</text>')
        if bar.second is not None:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{length(bar.second) * scale:.1f}" height="18" '
                         f'class="chart-back"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{length(bar.value) * scale:.1f}" height="12" '
                     f'class="chart-bar"/>')
        x = label_w + length(max(bar.value, bar.second or 0)) * scale + 6
        parts.append(f'<text x="{x:.1f}" y="{y + 14}" class="chart-value">{escape(texts[i])}</text>')
    if legend:
        y = len(bars) * row + 14
        parts.append(f'<rect x="0" y="{y}" width="14" height="10" class="chart-bar"/>'
                     f'<text x="20" y="{y + 10}" class="chart-value">{escape(legend[0])}</text>'
                     f'<rect x="160" y="{y}" width="14" height="10" class="chart-back"/>'
                     f'<text x="180" y="{y + 10}" class="chart-value">{escape(legend[1])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def number(value: float) -> str:
    """A value as the reader's language writes it, digits grouped (93.000.000 in Dutch, 93,000,000 in English);
    a whole number without decimals."""
    return number_format(int(value) if float(value).is_integer() else value, use_l10n=True, force_grouping=True)


def label_lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A label as the chart prints it: one line, or two broken between words, the second shortened with an
    ellipsis when even two lines are too short."""
    return textwrap.wrap(label, width, max_lines=2, placeholder=" …") or [""]
