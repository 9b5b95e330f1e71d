"""Colour rules of badge-maker 6.0.0: named palette, aliases, hex, CSS colours, brightness.

``normalize_color`` accepts exactly what shields accepts (its own names and aliases, 3/6-digit
hex without ``#``, and whatever css-color-converter 2.0.0 parses), and returns None for anything
else so the renderer falls back to its default. ``to_svg_color`` maps a normalised value to the
colour drawn, through a palette (v6 by default, the classic one for the ``classic`` theme).
``brightness`` and ``text_colors`` decide light or dark text.
"""

from __future__ import annotations

import decimal
import functools
import math
import re
from collections.abc import Mapping

from badgeapp.render.css_colors import CSS_NAMED_COLORS
from badgeapp.render.markup import js_trim

#: badge-maker 6.0.0 named colours (shields PR #11783)
PALETTE: dict[str, str] = {
    "brightgreen": "#4b0",
    "green": "#67ac09",
    "yellow": "#d8b800",
    "yellowgreen": "#95991a",
    "orange": "#ea7233",
    "red": "#dd4343",
    "blue": "#007ec6",
    "grey": "#555",
    "lightgrey": "#939393",
}

#: the palette of badge-maker <= 5.0.2 (used by the ``classic`` theme)
CLASSIC_PALETTE: dict[str, str] = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellow": "#dfb317",
    "yellowgreen": "#a4a61d",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "blue": "#007ec6",
    "grey": "#555",
    "lightgrey": "#9f9f9f",
}

ALIASES: dict[str, str] = {
    "gray": "grey",
    "lightgray": "lightgrey",
    "critical": "red",
    "important": "orange",
    "success": "brightgreen",
    "informational": "blue",
    "inactive": "lightgrey",
}

DEFAULT_LABEL_COLOR = "#555"

# JavaScript's \s (and String.prototype.trim) whitespace set, spelled out: Python's differs.
_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_S = f"[{_WS}]*"

_BARE_HEX = re.compile(r"(?:[0-9a-fA-F]{3}){1,2}")
_HEX = re.compile(r"#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})?")
_SHORT_HEX = re.compile(r"#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])?")
_D = "[0-9]+"
_ALPHA = r"(0|1|0?\.[0-9]+|[0-9]+%)"
_RGB = [
    re.compile(rf"rgba?\({_S}({_D}){_S},{_S}({_D}){_S},{_S}({_D})(?:{_S},{_S}{_ALPHA})?{_S}\)"),
    re.compile(rf"rgba?\({_S}({_D}%){_S},{_S}({_D}%){_S},{_S}({_D}%)(?:{_S},{_S}{_ALPHA})?{_S}\)"),
    re.compile(rf"rgba?\({_S}({_D})[{_WS}]+({_D})[{_WS}]+({_D})(?:{_S}/{_S}{_ALPHA})?{_S}\)"),
    re.compile(rf"rgba?\({_S}({_D}%)[{_WS}]+({_D}%)[{_WS}]+({_D}%)(?:{_S}/{_S}{_ALPHA})?{_S}\)"),
]
_HSL = re.compile(
    rf"hsla?\({_S}({_D})(deg|rad|grad|turn)?{_S},{_S}({_D})%{_S},{_S}({_D})%"
    rf"(?:{_S},{_S}{_ALPHA})?{_S}\)"
)
#: css-unit-converter's factors to degrees
_TO_DEG = {"deg": 1.0, "grad": 0.9, "rad": 180 / math.pi, "turn": 360.0}


def _js_round(x: float) -> float:
    """Math.round: nearest integer, ties towards +infinity."""
    floor = math.floor(x)
    return floor + 1 if x - floor >= 0.5 else floor


def _js_parse_int(x: float) -> int:
    """parseInt(Number(x), 10): JavaScript prints tiny and huge numbers with an exponent."""
    if x == 0 or math.isnan(x):
        return 0
    if abs(x) >= 1e21 or abs(x) < 1e-6:
        mantissa = repr(x).split("e")[0]
        return int(float(mantissa))
    return int(x)


def _channel(x: float) -> int:
    return max(min(_js_parse_int(x), 255), 0)


def _hsl_to_rgb(h: float, s: float, lum: float) -> tuple[float, float, float]:
    hprim = h / 60
    sprim = s / 100
    lprim = lum / 100
    c = (1 - abs(2 * lprim - 1)) * sprim
    x = c * (1 - abs(math.fmod(hprim, 2) - 1))
    m = lprim - c / 2
    if hprim < 1:
        r, g, b = c, x, 0.0
    elif hprim < 2:
        r, g, b = x, c, 0.0
    elif hprim < 3:
        r, g, b = 0.0, c, x
    elif hprim < 4:
        r, g, b = 0.0, x, c
    elif hprim < 5:
        r, g, b = x, 0.0, c
    else:
        r, g, b = c, 0.0, x
    return (r + m) * 255, (g + m) * 255, (b + m) * 255


@functools.lru_cache(maxsize=4096)
def css_rgb(value: str) -> tuple[int, int, int] | None:
    """css-color-converter's fromString, reduced to its RGB channels (None when not a colour)."""
    if value in CSS_NAMED_COLORS:
        return CSS_NAMED_COLORS[value]
    match = _HEX.fullmatch(value) or _SHORT_HEX.fullmatch(value)
    if match:
        r, g, b = (int(part * 2 if len(part) < 2 else part, 16) for part in match.groups()[:3])
        return r, g, b
    for pattern in _RGB:
        match = pattern.fullmatch(value)
        if match:
            channels = [
                int(part[:-1]) * 255 / 100 if part.endswith("%") else int(part)
                for part in match.groups()[:3]
            ]
            return _channel(channels[0]), _channel(channels[1]), _channel(channels[2])
    match = _HSL.fullmatch(value)
    if match:
        h, unit, s, lum = match.groups()[:4]
        hue = _js_round(_TO_DEG[unit or "deg"] * float(h) * 1e5) / 1e5
        r, g, b = _hsl_to_rgb(hue, float(s), float(lum))
        return _channel(r), _channel(g), _channel(b)
    return None


@functools.lru_cache(maxsize=4096)
def normalize_color(value: object) -> str | None:
    """Shields' normalizeColor: a name, alias, bare hex or CSS colour, else None."""
    if value is None:
        return None
    color = str(value)
    if color in PALETTE:
        return color
    if color in ALIASES:
        return ALIASES[color]
    if _BARE_HEX.fullmatch(color):
        return "#" + color.lower()
    if css_rgb(js_trim(color)) is not None:
        return color.lower()
    return None


def to_svg_color(value: object, palette: Mapping[str, str] = PALETTE) -> str | None:
    """Shields' toSvgColor: the normalised colour with names resolved through ``palette``."""
    normalized = normalize_color(value)
    if normalized is None:
        return None
    return palette.get(normalized, normalized)


@functools.lru_cache(maxsize=4096)
def brightness(color: str | None) -> float:
    """Perceived brightness 0..1 (YIQ weights), rounded to 2 decimals like toFixed(2)."""
    if not color:
        return 0.0
    rgb = css_rgb(color)
    if rgb is None:
        return 0.0
    r, g, b = rgb
    exact = decimal.Decimal((r * 299 + g * 587 + b * 114) / 255000)
    return float(exact.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))


@functools.lru_cache(maxsize=4096)
def text_colors(background: str | None) -> tuple[str, str]:
    """(text colour, shadow colour) for a background: light text unless brightness > 0.69."""
    if brightness(background) <= 0.69:
        return "#fff", "#010101"
    return "#333", "#ccc"
