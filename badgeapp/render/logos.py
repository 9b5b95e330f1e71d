"""Logos: a simple-icons slug, a named (plugin or generic) icon or a ``data:`` URI -> a safe URI.

Brand logos come from the PyPI distribution ``simple-icons-pack`` (a maintained, CC0
redistribution of the simple-icons npm package, compiled and dependency-free). Named icons from
the icons hook (``icons=``) are looked up first, then brands, then the generic icons. Data URIs
must be SVG or PNG and at most 8 KiB; SVG is sanitised. The engine never fetches a URL.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import urllib.parse
from collections.abc import Mapping

import simple_icons_pack

from badgeapp.render.colors import brightness, to_svg_color
from badgeapp.render.generic_icons import GENERIC_ICONS
from badgeapp.render.svg_sanitize import sanitize_svg

MAX_DATA_URI = 8 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: shields' slug aliases (lib/logos.js)
SLUG_ALIASES = {"travis": "travisci", "gitlab-ci": "gitlab", "python-package": "python"}
#: brand colours at or below this brightness are drawn whitesmoke on a non-social badge
LIGHT_THRESHOLD = 0.4
#: ... and at or above this one #333 on a social badge
DARK_THRESHOLD = 0.6
_DATA_URI = re.compile(r"data:([^,;]*)((?:;[^,;]*)*),(.*)", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")
_EMPTY: Mapping[str, str] = {}


def svg_data_uri(svg: str) -> str:
    """Base64 ``data:image/svg+xml`` URI of an SVG document."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@functools.lru_cache(maxsize=1024)
def resolve_data_uri(value: str) -> str | None:
    """Validate a user data URI: SVG (sanitised) or PNG (signature checked), 8 KiB at most."""
    if len(value) > MAX_DATA_URI:
        return None
    match = _DATA_URI.fullmatch(value.strip())
    if not match:
        return None
    mime = match.group(1).lower().replace(" ", "+")
    params = [p.lower() for p in match.group(2).split(";") if p]
    payload = match.group(3)
    try:
        if "base64" in params:
            # a '+' decoded from a query string arrives as a space (shields does the same)
            raw = base64.b64decode(_WHITESPACE.sub("", payload.replace(" ", "+")), validate=True)
        else:
            raw = urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    if mime == "image/png":
        if not raw.startswith(PNG_SIGNATURE):
            return None
        return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
    if mime == "image/svg+xml":
        svg = sanitize_svg(raw)
        return svg_data_uri(svg) if svg else None
    return None


def _default_color(hex_color: str, style: str) -> str:
    """shields' simple-icons colouring: brand colour, lightened/darkened when unreadable."""
    color = "#" + hex_color.lower()
    if style != "social" and brightness(color) <= LIGHT_THRESHOLD:
        return "whitesmoke"
    if style == "social" and brightness(color) >= DARK_THRESHOLD:
        return "#333"
    return color


@functools.lru_cache(maxsize=2048)
def _brand(slug: str, logo_color: str | None, style: str) -> str | None:
    if not slug.isascii():  # slugs are ASCII; the Rust lookup refuses lone surrogates
        return None
    try:
        icon = simple_icons_pack.get_icon(slug)
    except (UnicodeError, ValueError):
        return None
    if icon is None:
        return None
    color = to_svg_color(logo_color) if logo_color else None
    fill = color or _default_color(icon.hex, style)
    return svg_data_uri(icon.svg.replace("<svg", f'<svg fill="{fill}"', 1))


@functools.lru_cache(maxsize=2048)
def _named(svg: str, logo_color: str | None, style: str) -> str | None:
    color = to_svg_color(logo_color) if logo_color else None
    fill = color or ("#333" if style == "social" else "whitesmoke")
    clean = sanitize_svg(svg, fill=fill)
    return svg_data_uri(clean) if clean else None


def slugify(name: str) -> str:
    """shields' slug rule: lower-case, spaces to dashes, aliases applied."""
    slug = name.strip().lower().replace(" ", "-")
    return SLUG_ALIASES.get(slug, slug)


def resolve_logo(
    logo: str,
    logo_color: str | None,
    *,
    icons: Mapping[str, str] = _EMPTY,
    style: str = "flat",
) -> str | None:
    """A safe ``data:`` URI for ``logo`` (slug, icon name or data URI), or None when unknown."""
    if not logo:
        return None
    if logo[:5].lower() == "data:":
        return resolve_data_uri(logo)
    slug = slugify(logo)
    named = icons.get(logo) or icons.get(slug)
    if named:
        return _named(named, logo_color, style)
    if len(slug) <= 64:
        brand = _brand(slug, logo_color, style)
        if brand:
            return brand
    generic = GENERIC_ICONS.get(slug)
    if generic:
        return _named(generic, logo_color, style)
    return None
