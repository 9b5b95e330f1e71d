"""PNG output: rasterise a rendered badge SVG with resvg (via the ``resvg-py`` binding).

Why resvg: it is a maintained, dependency-free Rust renderer with the most complete static SVG
support of the candidates. It draws shields' ``feGaussianBlur`` text shadow and honours
``textLength``, both of which cairosvg mangles (tested side by side), and it needs no system
cairo. Text is shaped with real fonts: system fonts are loaded (DejaVu Sans is installed
system-wide and is in the badge's font stack) plus any font files the caller passes (the
``badgeapp_fonts`` hook).

The module is pure: no Flask, no network. ``<image>`` elements whose ``href`` is not a ``data:``
URI are removed before rendering so a badge can never make resvg read a server file.

Large rasters do not starve small ones. resvg holds the GIL while it draws, so a multi-second
raster in a request thread would freeze every other thread of the worker. A PNG of more than
``HEAVY_PIXELS`` pixels is drawn in a small helper process pool instead (the request thread
waits without the GIL), and at most ``max_heavy`` such rasters run or wait at once per process;
one that cannot start within ``wait`` seconds raises ``Busy`` (an error badge). Small badges
are drawn in the request thread as before.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import multiprocessing
import re
import threading
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool

import resvg_py

from badgeapp.config import DEFAULTS
from badgeapp.errors import BadgeError, Busy, InvalidParameter

#: allowed ``scale`` values (output pixels per SVG unit)
MIN_SCALE = 1
MAX_SCALE = 4
DEFAULT_SCALE = 2
#: The most pixels one PNG may have (a 4096 x 4096 image): a long composite at scale 4 would
#: otherwise cost seconds of CPU and hundreds of MB for one URL.
MAX_PNG_PIXELS = 4096 * 4096
#: rasters larger than this (in output pixels) go to the helper processes: about 0.3 s of resvg
HEAVY_PIXELS = 400_000
#: defaults of the heavy lane (config keys RASTER_MAX_HEAVY and RASTER_WAIT_SECONDS)
DEFAULT_MAX_HEAVY: int = DEFAULTS["RASTER_MAX_HEAVY"].default
DEFAULT_WAIT: float = DEFAULTS["RASTER_WAIT_SECONDS"].default
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


def png_pixels(svg: str, scale: int) -> float:
    """Pixels of the PNG ``svg`` makes at ``scale`` (0 when its root has no size)."""
    size = _ROOT_SIZE.match(svg)
    if not size:
        return 0.0
    zoom = clamp_scale(scale)
    return float(size.group(1)) * float(size.group(2)) * zoom * zoom


def _rasterise(svg: str, zoom: float, font_files: list[str]) -> bytes:
    """resvg itself (run in the request thread or in a helper process)."""
    png = resvg_py.svg_to_bytes(
        svg_string=svg,
        zoom=zoom,
        font_family=FALLBACK_FONT,
        sans_serif_family=FALLBACK_FONT,
        font_files=font_files or None,
    )
    return bytes(png)


class _HeavyLane:
    """The helper processes and the per-process cap on large rasters running or waiting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[int, threading.BoundedSemaphore] = {}
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._pool_size = 0

    def _semaphore(self, slots: int) -> threading.BoundedSemaphore:
        with self._lock:
            if slots not in self._slots:
                self._slots[slots] = threading.BoundedSemaphore(slots)
            return self._slots[slots]

    def _executor(self, slots: int) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None or self._pool_size < slots:
                if self._pool is not None:
                    self._pool.shutdown(wait=False)
                # forkserver: children start from a clean interpreter, not a copy of a
                # threaded server process
                context = multiprocessing.get_context("forkserver")
                self._pool = concurrent.futures.ProcessPoolExecutor(slots, mp_context=context)
                self._pool_size = slots
            return self._pool

    def _forget(self, pool: concurrent.futures.ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None

    def run(self, svg: str, zoom: float, font_files: list[str], slots: int, wait: float) -> bytes:
        """Draw in a helper process once a slot is free; ``Busy`` after ``wait`` seconds."""
        semaphore = self._semaphore(max(1, slots))
        if not semaphore.acquire(timeout=wait):
            raise Busy(detail=f"{slots} large image(s) are being drawn; retry shortly")
        try:
            pool = self._executor(max(1, slots))
            try:
                return pool.submit(_rasterise, svg, zoom, font_files).result()
            except BrokenProcessPool:  # the helper died (killed for memory, say)
                self._forget(pool)
                raise BadgeError("internal error", detail="the raster helper stopped") from None
        finally:
            semaphore.release()

    def shutdown(self) -> None:
        """Stop the helper processes (tests, interpreter exit)."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            self._pool = None


HEAVY_LANE = _HeavyLane()
atexit.register(HEAVY_LANE.shutdown)
#: the process's heavy-lane settings (``configure``; the lane is per process, like its cap)
_LANE = {"max_heavy": DEFAULT_MAX_HEAVY, "wait": DEFAULT_WAIT}


def configure(*, max_heavy: int, wait: float) -> None:
    """Set this process's cap on large rasters and how long one waits for a slot."""
    _LANE.update(max_heavy=max_heavy, wait=wait)


def svg_to_png(
    svg: str,
    scale: int = DEFAULT_SCALE,
    *,
    font_files: Iterable[str] = (),
    max_pixels: int = MAX_PNG_PIXELS,
    max_heavy: int | None = None,
    wait: float | None = None,
) -> bytes:
    """Rasterise ``svg`` at ``scale`` x its own size and return PNG bytes.

    ``scale`` is clamped to 1..4. ``font_files`` are extra font files (TTF/OTF) to load besides
    the system fonts. Raises ``ValueError`` when the SVG cannot be rendered,
    ``InvalidParameter`` when the PNG would have more than ``max_pixels`` pixels, and ``Busy``
    when a large PNG finds ``max_heavy`` others running or waiting for ``wait`` seconds
    (by default the values given to ``configure``).
    """
    pixels = png_pixels(svg, scale)
    if pixels > max_pixels:
        raise InvalidParameter(detail=f"a {pixels:.0f}-pixel PNG is over {max_pixels}")
    files = [str(f) for f in font_files]
    zoom = float(clamp_scale(scale))
    clean = strip_foreign_images(svg)
    if pixels > HEAVY_PIXELS:
        slots = _LANE["max_heavy"] if max_heavy is None else max_heavy
        patience = _LANE["wait"] if wait is None else wait
        return HEAVY_LANE.run(clean, zoom, files, int(slots), float(patience))
    return _rasterise(clean, zoom, files)
