"""Rank card themes are data: validated documents (built-in ones here, more from the
``badgeapp_rank_themes`` hook).

Schema (every colour a hex string; ``name`` required, the rest default to the ``default``
theme's values)::

    name        str  [a-z0-9-], at most 32 characters
    background  hex  card background
    border      hex  card border ("none" is not a colour: use the background)
    title       hex  username and tier line
    text        hex  statistics values
    muted       hex  statistics labels, Elo and percentile
    track       hex  the LP bar's empty part
    accent      hex  LP bar fill; omitted: the tier's colour
    font_family str  letters, digits, spaces, commas, dashes

``load_card_theme(doc)`` returns a frozen ``CardTheme`` or raises ValueError naming the field:
a theme changes colours, never markup.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_FONT = re.compile(r"[A-Za-z0-9 ,\-]{1,100}")
COLOR_KEYS = ("background", "border", "title", "text", "muted", "track", "accent")


@dataclasses.dataclass(frozen=True)
class CardTheme:
    """A validated rank card theme."""

    name: str
    background: str = "#fffefe"
    border: str = "#e4e2e2"
    title: str = "#2f80ed"
    text: str = "#434d58"
    muted: str = "#6a737d"
    track: str = "#e1e4e8"
    accent: str | None = None
    font_family: str = "Segoe UI, Ubuntu, Helvetica, Arial, sans-serif"


#: the four themes the rank spec names (``default`` first: the fallback)
BUILTIN_RANK_THEMES: tuple[dict[str, Any], ...] = (
    {"name": "default"},
    {
        "name": "dark",
        "background": "#151515",
        "border": "#30363d",
        "title": "#ffffff",
        "text": "#e6edf3",
        "muted": "#9ea7b3",
        "track": "#30363d",
    },
    {
        "name": "light",
        "background": "#ffffff",
        "border": "#d0d7de",
        "title": "#1f2328",
        "text": "#1f2328",
        "muted": "#656d76",
        "track": "#eaeef2",
    },
    {
        "name": "minimal",
        "background": "#ffffff",
        "border": "#ffffff",
        "title": "#24292f",
        "text": "#24292f",
        "muted": "#8c959f",
        "track": "#f0f0f0",
        "accent": "#24292f",
    },
)


def load_card_theme(doc: Mapping[str, Any]) -> CardTheme:
    """Validate one theme document (see the module docstring)."""
    if not isinstance(doc, Mapping):
        raise ValueError("a rank theme must be an object")
    unknown = set(doc) - {"name", "font_family", *COLOR_KEYS}
    if unknown:
        raise ValueError(f"unknown rank theme keys: {sorted(unknown)}")
    name = doc.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("name: expected [a-z0-9-], at most 32 characters")
    values: dict[str, Any] = {"name": name}
    for key in COLOR_KEYS:
        value = doc.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise ValueError(f"{key}: expected a hex colour like #1a2b3c, got {value!r}")
        values[key] = value.lower()
    font = doc.get("font_family")
    if font is not None:
        if not isinstance(font, str) or not _FONT.fullmatch(font):
            raise ValueError("font_family: letters, digits, spaces, commas and dashes only")
        values["font_family"] = font
    return CardTheme(**values)
