"""PNG output: the same picture as the SVG, at scale x its size, with real text."""

from __future__ import annotations

import io

import defusedxml.ElementTree as SafeET
import pytest
from PIL import Image

from badgeapp.render import render_svg
from badgeapp.render.colors import to_svg_color
from badgeapp.render.raster import clamp_scale, strip_foreign_images, svg_to_png
from badgeapp.render.spec import BadgeSpec


def _hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def _close(a, b, tolerance=24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


def _light_pixels(image: Image.Image) -> int:
    """How many RGB pixels are near white."""
    data = image.tobytes()
    return sum(1 for i in range(0, len(data), 3) if min(data[i : i + 3]) > 200)


def _svg_geometry(svg: str) -> tuple[int, int, int]:
    root = SafeET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    rects = [r for r in root.iter(ns + "rect") if r.get("fill", "").startswith("#")]
    left_width = int(float(rects[0].get("width")))
    return int(float(root.get("width"))), int(float(root.get("height"))), left_width


@pytest.mark.parametrize("scale", [1, 2, 3, 4])
def test_png_size_is_scale_times_svg(scale):
    svg = render_svg(BadgeSpec(label="build", message="passing", color="brightgreen"))
    width, height, _ = _svg_geometry(svg)
    image = Image.open(io.BytesIO(svg_to_png(svg, scale)))
    assert image.format == "PNG"
    assert image.size == (width * scale, height * scale)


@pytest.mark.parametrize(
    ("label_color", "color"), [("#555", "blue"), ("red", "yellow"), ("orange", "#123456")]
)
def test_png_halves_have_the_badge_colours(label_color, color):
    spec = BadgeSpec(label="coverage", message="97%", color=color, label_color=label_color)
    svg = render_svg(spec)
    width, height, _left = _svg_geometry(svg)
    image = Image.open(io.BytesIO(svg_to_png(svg, 2))).convert("RGB")
    # sample a column near each half's edge, at mid height, away from the text
    left_px = image.getpixel((3 * 2, height))
    right_px = image.getpixel(((width - 3) * 2, height))
    # the flat style lays a 10% grey gradient over the fills: allow for it
    assert _close(left_px, _hex_rgb(to_svg_color(label_color))), left_px
    assert _close(right_px, _hex_rgb(to_svg_color(color))), right_px


def test_png_text_is_drawn():
    svg = render_svg(BadgeSpec(label="build", message="passing", color="#000000"))
    width, height, left = _svg_geometry(svg)
    image = Image.open(io.BytesIO(svg_to_png(svg, 2))).convert("RGB")
    # the message half is black with white text: many near-white pixels must be there
    box = image.crop((left * 2 + 2, 4, width * 2 - 2, height * 2 - 4))
    light = _light_pixels(box)
    assert light > 40, light
    # and a badge without text has none
    empty = render_svg(BadgeSpec(label="", message="", color="#000000"))
    image2 = Image.open(io.BytesIO(svg_to_png(empty, 2))).convert("RGB")
    assert _light_pixels(image2) < 5


def test_png_text_uses_a_real_font():
    """Different words give different pixels (a missing font draws nothing or boxes)."""
    a = svg_to_png(render_svg(BadgeSpec(label="aaaa", message="x", color="#000000")), 2)
    b = svg_to_png(render_svg(BadgeSpec(label="wwww", message="x", color="#000000")), 2)
    assert a != b


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), (4, 4), (0, 1), (9, 4), ("3", 3), ("x", 2), (None, 2)]
)
def test_clamp_scale(value, expected):
    assert clamp_scale(value) == expected


def test_foreign_images_are_removed():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<image href="/etc/passwd" width="5" height="5"/>'
        "<image xlink:href='file:///etc/shadow' width=\"5\"></image>"
        '<image href="data:image/png;base64,AAAA" width="5" height="5"/>'
        "</svg>"
    )
    cleaned = strip_foreign_images(svg)
    assert "/etc/passwd" not in cleaned
    assert "/etc/shadow" not in cleaned
    assert "data:image/png;base64,AAAA" in cleaned


def test_invalid_svg_raises_value_error():
    with pytest.raises(ValueError):
        svg_to_png("<svg", 2)


def test_png_pixel_area_is_bounded():
    from badgeapp.errors import InvalidParameter
    from badgeapp.render.raster import MAX_PNG_PIXELS, svg_to_png

    wide = '<svg xmlns="http://www.w3.org/2000/svg" width="5000" height="20"></svg>'
    assert svg_to_png(wide, 1).startswith(b"\x89PNG")  # 100,000 pixels
    huge = '<svg xmlns="http://www.w3.org/2000/svg" width="200000" height="112"></svg>'
    assert MAX_PNG_PIXELS < 200000 * 112
    with pytest.raises(InvalidParameter):
        svg_to_png(huge, 1)
