"""
Bar charts as inline SVG, drawn on the server (no JavaScript, no CDN: offices run on closed
networks). Every text is escaped; each chart has a title and a description for screen readers,
and the page shows the same figures in a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""
    colour: str = "#1d70b8"


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
    """A horizontal bar chart; ``marker`` draws a vertical line (e.g. a grade border or a standard)."""
    label_width, gap, pad = 170, 6, 8
    top = 28
    height = top + len(bars) * (bar_height + gap) + pad
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
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" font-size="12" text-anchor="end">'
            f"{escape(bar.label[:28])}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{x(bar.value) - label_width:.1f}" height="{bar_height}" '
            f'fill="{escape(bar.colour)}"><title>{escape(bar.label)}: {escape(bar.text or bar.value)}</title></rect>'
        )
        parts.append(
            f'<text x="{x(bar.value) + 4:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12">'
            f"{escape(bar.text or f'{bar.value:g}')}</text>"
        )
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
