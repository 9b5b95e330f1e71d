"""Text layout for TextLayer: line breaking (dynamic, fixed width, none) and alignment.

Dynamic wrapping fits every line inside the shape beneath the text: for each line, the shape's
horizontal extent over the line's full height, less ``EDGE_PADDING`` on each side, is that line's
width. The block's vertical position depends on its line count, so the layout is repeated until
the count is stable. Without a shape (or where the shape is too narrow) the width is
``wrap.max_width``, else the canvas less its padding. Words longer than a line are split.
Lines that would stack higher than twice the canvas are dropped (they could never be seen).
All values are canvas pixels (already scaled).

``fit_text`` holds dynamically wrapped text to the shape it sits in: text that would run out of
the shape (below a circle, say) is shrunk until it fits, and refused (``TextDoesNotFit``) when it
cannot fit even at ``MIN_FIT_SIZE``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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
    # lines that would stack higher than twice the canvas can never be seen: not made at all
    max_lines = int(2 * canvas_side / (line_height + gap)) + 2

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
        lines = text.split("\n")[:max_lines]
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
            broken, broken_ranges = _break_lines(text, font, range_for(top), max_lines)
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


@lru_cache(maxsize=100_000)
def _advance(font: ImageFont.FreeTypeFont, char: str) -> float:
    """Advance width of one character (fonts are cached objects, so this cache is shared)."""
    return font.getlength(char)


def _estimate(font: ImageFont.FreeTypeFont, text: str, limit: float) -> float:
    """Width of ``text`` as the sum of its characters' advances (kerning left out).

    Stops counting once past ``limit``: callers only ask whether the text fits.
    """
    total = 0.0
    for char in text:
        total += _advance(font, char)
        if total > limit:
            break
    return total


def _prefix_fit(font: ImageFont.FreeTypeFont, word: str, width: float) -> int:
    """The most leading characters of ``word`` whose advances fit ``width`` (at least 1)."""
    total = 0.0
    for index, char in enumerate(word):
        total += _advance(font, char)
        if total > width:
            return max(1, index)
    return len(word)


def _break_lines(
    text: str, font: ImageFont.FreeTypeFont, line_range: Callable[[int], Range], max_lines: int
) -> tuple[list[str], list[Range]]:
    """Greedy line breaking where line ``i`` may be ``line_range(i)`` wide.

    Widths are estimated from cached character advances and each finished line is measured
    once, so the work grows linearly with the text. At most ``max_lines`` lines are made.
    """
    lines: list[str] = []
    ranges: list[Range] = []
    space = _advance(font, " ")

    def width_of(index: int) -> float:
        left, right = line_range(index)
        return right - left

    def emit(line: str) -> bool:
        ranges.append(line_range(len(lines)))
        lines.append(line)
        return len(lines) >= max_lines

    for paragraph in text.split("\n"):
        pending = deque(paragraph.split())
        if not pending and emit(""):
            return lines, ranges
        skips = 0
        while pending:
            room = width_of(len(lines))
            taken: list[str] = []
            estimate = 0.0
            while pending:
                gap = space if taken else 0.0
                extra = _estimate(font, pending[0], room - estimate - gap) + gap
                if estimate + extra > room:
                    break
                taken.append(pending.popleft())
                estimate += extra
            line = " ".join(taken)
            while len(taken) > 1 and font.getlength(line) > room:
                pending.appendleft(taken.pop())
                line = " ".join(taken)
            if taken and (len(taken) > 1 or font.getlength(line) <= room):
                skips = 0
                if emit(line):
                    return lines, ranges
                continue
            if taken:  # one word that measured wider than estimated
                pending.appendleft(taken.pop())
            word = pending[0]
            later = max(width_of(len(lines) + 1), width_of(len(lines) + 2))
            # a narrow line (near a hexagon's tip) is left empty when one of the next two
            # lines is wide enough for the word; otherwise the word is split
            if skips < 2 and later > room and _estimate(font, word, later) <= later:
                skips += 1
                if emit(""):
                    return lines, ranges
                continue
            cut = _prefix_fit(font, word, room)
            while cut > 1 and font.getlength(word[:cut]) > room:
                cut -= 1
            if cut >= len(word):
                pending.popleft()
            else:
                pending[0] = word[cut:]
            skips = 0
            if emit(word[:cut]):
                return lines, ranges
    return lines, ranges


#: the smallest font size, in canvas units, text is shrunk to when it must fit its shape
MIN_FIT_SIZE = 10


class TextDoesNotFit(ValueError):
    """Text meant for a shape does not fit inside it even at ``MIN_FIT_SIZE``."""


def _within_shape(layout: TextLayout, shape: Geometry, pad: float) -> bool:
    """True when every drawn line lies inside the shape, ``pad`` from its edge."""
    for line in layout.lines:
        if not line.text:
            continue
        span = shape.span_between(line.y, line.y + layout.line_height)
        if span is None:
            return False
        if line.x < span[0] + pad - 0.5 or line.x + line.width > span[1] - pad + 0.5:
            return False
    return True


def _complete(layout: TextLayout, text: str) -> bool:
    """True when no character of ``text`` was left out (lines past the cap are dropped)."""
    drawn = "".join(line.text for line in layout.lines)
    return len("".join(drawn.split())) == len("".join(text.split()))


def _meant_for_shape(layout: TextLayout, shape: Geometry, pad: float) -> bool:
    """Whether the text block is centred inside the shape's height (so it belongs in it)."""
    if not layout.lines:
        return False
    top = layout.lines[0].y
    bottom = layout.lines[-1].y + layout.line_height
    _, shape_top, _, shape_bottom = shape.bbox()
    return shape_top + pad <= (top + bottom) / 2 <= shape_bottom - pad


def fit_text(
    text: str,
    font_at: Callable[[int], ImageFont.FreeTypeFont],
    size: int,
    *,
    canvas_side: int,
    scale: float,
    align_x: Position,
    align_y: Position,
    wrap: Wrap,
    shape: Geometry | None,
) -> tuple[TextLayout, ImageFont.FreeTypeFont]:
    """Lay ``text`` out at ``size`` pixels, shrunk when it would leave the shape it belongs in.

    Only dynamically wrapped text whose block is centred within the shape's height is held to
    the shape (text placed elsewhere on purpose is left alone). Such text that does not fit at
    ``size`` is laid out at the largest smaller size that fits; when none down to
    ``MIN_FIT_SIZE`` does, ``TextDoesNotFit`` is raised (the caller answers 422).
    """

    def attempt(pixels: int) -> tuple[TextLayout, ImageFont.FreeTypeFont]:
        font = font_at(pixels)
        layout = layout_text(
            text,
            font,
            canvas_side=canvas_side,
            scale=scale,
            align_x=align_x,
            align_y=align_y,
            wrap=wrap,
            shape=shape,
        )
        return layout, font

    pad = EDGE_PADDING * scale
    layout, font = attempt(size)
    if not wrap.dynamic or shape is None or not _meant_for_shape(layout, shape, pad):
        return layout, font

    def fits(candidate: TextLayout) -> bool:
        return _within_shape(candidate, shape, pad) and _complete(candidate, text)

    if fits(layout):
        return layout, font
    smallest = min(size, max(1, round(MIN_FIT_SIZE * scale)))
    low, high = smallest, size - 1  # the answer, if any, is in [low, high]
    best: tuple[TextLayout, ImageFont.FreeTypeFont] | None = None
    while low <= high:
        middle = (low + high + 1) // 2
        candidate = attempt(middle)
        if fits(candidate[0]):
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    if best is None:
        raise TextDoesNotFit(
            f"text does not fit inside the {shape.kind.replace('_', ' ')} even at font size "
            f"{MIN_FIT_SIZE}: shorten it, or place it outside the shape"
        )
    return best
