"""Draw the built-in icons (``badgeapp/layered/icons/*.png``) with Pillow primitives.

The PNGs are committed; rerun ``python -m badgeapp.layered.draw_icons`` after changing a
drawing. Each icon is 256x256 RGBA, drawn 4x larger and reduced for smooth edges: a white
figure with a dark outline, so it reads on light and dark badges alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
SS = 4
FILL = (255, 255, 255, 255)
OUTLINE = (60, 40, 20, 255)
LINE = 7 * SS
ICON_DIR = Path(__file__).resolve().parent / "icons"

Point = tuple[float, float]


def _s(points: list[Point]) -> list[Point]:
    return [(x * SS, y * SS) for x, y in points]


def _outlined(draw: ImageDraw.ImageDraw, points: list[Point]) -> None:
    """A filled polygon with a round-jointed outline (Pillow's polygon outline spikes)."""
    scaled = _s(points)
    draw.polygon(scaled, fill=FILL)
    draw.line([*scaled, scaled[0], scaled[1]], fill=OUTLINE, width=LINE, joint="curve")


def star(draw: ImageDraw.ImageDraw) -> None:
    cx, cy, outer, inner = 128, 134, 118, 48
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = math.radians(-90 + 36 * k)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    _outlined(draw, points)


def heart(draw: ImageDraw.ImageDraw) -> None:
    points = []
    for k in range(200):
        t = 2 * math.pi * k / 200
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((128 + x * 7.2, 120 - y * 7.2))
    _outlined(draw, points)


def check(draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse(_s([(10, 10), (246, 246)]), fill=FILL, outline=OUTLINE, width=LINE)
    draw.line(_s([(66, 132), (110, 178), (192, 84)]), fill=OUTLINE, width=26 * SS, joint="curve")


def shield(draw: ImageDraw.ImageDraw) -> None:
    top = [(128, 8), (232, 44), (232, 120)]
    curve = []
    for k in range(41):
        t = k / 40
        # quadratic curve from the right edge down to the point, then back up on the left
        x = (1 - t) ** 2 * 232 + 2 * (1 - t) * t * 220 + t**2 * 128
        y = (1 - t) ** 2 * 120 + 2 * (1 - t) * t * 200 + t**2 * 248
        curve.append((x, y))
    left = [(256 - x, y) for x, y in reversed(curve)]
    points = top + curve + left + [(24, 120), (24, 44)]
    _outlined(draw, points)
    draw.line(_s([(128, 40), (128, 214)]), fill=OUTLINE, width=5 * SS)


def trophy(draw: ImageDraw.ImageDraw) -> None:
    # handles first, so the cup covers their inner half
    draw.ellipse(_s([(20, 34), (104, 130)]), outline=OUTLINE, width=14 * SS)
    draw.ellipse(_s([(152, 34), (236, 130)]), outline=OUTLINE, width=14 * SS)
    draw.chord(_s([(56, -60), (200, 160)]), 0, 180, fill=FILL, outline=OUTLINE, width=LINE)
    draw.rectangle(_s([(56, 24), (200, 50)]), fill=FILL, outline=OUTLINE, width=LINE)
    draw.rectangle(_s([(112, 156), (144, 204)]), fill=FILL, outline=OUTLINE, width=LINE)
    draw.rounded_rectangle(
        _s([(64, 200), (192, 240)]), radius=8 * SS, fill=FILL, outline=OUTLINE, width=LINE
    )


ICONS: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    "star": star,
    "heart": heart,
    "check": check,
    "shield": shield,
    "trophy": trophy,
}


def draw_icon(painter: Callable[[ImageDraw.ImageDraw], None]) -> Image.Image:
    image = Image.new("RGBA", (SIZE * SS, SIZE * SS), (0, 0, 0, 0))
    painter(ImageDraw.Draw(image))
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    ICON_DIR.mkdir(exist_ok=True)
    for name, painter in ICONS.items():
        draw_icon(painter).save(ICON_DIR / f"{name}.png", optimize=True)
        print(f"wrote {ICON_DIR / name}.png")


if __name__ == "__main__":
    main()
