"""PNG output: rasterise a rendered badge SVG with resvg (via the ``resvg-py`` binding).

Why resvg: it is a maintained, dependency-free Rust renderer with the most complete static SVG
support of the candidates. It draws shields' ``feGaussianBlur`` text shadow and honours
``textLength``, both of which cairosvg mangles (tested side by side), and it needs no system
cairo. Text is shaped with real fonts: system fonts are loaded (DejaVu Sans is installed
system-wide and is in the badge's font stack) plus any font files the caller passes (the
``badgeapp_fonts`` hook).

The module is pure: no Flask, no network. ``<image>`` elements whose ``href`` is not a ``data:``
URI are removed before rendering so a badge can never make resvg read a server file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import resvg_py

from badgeapp.errors import InvalidParameter

#: allowed ``scale`` values (output pixels per SVG unit)
MIN_SCALE = 1
MAX_SCALE = 4
DEFAULT_SCALE = 2
#: The most pixels one PNG may have (a 4096 x 4096 image): a long composite at scale 4 would
#: otherwise cost seconds of CPU and hundreds of MB for one URL.
MAX_PNG_PIXELS = 4096 * 4096
_ROOT_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')

#: the font resvg uses when the SVG's font stack names nothing installed
FALLBACK_FONT = "DejaVu Sans"

# An <image> (self-closing or with a body) whose href / xlink:href does not start with "data:".
_FOREIGN_IMAGE = re.compile(
    r"<image\b(?=[^>]*\b(?:xlink:)?href\s*=\s*([\"'])(?!data:)[^\"']*\1)[^>]*?(?:/>|>.*?</image\s*>)",
    re.IGNORECASE | re.DOTALL,
)


def clamp_scale(scale: object) -> int:
    """Turn any user value into an integer scale in 1..4 (default 2 for junk)."""
    try:
        value = int(str(scale).strip())
    except (TypeError, ValueError):
        return DEFAULT_SCALE
    return max(MIN_SCALE, min(MAX_SCALE, value))


def strip_foreign_images(svg: str) -> str:
    """Remove ``<image>`` elements that reference anything but an inline ``data:`` URI."""
    return _FOREIGN_IMAGE.sub("", svg)


def svg_to_png(svg: str, scale: int = DEFAULT_SCALE, *, font_files: Iterable[str] = ()) -> bytes:
    """Rasterise ``svg`` at ``scale`` x its own size and return PNG bytes.

    ``scale`` is clamped to 1..4. ``font_files`` are extra font files (TTF/OTF) to load besides
    the system fonts. Raises ``ValueError`` when the SVG cannot be rendered, and
    ``InvalidParameter`` when the PNG would have more than ``MAX_PNG_PIXELS`` pixels.
    """
    size = _ROOT_SIZE.match(svg)
    if size:
        zoom = clamp_scale(scale)
        pixels = float(size.group(1)) * float(size.group(2)) * zoom * zoom
        if pixels > MAX_PNG_PIXELS:
            raise InvalidParameter(detail=f"a {pixels:.0f}-pixel PNG is over {MAX_PNG_PIXELS}")
    files = [str(f) for f in font_files]
    png = resvg_py.svg_to_bytes(
        svg_string=strip_foreign_images(svg),
        zoom=float(clamp_scale(scale)),
        font_family=FALLBACK_FONT,
        sans_serif_family=FALLBACK_FONT,
        font_files=files or None,
    )
    return bytes(png)
