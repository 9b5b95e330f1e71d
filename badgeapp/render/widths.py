"""Text widths from anafanafo's Verdana/Helvetica tables, exactly as badge-maker 6.0.0 measures.

Each table (``render/data/*.json``, built by ``scripts/build_width_tables.py``) lists
``[first, last, width]`` code point ranges. Widths are summed per code point (no kerning),
control characters count 0 and code points missing from the table count as the width of "m".
The BMP is expanded into a flat list at first use; astral code points are found by bisection.
Whole strings are memoised because labels repeat.
"""

from __future__ import annotations

import bisect
import functools
import json
import operator
import pathlib

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"

#: font string (as anafanafo spells it) -> table file
FONT_FILES = {
    "11px Verdana": "verdana-11px-normal.json",
    "10px Verdana": "verdana-10px-normal.json",
    "bold 10px Verdana": "verdana-10px-bold.json",
    "bold 11px Helvetica": "helvetica-11px-bold.json",
}

_BMP = 0x10000


class _Table:
    """One font's widths: a flat BMP list plus sorted astral ranges."""

    __slots__ = ("astral_hi", "astral_lo", "astral_w", "bmp", "em")

    def __init__(self, rows: list[list[float]]) -> None:
        missing = -1.0
        bmp = [missing] * _BMP
        astral_lo: list[int] = []
        astral_hi: list[int] = []
        astral_w: list[float] = []
        for lo, hi, width in rows:
            lo, hi, width = int(lo), int(hi), float(width)
            if lo < _BMP:
                top = min(hi, _BMP - 1)
                bmp[lo : top + 1] = [width] * (top - lo + 1)
            if hi >= _BMP:
                astral_lo.append(max(lo, _BMP))
                astral_hi.append(hi)
                astral_w.append(width)
        em = bmp[ord("m")]
        self.em = em
        self.bmp = [em if w == missing else w for w in bmp]
        for control in [*range(32), 127]:
            self.bmp[control] = 0.0
        self.astral_lo = astral_lo
        self.astral_hi = astral_hi
        self.astral_w = astral_w

    def astral(self, code: int) -> float:
        """Width of a code point beyond the BMP (em width when unknown)."""
        i = bisect.bisect_right(self.astral_lo, code) - 1
        if i >= 0 and code <= self.astral_hi[i]:
            return self.astral_w[i]
        return self.em

    def width(self, text: str) -> float:
        """Sum the widths left to right, like anafanafo's reduce (same float rounding)."""
        bmp = self.bmp
        if text.isascii():
            return functools.reduce(operator.add, map(bmp.__getitem__, map(ord, text)), 0.0)
        total = 0.0
        for char in text:
            code = ord(char)
            total += bmp[code] if code < _BMP else self.astral(code)
        return total


@functools.cache
def _table(font: str) -> _Table:
    try:
        name = FONT_FILES[font]
    except KeyError:
        raise ValueError(f"unknown font {font!r}, expected one of {sorted(FONT_FILES)}") from None
    return _Table(json.loads((DATA_DIR / name).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=16384)
def text_width(text: str, font: str = "11px Verdana") -> float:
    """Width in pixels of ``text`` in ``font`` (anafanafo's measure, unrounded)."""
    return _table(font).width(text)


def round_up_to_odd(value: int) -> int:
    """badge-maker's roundUpToOdd: an even width gets one more pixel."""
    return value + 1 if value % 2 == 0 else value


@functools.lru_cache(maxsize=16384)
def preferred_width(text: str, font: str = "11px Verdana") -> int:
    """badge-maker's preferredWidthOf: truncate the measured width, then round up to odd."""
    return round_up_to_odd(int(_table(font).width(text)))
