"""Rendered badge bytes, cached in-process by the normalised spec (LRU).

The cache is bounded by entries and by bytes (one body may take at most an eighth). The key is
the frozen ``BadgeSpec`` plus the output options, never the raw query string, so
``?color=green&label=x`` and ``?label=x&color=green`` share one entry. The ETag is derived once,
together with the bytes. Plugin themes, icons and fonts can change while the app runs (hot
reload): callers pass a ``generation`` number that changes with them, which keys them apart.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import json
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from badgeapp.render import render_svg
from badgeapp.render.endpoint import endpoint_json
from badgeapp.render.spec import BadgeSpec

#: how many rendered badges one process keeps
RENDER_CACHE_SIZE = 4096
#: and how many bytes of them, at most
RENDER_CACHE_BYTES = 64 * 1024 * 1024
#: a rendered body larger than this is served but not kept: large answers are the expensive
#: ones (a scale-4 composite takes seconds), so they are kept too, within the byte bound
MAX_CACHED_BODY = RENDER_CACHE_BYTES // 8

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
    if theme is None:
        return render_svg(spec)
    return render_svg(spec, theme=theme)


class _RenderLRU:
    """The render cache: an LRU bounded by entries *and* bytes (``functools.lru_cache`` API).

    Entry count alone does not bound memory: one scale-4 PNG of two 255-character texts is
    ~700 KB, so 4096 of them would hold ~3 GB per process. Bodies above ``MAX_CACHED_BODY`` are
    rendered but not kept; the rest are evicted oldest first past ``RENDER_CACHE_BYTES``.
    ``get_or_make(key, make)`` caches bytes a caller draws itself (a composite) in the same
    bounds.
    """

    def __init__(self, function: Any, maxsize: int, maxbytes: int, max_body: int) -> None:
        self.__wrapped__ = function
        self.__doc__ = function.__doc__
        self.maxsize, self.maxbytes, self.max_body = maxsize, maxbytes, max_body
        self._entries: collections.OrderedDict[Hashable, Rendered] = collections.OrderedDict()
        self._bytes = 0
        self._hits = self._misses = 0
        self._lock = threading.Lock()

    def __call__(self, spec: BadgeSpec, fmt: str = "svg", scale: int = 2, **options: Any):
        key = (spec, fmt, scale, tuple(sorted(options.items())))
        return self.get_or_make(key, lambda: self.__wrapped__(spec, fmt, scale, **options))

    def get_or_make(self, key: Hashable, make: Callable[[], Rendered]) -> Rendered:
        """The cached answer for ``key``, or ``make()``'s, kept within the bounds."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self._hits += 1
                return found
            self._misses += 1
        rendered = make()  # outside the lock
        size = len(rendered.body)
        if size <= self.max_body:
            with self._lock:
                if key not in self._entries:
                    self._entries[key] = rendered
                    self._bytes += size
                while self._entries and (
                    len(self._entries) > self.maxsize or self._bytes > self.maxbytes
                ):
                    _, old = self._entries.popitem(last=False)
                    self._bytes -= len(old.body)
        return rendered

    def cache_info(self) -> functools._CacheInfo:
        """Hits, misses, maxsize and current size, as ``functools.lru_cache`` reports them."""
        with self._lock:
            return functools._CacheInfo(self._hits, self._misses, self.maxsize, len(self._entries))

    def cache_bytes(self) -> int:
        """Bytes of rendered badges held now."""
        with self._lock:
            return self._bytes

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._hits = self._misses = 0


def _render(
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


#: ``render(spec, fmt, scale, **options)``: the cached renderer every family goes through
render = _RenderLRU(_render, RENDER_CACHE_SIZE, RENDER_CACHE_BYTES, MAX_CACHED_BODY)


def clear() -> None:
    """Forget every rendered badge (tests, theme changes)."""
    render.cache_clear()
