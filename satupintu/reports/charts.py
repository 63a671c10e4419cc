"""
Bar charts as inline SVG, drawn on the server (no JavaScript, no CDN: offices run on closed
networks). Every text is escaped; each chart has a title and a description for screen readers,
and the page shows the same figures in a table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from satupintu.core.numbers import number_text


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""
    colour: str = "#1d70b8"


#: Characters of a label per line at 12 px in the label column; longer labels wrap, never cut.
LABEL_LINE_CHARS = 26
LINE_HEIGHT = 14


def label_lines(label: str, *, width: int = LABEL_LINE_CHARS) -> list[str]:
    """A label wrapped on word boundaries (a word longer than a line is split)."""
    return textwrap.wrap(label, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def bar_chart_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: float | None = None,
    marker: float | None = None,
    marker_label: str = "",
    width: int = 640,
    bar_height: int = 22,
) -> SafeString:
    """
    A horizontal bar chart; ``marker`` draws a vertical line (e.g. a grade border or a standard).

    Labels wrap onto as many lines as they need (the row grows); values without their own
    ``text`` are written as the active language writes numbers (``82,5`` in Indonesian).
    """
    label_width, gap, pad = 170, 6, 8
    top = 28
    wrapped = [label_lines(bar.label) for bar in bars]
    rows = [max(bar_height, len(lines) * LINE_HEIGHT + 6) for lines in wrapped]
    height = top + sum(rows) + gap * len(bars) + pad
    top_value = maximum or max((b.value for b in bars), default=0) or 1
    plot = width - label_width - 80

    def x(value: float) -> float:
        return label_width + plot * max(0.0, min(value, top_value)) / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    y = top
    for bar, lines, row in zip(bars, wrapped, rows, strict=True):
        middle = y + row / 2
        first = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        spans = "".join(
            f'<tspan x="{label_width - 6}" y="{first + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(f'<text font-size="12" text-anchor="end">{spans}</text>')
        value_text = bar.text or number_text(bar.value)
        bar_top = middle - bar_height / 2
        parts.append(
            f'<rect x="{label_width}" y="{bar_top:.1f}" width="{x(bar.value) - label_width:.1f}" '
            f'height="{bar_height}" fill="{escape(bar.colour)}"><title>{escape(bar.label)}: '
            f"{escape(value_text)}</title></rect>"
        )
        parts.append(
            f'<text x="{x(bar.value) + 4:.1f}" y="{middle + 4:.1f}" font-size="12">{escape(value_text)}</text>'
        )
        y += row + gap
    if marker is not None:
        mx = x(marker)
        parts.append(
            f'<line x1="{mx:.1f}" y1="{top - 4}" x2="{mx:.1f}" y2="{height - pad}" stroke="#0b0c0c" '
            f'stroke-dasharray="4 3"/>'
        )
        if marker_label:
            parts.append(f'<text x="{mx + 3:.1f}" y="{top - 6}" font-size="11">{escape(marker_label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
