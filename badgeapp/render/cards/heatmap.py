"""The 52x7 contribution heatmap of a repository (pure SVG text).

One column per week (oldest left), one row per weekday (Sunday at the top, as GitHub's
``days`` array), cells coloured in five levels of the palette's accent: 0 commits, then quarters
of the busiest day. Month names sit above the first week of each month; a legend and the total
sit below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from badgeapp.render.markup import escape

from .palette import CardPalette

CELL, GAP = 11, 3
PITCH = CELL + GAP
LEFT, TOP = 34, 34
WEEKS, DAYS = 52, 7
LEVEL_OPACITY = (0.0, 0.3, 0.5, 0.75, 1.0)
WEEKDAY_LABELS = {1: "Mon", 3: "Wed", 5: "Fri"}
WIDTH = LEFT + WEEKS * PITCH + 12
HEIGHT = TOP + DAYS * PITCH + 30


def level(count: int, busiest: int) -> int:
    """0 for no commits, else 1..4 by quarters of the busiest day."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // busiest)


def _cell(x: int, y: int, lvl: int, count: int, palette: CardPalette, day: str) -> str:
    if lvl == 0:
        fill = f'fill="{palette.muted}" fill-opacity="0.15"'
    else:
        fill = f'fill="{palette.accent}" fill-opacity="{LEVEL_OPACITY[lvl]}"'
    return (
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" {fill}>'
        f"<title>{count} commits on {day}</title></rect>"
    )


def draw_heatmap(
    weeks: Sequence[tuple[int, Sequence[int]]], title: str, palette: CardPalette
) -> str:
    """``weeks``: (week start as epoch seconds, seven day counts), oldest first; the last 52
    are drawn (missing weeks are empty)."""
    rows = list(weeks)[-WEEKS:]
    padding = WEEKS - len(rows)
    busiest = max((max(days, default=0) for _, days in rows), default=0)
    total = sum(sum(days) for _, days in rows)
    parts = [
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="600" fill="{palette.text}">'
        f"{escape(title)}</text>",
        f'<text x="{WIDTH - 12}" y="16" text-anchor="end" font-size="11" '
        f'fill="{palette.muted}">{total} commits in the last year</text>',
    ]
    for row, name in WEEKDAY_LABELS.items():
        parts.append(
            f'<text x="{LEFT - 6}" y="{TOP + row * PITCH + 9}" text-anchor="end" '
            f'font-size="9" fill="{palette.muted}">{name}</text>'
        )
    last_month = None
    for i, (start, days) in enumerate(rows):
        col = padding + i
        x = LEFT + col * PITCH
        when = dt.datetime.fromtimestamp(int(start), dt.UTC)
        if when.month != last_month and i < len(rows) - 2:
            if last_month is not None or when.day <= 7:
                parts.append(
                    f'<text x="{x}" y="{TOP - 6}" font-size="9" '
                    f'fill="{palette.muted}">{when:%b}</text>'
                )
            last_month = when.month
        for d in range(DAYS):
            count = int(days[d]) if d < len(days) else 0
            day = (when + dt.timedelta(days=d)).strftime("%Y-%m-%d")
            parts.append(_cell(x, TOP + d * PITCH, level(count, busiest), count, palette, day))
    legend_y = TOP + DAYS * PITCH + 10
    legend_x = WIDTH - 12 - 5 * PITCH - 60
    parts.append(
        f'<text x="{legend_x - 6}" y="{legend_y + 9}" text-anchor="end" font-size="9" '
        f'fill="{palette.muted}">Less</text>'
    )
    for lvl in range(5):
        parts.append(_cell(legend_x + lvl * PITCH, legend_y, lvl, 0, palette, "legend"))
    parts.append(
        f'<text x="{legend_x + 5 * PITCH + 2}" y="{legend_y + 9}" font-size="9" '
        f'fill="{palette.muted}">More</text>'
    )
    label = f"{title}: {total} commits in the last year"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="8" fill="{palette.background}" '
        f'stroke="{palette.border}"/>'
        f'<g font-family="{escape(palette.font_family)}">{"".join(parts)}</g></svg>'
    )
