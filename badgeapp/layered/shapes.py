"""Shape geometry for ShapeLayer: antialiased masks, insets for borders, and widths at a height.

All coordinates are canvas pixels (already multiplied by the scale factor). Every shape is
centred on the canvas. The hexagon is pointy-top. ``span_at(y)`` gives the horizontal extent of
the shape at height ``y``, which dynamic text wrapping uses to keep each line inside the shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

Box = tuple[int, int, int, int]
SQRT3 = math.sqrt(3.0)


@dataclass(frozen=True)
class Geometry:
    """One shape: ``kind`` is hexagon, circle or rounded_rect; sizes in pixels."""

    kind: str
    cx: float
    cy: float
    radius: float = 0.0  # hexagon/circle radius; rounded_rect corner radius
    width: float = 0.0  # rounded_rect only
    height: float = 0.0

    @property
    def half_extent(self) -> tuple[float, float]:
        if self.kind == "hexagon":
            return self.radius * SQRT3 / 2, self.radius
        if self.kind == "circle":
            return self.radius, self.radius
        return self.width / 2, self.height / 2

    def bbox(self) -> Box:
        hw, hh = self.half_extent
        return (
            math.floor(self.cx - hw),
            math.floor(self.cy - hh),
            math.ceil(self.cx + hw),
            math.ceil(self.cy + hh),
        )

    def span_at(self, y: float) -> tuple[float, float] | None:
        """Left and right edge of the shape at height ``y`` (None above or below it)."""
        dy = abs(y - self.cy)
        if self.kind == "hexagon":
            if dy > self.radius:
                return None
            half = self.radius * SQRT3 / 2 if dy <= self.radius / 2 else (self.radius - dy) * SQRT3
        elif self.kind == "circle":
            if dy > self.radius:
                return None
            half = math.sqrt(self.radius**2 - dy**2)
        else:
            hh = self.height / 2
            if dy > hh:
                return None
            corner = self.corner
            into = dy - (hh - corner)
            half = self.width / 2
            if into > 0:
                half -= corner - math.sqrt(max(corner**2 - into**2, 0.0))
        return self.cx - half, self.cx + half

    def span_between(self, top: float, bottom: float) -> tuple[float, float] | None:
        """The widest horizontal range that is inside the shape at every height in [top, bottom]."""
        left, right = -math.inf, math.inf
        # the narrowest point of these convex shapes over an interval is at one of its ends
        for y in (top, bottom):
            span = self.span_at(y)
            if span is None:
                return None
            left, right = max(left, span[0]), min(right, span[1])
        return (left, right) if right > left else None

    @property
    def corner(self) -> float:
        return max(0.0, min(self.radius, self.width / 2, self.height / 2))

    def inset(self, distance: float) -> Geometry | None:
        """The same shape shrunk by ``distance`` on every side (None when nothing is left)."""
        if self.kind == "hexagon":
            radius = self.radius - distance * 2 / SQRT3
            return replace(self, radius=radius) if radius > 0 else None
        if self.kind == "circle":
            radius = self.radius - distance
            return replace(self, radius=radius) if radius > 0 else None
        width, height = self.width - 2 * distance, self.height - 2 * distance
        if width <= 0 or height <= 0:
            return None
        return replace(self, width=width, height=height, radius=max(0.0, self.corner - distance))

    def mask(self, box: Box, supersample: int) -> Image.Image:
        """An ``L`` mask of the shape over ``box``: drawn ``supersample`` times larger, reduced."""
        ss = supersample
        x0, y0, x1, y1 = box
        image = Image.new("L", ((x1 - x0) * ss, (y1 - y0) * ss), 0)
        draw = ImageDraw.Draw(image)
        ox, oy = (self.cx - x0) * ss, (self.cy - y0) * ss
        if self.kind == "hexagon":
            r = self.radius * ss
            points = [
                (
                    ox + r * math.cos(math.radians(-90 + 60 * k)),
                    oy + r * math.sin(math.radians(-90 + 60 * k)),
                )
                for k in range(6)
            ]
            draw.polygon(points, fill=255)
        elif self.kind == "circle":
            r = self.radius * ss
            draw.ellipse((ox - r, oy - r, ox + r, oy + r), fill=255)
        else:
            hw, hh = self.width * ss / 2, self.height * ss / 2
            if hw < 1 or hh < 1:  # thinner than a pixel: nothing to draw
                return image.reduce(ss) if ss > 1 else image
            draw.rounded_rectangle(
                (ox - hw, oy - hh, ox + hw - 1, oy + hh - 1), radius=self.corner * ss, fill=255
            )
        return image.reduce(ss) if ss > 1 else image


def supersample_for(canvas_side: int) -> int:
    """How much larger masks are drawn for antialiasing: 4x at 600 px, less on big canvases."""
    return max(1, min(4, 2400 // max(canvas_side, 1)))
