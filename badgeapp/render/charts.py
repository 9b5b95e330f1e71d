"""Small SVG charts for the dashboard: vertical bars over time and horizontal bars by name.

Pure functions (no Flask, no I/O) returning inline SVG markup: text is escaped, numbers are
formatted with at most two decimals, colours come from the caller's closed set. Each chart has
``role="img"``, a ``<title>`` and an ``aria-label`` summarising it, so a screen reader reads the
figures, and the data is also given as a table by the page.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

#: the dashboard's chart colours (contrast at least 3:1 on white)
COLORS = ("#1f6feb", "#cf222e", "#1a7f37", "#8250df", "#9a6700")
FONT = "font-family='system-ui,-apple-system,Segoe UI,sans-serif' font-size='11'"


def _f(value: float) -> str:
    """A number for SVG or text: at most two decimals, no trailing zeros."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


#: characters XML 1.0 does not allow (C0 controls but tab/newline, surrogates, U+FFFE/U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: object) -> str:
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^n at or above ``value`` (the y-axis top)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    title: str,
    width: int = 480,
    height: int = 160,
    color: str = COLORS[0],
) -> str:
    """Vertical bars (one per step, oldest first) with a y-axis maximum and first/last labels."""
    left, bottom, top = 36, 18, 8
    inner_w, inner_h = width - left - 4, height - bottom - top
    top_value = _nice_max(max(values, default=0))
    n = max(len(values), 1)
    slot = inner_w / n
    bars = []
    for i, value in enumerate(values):
        h = inner_h * value / top_value
        x = left + i * slot + slot * 0.1
        bars.append(
            f"<rect x='{_f(x)}' y='{_f(top + inner_h - h)}' width='{_f(slot * 0.8)}' "
            f"height='{_f(h)}' fill='{color}'><title>{_esc(labels[i] if i < len(labels) else '')}"
            f": {_f(value)}</title></rect>"
        )
    axis = (
        f"<line x1='{left}' y1='{top + inner_h}' x2='{width - 4}' y2='{top + inner_h}' "
        "stroke='#57606a'/>"
        f"<text x='{left - 4}' y='{top + 8}' text-anchor='end' fill='#24292f'>"
        f"{_f(top_value)}</text>"
        f"<text x='{left - 4}' y='{top + inner_h}' text-anchor='end' fill='#24292f'>0</text>"
    )
    ends = ""
    if labels:
        ends = (
            f"<text x='{left}' y='{height - 4}' fill='#24292f'>{_esc(labels[0])}</text>"
            f"<text x='{width - 4}' y='{height - 4}' text-anchor='end' fill='#24292f'>"
            f"{_esc(labels[-1])}</text>"
        )
    summary = f"{title}: total {_f(sum(values))}, highest {_f(max(values, default=0))}"
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{_esc(summary)}' {FONT}>"
        f"<title>{_esc(summary)}</title>{axis}{''.join(bars)}{ends}</svg>"
    )


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 480,
    row: int = 22,
    color: str = COLORS[0],
) -> str:
    """Horizontal bars, one per (name, value), largest first, values written at the bar's end."""
    label_w = 170
    height = max(row * len(items), row) + 4
    top_value = max((v for _, v in items), default=0) or 1
    bar_space = width - label_w - 50
    rows = []
    for i, (name, value) in enumerate(items):
        y = 2 + i * row
        w = max(bar_space * value / top_value, 1)
        shown = name if len(name) <= 28 else name[:27] + "…"
        rows.append(
            f"<text x='{label_w - 6}' y='{y + row * 0.65:.1f}' text-anchor='end' fill='#24292f'>"
            f"<title>{_esc(name)}</title>{_esc(shown)}</text>"
            f"<rect x='{label_w}' y='{y + 3}' width='{_f(w)}' height='{row - 6}' fill='{color}'/>"
            f"<text x='{_f(label_w + w + 4)}' y='{y + row * 0.65:.1f}' fill='#24292f'>"
            f"{_f(value)}</text>"
        )
    if not items:
        rows.append(f"<text x='4' y='{row * 0.65:.1f}' fill='#57606a'>no data yet</text>")
    summary = f"{title}: " + ", ".join(f"{n} {_f(v)}" for n, v in items[:10])
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{_esc(summary)}' {FONT}>"
        f"<title>{_esc(summary)}</title>{''.join(rows)}</svg>"
    )
