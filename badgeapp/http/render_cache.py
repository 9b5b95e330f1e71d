"""Rendered badge bytes, cached in-process by the normalised spec (LRU).

The key is the frozen ``BadgeSpec`` plus the output options, never the raw query string, so
``?color=green&label=x`` and ``?label=x&color=green`` share one entry. The ETag is derived once,
together with the bytes. Plugin themes, icons and fonts can change while the app runs (hot
reload): callers pass a ``generation`` number that changes with them, which keys them apart.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from badgeapp.render.endpoint import endpoint_json
from badgeapp.render.spec import BadgeSpec

#: how many rendered badges one process keeps
RENDER_CACHE_SIZE = 4096

CONTENT_TYPES = {
    "svg": "image/svg+xml;charset=utf-8",
    "png": "image/png",
    "json": "application/json",
}


@dataclasses.dataclass(frozen=True)
class Rendered:
    """One rendered badge: its bytes, MIME type and strong ETag (quoted)."""

    body: bytes
    content_type: str
    etag: str


def strong_etag(body: bytes) -> str:
    """A strong validator derived from the bytes alone."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def make_rendered(body: bytes, fmt: str) -> Rendered:
    """Wrap bytes that were produced elsewhere (e.g. a family's own JSON body)."""
    return Rendered(body, CONTENT_TYPES[fmt], strong_etag(body))


def json_bytes(doc: Mapping[str, Any]) -> bytes:
    """Compact, key-order-preserving JSON as UTF-8."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _render_svg(spec: BadgeSpec, theme: Any) -> str:
    from badgeapp.render import render_svg

    if theme is None:
        return render_svg(spec)
    return render_svg(spec, theme=theme)


@functools.lru_cache(maxsize=RENDER_CACHE_SIZE)
def render(
    spec: BadgeSpec,
    fmt: str = "svg",
    scale: int = 2,
    *,
    is_error: bool = False,
    named_logo: str | None = None,
    font_files: tuple[str, ...] = (),
    theme: Any = None,
    generation: int = 0,
) -> Rendered:
    """Render ``spec`` as ``fmt`` (svg | png | json) and cache the result.

    ``theme`` is passed to the engine (a plugin theme document made hashable by the caller,
    or None for the engine's own themes); ``font_files`` are extra fonts for PNG; ``scale`` only
    matters for PNG; ``is_error`` and ``named_logo`` only for JSON. Raises whatever the engine
    raises: the response path turns that into an error badge.
    """
    del generation  # only part of the cache key
    if fmt == "json":
        doc = endpoint_json(spec, is_error=is_error, named_logo=named_logo)
        return make_rendered(json_bytes(doc), "json")
    svg = _render_svg(spec, theme)
    if fmt == "png":
        from badgeapp.render.raster import svg_to_png

        return make_rendered(svg_to_png(svg, scale, font_files=font_files), "png")
    return make_rendered(svg.encode("utf-8"), "svg")


def clear() -> None:
    """Forget every rendered badge (tests, theme changes)."""
    render.cache_clear()
