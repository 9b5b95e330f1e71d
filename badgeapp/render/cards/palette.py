"""Colours of a card (trophy grid, heatmap) taken from one of the engine's badge themes.

Themes whose label colour is shields' grey (``flat``, ``classic``, ``auto``...) give a light
GitHub-like card; the others (``neon``, ``cyberpunk``, ``hacker-green``...) lend their label
colour to the background and their message colour to the accent. Text is light or dark by the
background's brightness unless the theme fixes it.
"""

from __future__ import annotations

import dataclasses

from badgeapp.render.themes import Theme

SHIELDS_GREY = ("#555", "#555555")


@dataclasses.dataclass(frozen=True)
class CardPalette:
    background: str
    panel: str
    border: str
    text: str
    muted: str
    accent: str
    font_family: str = "Segoe UI, Ubuntu, Helvetica, Arial, sans-serif"


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    if len(h) in (3, 4):
        h = "".join(c * 2 for c in h[:3])
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def brightness(color: str) -> float:
    """YIQ brightness, 0 (black) to 255 (white)."""
    r, g, b = _rgb(color)
    return (r * 299 + g * 587 + b * 114) / 1000


def is_dark(color: str) -> bool:
    """True for a background that wants light text (YIQ brightness below 128)."""
    return brightness(color) < 128


def card_palette(theme: Theme | None) -> CardPalette:
    """The card colours for ``theme`` (None: the light default)."""
    if theme is None or theme.label_color.lower() in SHIELDS_GREY:
        accent = theme.color if theme is not None and theme.color else "#2ea043"
        return CardPalette("#ffffff", "#f6f8fa", "#d0d7de", "#1f2328", "#656d76", accent)
    bg = theme.label_color[:7] if len(theme.label_color) > 5 else theme.label_color
    if theme.background_opacity == 0:
        bg = "#ffffff"
    dark = is_dark(bg)
    text = theme.text_color or ("#f0f6fc" if dark else "#1f2328")
    muted = "#9ea7b3" if dark else "#656d76"
    accent = theme.color or ("#3fb950" if dark else "#2ea043")
    if abs(brightness(accent) - brightness(bg)) < 60:  # e.g. hacker-green's #003b00 on black
        accent = theme.text_color or ("#3fb950" if dark else "#2ea043")
    border = theme.border[0] if theme.border else ("#30363d" if dark else "#d0d7de")
    panel = "#ffffff14" if dark else "#0000000a"
    font = theme.font_family or CardPalette.font_family
    return CardPalette(bg, panel, border, text, muted, accent, font)
