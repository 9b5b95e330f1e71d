"""Colour parsing for layered badges: hex codes and CSS colour names into RGBA tuples.

Accepted: ``#RGB``, ``#RGBA``, ``#RRGGBB``, ``#RRGGBBAA``, the CSS colour names Pillow knows
(``white``, ``rebeccapurple``...) and ``transparent``. Anything else raises ``ValueError``;
notations such as ``rgb(...)`` and ``hsl(...)`` are refused so the grammar stays closed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PIL import ImageColor

RGBA = tuple[int, int, int, int]

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_NAME = re.compile(r"[a-zA-Z]{1,32}")


@lru_cache(maxsize=512)
def parse_color(value: str) -> RGBA:
    """Return the colour as ``(r, g, b, a)``; raise ``ValueError`` for anything unknown."""
    text = value.strip()
    if text.lower() == "transparent":
        return (0, 0, 0, 0)
    if not (_HEX.fullmatch(text) or _NAME.fullmatch(text)):
        raise ValueError(f"not a colour: {value!r} (use #RRGGBB or a CSS colour name)")
    try:
        rgba = ImageColor.getcolor(text, "RGBA")
    except ValueError:
        raise ValueError(f"unknown colour name: {value!r}") from None
    assert isinstance(rgba, tuple)
    return (rgba[0], rgba[1], rgba[2], rgba[3])
