"""Text layout for TextLayer: line breaking (dynamic, fixed width, none) and alignment.

Dynamic wrapping fits every line inside the shape beneath the text: for each line, the shape's
horizontal extent over the line's full height, less ``EDGE_PADDING`` on each side, is that line's
width. The block's vertical position depends on its line count, so the layout is repeated until
the count is stable. Without a shape (or where the shape is too narrow) the width is
``wrap.max_width``, else the canvas less its padding. Words longer than a line are split.
All values are canvas pixels (already scaled).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageFont

from badgeapp.layered.schema import EDGE_PADDING, Position, Wrap
from badgeapp.layered.shapes import Geometry

Range = tuple[float, float]


@dataclass(frozen=True)
class Line:
    text: str
    x: float  # left edge
    y: float  # top (ascender line)
    width: float


@dataclass(frozen=True)
class TextLayout:
    lines: tuple[Line, ...]
    line_height: float
    #: the horizontal range each line had to fit in (used by tests and debugging)
    ranges: tuple[Range, ...]


def layout_text(
    text: str,
    font: ImageFont.FreeTypeFont,
    *,
    canvas_side: int,
    scale: float,
    align_x: Position,
    align_y: Position,
    wrap: Wrap,
    shape: Geometry | None,
) -> TextLayout:
    """Break ``text`` into lines and place each one."""
    ascent, descent = font.getmetrics()
    line_height = float(ascent + descent)
    gap = wrap.line_gap * scale
    pad = EDGE_PADDING * scale
    canvas_range: Range = (pad, canvas_side - pad)
    fixed_width = wrap.max_width * scale if wrap.max_width is not None else None

    def block_top(count: int) -> float:
        height = count * line_height + max(count - 1, 0) * gap
        if align_y == "top":
            return pad
        if align_y == "bottom":
            return canvas_side - pad - height
        if align_y == "center":
            return (canvas_side - height) / 2
        return float(align_y) * scale

    def fallback_range() -> Range:
        if fixed_width is None:
            return canvas_range
        if align_x == "left":
            return (pad, pad + fixed_width)
        if align_x == "right":
            return (canvas_side - pad - fixed_width, canvas_side - pad)
        if align_x == "center":
            return ((canvas_side - fixed_width) / 2, (canvas_side + fixed_width) / 2)
        left = float(align_x) * scale
        return (left, left + fixed_width)

    def range_for(top: float) -> Callable[[int], Range]:
        def line_range(index: int) -> Range:
            if wrap.dynamic and shape is not None:
                y = top + index * (line_height + gap)
                span = shape.span_between(y, y + line_height)
                if span is not None and span[1] - span[0] - 2 * pad >= line_height:
                    return (span[0] + pad, span[1] - pad)
            return fallback_range()

        return line_range

    if not wrap.dynamic and fixed_width is None:  # no wrapping: explicit newlines only
        lines = text.split("\n")
        top = block_top(len(lines))
        ranges = [fallback_range()] * len(lines)
    else:
        # a fixed point: the lines broken for a block of ``count`` lines are ``count`` lines.
        # Without one (the count oscillates), the closest attempt is kept, placed at the top it
        # was broken for, so every line still fits the range it was measured against.
        attempts: dict[int, tuple[float, list[str], list[Range]]] = {}
        count = 1
        while count not in attempts and len(attempts) < 8:
            top = block_top(count)
            broken, broken_ranges = _break_lines(text, font, range_for(top))
            attempts[count] = (top, broken, broken_ranges)
            if len(broken) == count:
                break
            count = len(broken)
        best = min(attempts, key=lambda c: (abs(len(attempts[c][1]) - c), -c))
        top, lines, ranges = attempts[best]

    placed = []
    for index, (line, (left, right)) in enumerate(zip(lines, ranges, strict=True)):
        width = font.getlength(line)
        if align_x == "left":
            x = left
        elif align_x == "right":
            x = right - width
        elif align_x == "center":
            x = (left + right - width) / 2
        else:
            x = float(align_x) * scale
        placed.append(Line(line, x, top + index * (line_height + gap), width))
    return TextLayout(tuple(placed), line_height, tuple(ranges))


def _break_lines(
    text: str, font: ImageFont.FreeTypeFont, line_range: Callable[[int], Range]
) -> tuple[list[str], list[Range]]:
    """Greedy line breaking where line ``i`` may be ``line_range(i)`` wide."""
    lines: list[str] = []
    ranges: list[Range] = []

    def width_of(index: int) -> float:
        left, right = line_range(index)
        return right - left

    for paragraph in text.split("\n"):
        words = paragraph.split()
        current = ""
        if not words:
            ranges.append(line_range(len(lines)))
            lines.append("")
            continue
        for word in words:
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= width_of(len(lines)):
                current = candidate
                continue
            if current:
                ranges.append(line_range(len(lines)))
                lines.append(current)
                current = ""
            # the word alone: a narrow line (near a hexagon's tip) is left empty when one of
            # the next lines is wide enough; otherwise the word is split
            word_width = font.getlength(word)
            skips = 0
            while (
                word_width > width_of(len(lines))
                and skips < 2
                and any(word_width <= width_of(len(lines) + k) for k in (1, 2))
            ):
                ranges.append(line_range(len(lines)))
                lines.append("")
                skips += 1
            while font.getlength(word) > width_of(len(lines)) and len(word) > 1:
                cut = _longest_prefix(word, font, width_of(len(lines)))
                ranges.append(line_range(len(lines)))
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        ranges.append(line_range(len(lines)))
        lines.append(current)
    return lines, ranges


def _longest_prefix(word: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """Length of the longest prefix of ``word`` no wider than ``width`` (at least 1)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low
