"""The trophy grid: one 110x110 panel per trophy, ``columns`` x ``rows`` (pure SVG text).

Each panel shows a cup in its tier's colour (grey and a question mark when not earned yet), the
tier, the trophy's title, its value and a bar of the way to the next tier. Panels are laid out
left to right, top to bottom, ``margin`` pixels apart.
"""

from __future__ import annotations

import dataclasses

from badgeapp.render.markup import escape

from .palette import CardPalette
from .rank import short_number

PANEL = 110
TIER_COLORS = {
    "Bronze": "#cd7f32",
    "Silver": "#a8b2bd",
    "Gold": "#e3b400",
    "Diamond": "#4fc3f7",
    "Legendary": "#e040fb",
    "Secret": "#ff5252",
}
UNEARNED = "#9ea7b3"


@dataclasses.dataclass(frozen=True)
class TrophyPanel:
    title: str
    tier: str | None
    caption: str  # "12.5k stars"
    progress: float  # 0..1 towards the next tier


def _cup(color: str, unknown: bool) -> str:
    mark = (
        '<text x="0" y="-4" text-anchor="middle" font-size="14" font-weight="700" '
        'fill="#fff">?</text>'
        if unknown
        else '<path d="M0,-14 l2.6,5.3 5.8,.8 -4.2,4.1 1,5.8 -5.2,-2.7 -5.2,2.7 1,-5.8 '
        '-4.2,-4.1 5.8,-.8z" fill="#fff" fill-opacity="0.9"/>'
    )
    return (
        f'<path d="M-16,-20 H16 V-8 A16,15 0 0 1 -16,-8 Z" fill="{color}"/>'
        f'<path d="M-16,-16 h-6 a6,7 0 0 0 6,11 M16,-16 h6 a6,7 0 0 1 -6,11" fill="none" '
        f'stroke="{color}" stroke-width="3"/>'
        f'<rect x="-3" y="6" width="6" height="7" fill="{color}"/>'
        f'<rect x="-12" y="13" width="24" height="5" rx="1.5" fill="{color}"/>{mark}'
    )


def _panel(p: TrophyPanel, x: float, y: float, palette: CardPalette) -> str:
    color = TIER_COLORS.get(p.tier or "", UNEARNED)
    tier = p.tier or "Not yet"
    fill = round(86 * max(0.0, min(1.0, p.progress)), 1)
    return (
        f'<g transform="translate({x},{y})">'
        f'<rect x="0.5" y="0.5" width="{PANEL - 1}" height="{PANEL - 1}" rx="6" '
        f'fill="{palette.panel}" stroke="{palette.border}"/>'
        f'<g transform="translate(55,34)">{_cup(color, p.tier is None)}</g>'
        f'<text x="55" y="66" text-anchor="middle" font-size="10" font-weight="700" '
        f'fill="{color}">{escape(tier.upper())}</text>'
        f'<text x="55" y="81" text-anchor="middle" font-size="12" font-weight="600" '
        f'fill="{palette.text}">{escape(p.title)}</text>'
        f'<text x="55" y="94" text-anchor="middle" font-size="9.5" '
        f'fill="{palette.muted}">{escape(p.caption)}</text>'
        f'<rect x="12" y="100" width="86" height="3" rx="1.5" fill="{palette.muted}" '
        'fill-opacity="0.3"/>'
        f'<rect x="12" y="100" width="{fill}" height="3" rx="1.5" fill="{color}"/></g>'
    )


def caption(value: int, unit: str) -> str:
    """``12.5k stars``."""
    return f"{short_number(value)} {unit}"


def draw_trophy_grid(
    panels: list[TrophyPanel], columns: int, rows: int, margin: int, palette: CardPalette
) -> str:
    """The grid SVG; panels beyond ``columns * rows`` are left out."""
    shown = panels[: columns * rows]
    used_rows = max(1, -(-len(shown) // columns))
    used_cols = max(1, min(columns, len(shown)))
    width = used_cols * PANEL + (used_cols + 1) * margin
    height = used_rows * PANEL + (used_rows + 1) * margin
    body = "".join(
        _panel(
            p,
            margin + (i % columns) * (PANEL + margin),
            margin + (i // columns) * (PANEL + margin),
            palette,
        )
        for i, p in enumerate(shown)
    )
    titles = ", ".join(f"{p.title}: {p.tier or 'not yet'}" for p in shown)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="trophies: {escape(titles)}">'
        f"<title>trophies: {escape(titles)}</title>"
        f'<rect width="{width}" height="{height}" rx="8" fill="{palette.background}"/>'
        f'<g font-family="{escape(palette.font_family)}">{body}</g></svg>'
    )
