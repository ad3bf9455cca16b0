"""Server-side SVG charts: plain numbers in, escaped SVG markup out (pure, no framework).

Strict CSP allows neither script nor ``style=`` attributes, so every colour comes from a CSS
class in forum.css and text is drawn in ``currentColor``: the charts follow the page's light
or dark theme. Each chart is one ``role="img"`` named by its ``<title>`` and ``<desc>``;
the page puts a table with the same numbers beside it for anyone who can't see the bars.
Every label is escaped here (rule names are moderators' text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH = 720
FONT = 12
# Characters XML 1.0 forbids: dropped so a stray control character can't break the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Series:
    """One stacked layer of a chart: its legend label, CSS class and one value per bar."""

    label: str
    css_class: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal chart: segments in the order of the chart's series."""

    label: str
    segments: tuple[int, ...]
    note: str = ""


def _text(value: object) -> str:
    return str(escape(_NOT_XML.sub("", str(value))))


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _n(x: float) -> str:
    """A coordinate with at most one decimal, so the markup stays small."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_ticks(largest: int, count: int = 4) -> list[int]:
    """Round ticks from 0 to at least ``largest`` in about ``count`` steps of 1, 2 or 5 x 10^k."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return list(range(0, step * math.ceil(largest / step) + 1, step))


def day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    cid = _text(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-size="{FONT}">',
        f'<title id="{cid}-title">{_text(title)}</title>',
        f'<desc id="{cid}-desc">{_text(desc)}</desc>',
    ]


def _legend(series: Sequence[tuple[str, str]], x: float, y: float) -> list[str]:
    parts = []
    for label, css_class in series:
        parts.append(
            f'<rect class="{_text(css_class)} chart-key" x="{_n(x)}" y="{_n(y - 10)}" '
            'width="12" height="12"/>'
        )
        parts.append(f'<text x="{_n(x + 16)}" y="{_n(y)}">{_text(label)}</text>')
        x += 16 + 7.5 * len(label) + 20
    return parts


def _empty_note(x: float, y: float, message: str) -> str:
    return (
        f'<text class="chart-muted" x="{_n(x)}" y="{_n(y)}" text-anchor="middle">'
        f"{_text(message)}</text>"
    )


def day_bars(
    chart_id: str,
    title: str,
    desc: str,
    days: Sequence[date],
    series: Sequence[Series],
    *,
    empty: str = "Nothing in this period",
    height: int = 170,
) -> Markup:
    """Stacked vertical bars, one per day, with a few y ticks and date labels below."""
    left, right, top, bottom = 40, 8, 28, 26
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(days))]
    ticks = nice_ticks(max(totals, default=0))
    scale = plot_h / ticks[-1]
    base = top + plot_h
    parts = _open(chart_id, title, desc, height)
    parts += _legend([(s.label, s.css_class) for s in series], left, 14)
    for tick in ticks:
        y = base - tick * scale
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{WIDTH - right}" y1="{_n(y)}" y2="{_n(y)}"/>'
        )
        parts.append(
            f'<text class="chart-muted" x="{left - 6}" y="{_n(y + 4)}" text-anchor="end">'
            f"{tick}</text>"
        )
    slot = plot_w / max(len(days), 1)
    bar_w = max(1.0, slot * 0.7)
    label_every = max(1, math.ceil(len(days) / 7))
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        for s in series:
            value = s.values[i]
            if value:
                h = value * scale
                y -= h
                parts.append(
                    f'<rect class="{_text(s.css_class)}" x="{_n(x)}" y="{_n(y)}" '
                    f'width="{_n(bar_w)}" height="{_n(h)}">'
                    f"<title>{_text(day_label(day))}: {value} {_text(s.label.lower())}</title>"
                    "</rect>"
                )
        # Label the last day (today) and every few days before it.
        if (len(days) - 1 - i) % label_every == 0:
            # The last label ends at its bar, so it isn't cut off at the chart's edge.
            last = i == len(days) - 1
            anchor, at = ("end", x + bar_w) if last else ("middle", x + bar_w / 2)
            parts.append(
                f'<text class="chart-muted" x="{_n(at)}" y="{height - 8}" '
                f'text-anchor="{anchor}">{_text(day_label(day))}</text>'
            )
    parts.append(
        f'<line class="chart-axis" x1="{left}" x2="{WIDTH - right}" y1="{base}" y2="{base}"/>'
    )
    if not any(totals):
        parts.append(_empty_note(left + plot_w / 2, top + plot_h / 2, empty))
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    series: Sequence[tuple[str, str]],
    *,
    empty: str = "Nothing in this period",
) -> Markup:
    """Horizontal stacked bars, one row per item: label on the left, note on the right.

    ``series`` names each segment position: (legend label, CSS class).
    """
    label_w, note_w, row_h, top, bottom = 150, 210, 26, 30, 24
    bar_x = label_w + 10
    bar_max = WIDTH - bar_x - note_w
    height = top + max(len(bars), 1) * row_h + bottom
    ticks = nice_ticks(max((sum(b.segments) for b in bars), default=0))
    scale = bar_max / ticks[-1]
    base = top + max(len(bars), 1) * row_h
    parts = _open(chart_id, title, desc, height)
    parts += _legend(series, bar_x, 14)
    for tick in ticks:
        x = bar_x + tick * scale
        parts.append(f'<line class="chart-grid" x1="{_n(x)}" x2="{_n(x)}" y1="{top}" y2="{base}"/>')
        parts.append(
            f'<text class="chart-muted" x="{_n(x)}" y="{base + 16}" text-anchor="middle">'
            f"{tick}</text>"
        )
    for row, bar in enumerate(bars):
        y = top + row * row_h + 5
        mid = y + (row_h - 10) / 2 + 4
        parts.append(
            f'<text x="{label_w}" y="{_n(mid)}" text-anchor="end">'
            f"<title>{_text(bar.label)}</title>{_text(_shorten(bar.label, 22))}</text>"
        )
        x = float(bar_x)
        for (label, css_class), value in zip(series, bar.segments, strict=True):
            if value:
                w = value * scale
                parts.append(
                    f'<rect class="{_text(css_class)}" x="{_n(x)}" y="{_n(y)}" '
                    f'width="{_n(w)}" height="{row_h - 10}">'
                    f"<title>{_text(bar.label)}: {value} {_text(label.lower())}</title></rect>"
                )
                x += w
        if bar.note:
            parts.append(
                f'<text class="chart-muted" x="{bar_x + bar_max + 10}" y="{_n(mid)}">'
                f"{_text(_shorten(bar.note, 34))}</text>"
            )
    parts.append(f'<line class="chart-axis" x1="{bar_x}" x2="{bar_x}" y1="{top}" y2="{base}"/>')
    if not bars:
        parts.append(_empty_note(bar_x + bar_max / 2, top + row_h / 2 + 4, empty))
    parts.append("</svg>")
    return Markup("".join(parts))
