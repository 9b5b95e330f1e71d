"""Every layer type and option, drawn by the compositor and probed pixel by pixel."""

from __future__ import annotations

from io import BytesIO

import pytest
from layered_builders import (
    body,
    close,
    data_uri,
    image_layer,
    png_bytes,
    rgb,
    shape_layer,
    text_layer,
)
from PIL import Image

from badgeapp.layered.compose import encode_png

GREEN = (0, 255, 0)
WHITE = (255, 255, 255)


def test_canvas_background_and_background_layer(render):
    assert rgb(render(body()), 10, 10) == WHITE
    assert rgb(render(body(bg="navy")), 10, 10) == (0, 0, 128)
    layer = {"type": "BackgroundLayer", "mode": "solid", "color": "#123456", "z": 0}
    assert rgb(render(body(layer, bg="white")), 599, 599) == (0x12, 0x34, 0x56)


def test_transparent_canvas_gives_an_rgba_png(render):
    image = render(body(bg="transparent"))
    assert image.getpixel((5, 5)) == (0, 0, 0, 0)
    assert Image.open(BytesIO(encode_png(image))).mode == "RGBA"
    assert Image.open(BytesIO(encode_png(render(body())))).mode == "RGB"


def test_semi_transparent_background_layer_blends(render):
    layer = {"type": "BackgroundLayer", "mode": "solid", "color": "#0000FF80", "z": 0}
    r, g, b = rgb(render(body(layer)), 10, 10)
    assert b == 255 and 120 <= r <= 135 and r == g


def test_hexagon_is_pointy_top(render):
    image = render(body(shape_layer("hexagon")))
    assert rgb(image, 300, 55) == GREEN  # just below the top vertex (y 50)
    assert rgb(image, 300, 45) == WHITE
    assert rgb(image, 90, 300) == GREEN  # flat sides at x 300 +- 216.5
    assert rgb(image, 80, 300) == WHITE
    assert rgb(image, 120, 80) == WHITE  # outside the upper-left edge


def test_circle_radius(render):
    image = render(body(shape_layer("circle", params={"radius": 100})))
    assert rgb(image, 300, 205) == GREEN
    assert rgb(image, 300, 195) == WHITE
    assert rgb(image, 375, 375) == WHITE  # outside the circle, inside its box


@pytest.mark.parametrize(("corner", "corner_pixel"), [(0, GREEN), (100, WHITE)])
def test_rounded_rect_size_and_corner_radius(render, corner, corner_pixel):
    params = {"width": 400, "height": 200, "radius": corner}
    image = render(body(shape_layer("rounded_rect", params=params)))
    assert rgb(image, 105, 300) == GREEN and rgb(image, 95, 300) == WHITE
    assert rgb(image, 300, 205) == GREEN and rgb(image, 300, 195) == WHITE
    assert rgb(image, 103, 203) == corner_pixel


def test_horizontal_gradient(render):
    fill = {"mode": "gradient", "start_color": "red", "end_color": "blue", "vertical": False}
    image = render(body(shape_layer("circle", fill=fill)))
    left, middle, right = rgb(image, 60, 300), rgb(image, 300, 300), rgb(image, 540, 300)
    assert left[0] > 230 and left[2] < 25
    assert right[2] > 230 and right[0] < 25
    assert 100 < middle[0] < 155 and 100 < middle[2] < 155
    # horizontal: the same colour all the way down a column
    assert close(rgb(image, 300, 100), middle, 2) and close(rgb(image, 300, 500), middle, 2)


def test_vertical_gradient_spans_the_shape(render):
    fill = {"mode": "gradient", "start_color": "#000000", "end_color": "#FFFFFF"}
    image = render(body(shape_layer("rounded_rect", fill=fill)))
    top, bottom = rgb(image, 300, 77), rgb(image, 300, 522)
    assert top[0] < 10 and bottom[0] > 245
    assert close(rgb(image, 100, 300), rgb(image, 500, 300), 2)


def test_border_colour_and_width(render):
    layer = shape_layer("circle", border={"color": "#FF0000", "width": 20})
    image = render(body(layer))
    assert rgb(image, 300, 60) == (255, 0, 0)  # inside the 20 px ring (y 50..70)
    assert rgb(image, 300, 80) == GREEN
    assert rgb(image, 300, 45) == WHITE
    no_border = render(body(shape_layer("circle", border={"color": "#FF0000", "width": 0})))
    assert rgb(no_border, 300, 60) == GREEN


@pytest.mark.parametrize("shape", ["hexagon", "rounded_rect"])
def test_border_on_other_shapes(render, shape):
    image = render(body(shape_layer(shape, border={"color": "blue", "width": 10})))
    top = 50 if shape == "hexagon" else 75
    assert rgb(image, 300, top + 5) == (0, 0, 255)
    assert rgb(image, 300, top + 25) == GREEN


def test_layers_are_drawn_in_z_order(render):
    red = shape_layer("circle", fill={"mode": "solid", "color": "red"}, z=15)
    green = shape_layer("circle", params={"radius": 100}, z=12)
    assert rgb(render(body(green, red)), 300, 300) == (255, 0, 0)
    red["z"] = 5
    assert rgb(render(body(green, red)), 300, 300) == GREEN


def _ink_box(image: Image.Image, colour: tuple[int, int, int] = (0, 0, 0)) -> tuple[int, ...]:
    """Bounding box of pixels that are (nearly) ``colour``."""
    mask = Image.new("L", image.size, 0)
    rgb_image = image.convert("RGB")
    width, height = image.size
    pixels = rgb_image.load()
    mask_pixels = mask.load()
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            if close(pixels[x, y], colour, 60):
                mask_pixels[x, y] = 255
    box = mask.getbbox()
    assert box is not None, "no text drawn"
    return box


@pytest.mark.parametrize(
    ("align", "check"),
    [
        ({"x": "left", "y": "top"}, lambda b: 38 <= b[0] <= 50 and 38 <= b[1] <= 60),
        ({"x": "right", "y": "bottom"}, lambda b: 550 <= b[2] <= 562 and 540 <= b[3] <= 562),
        ({"x": "center", "y": "center"}, lambda b: abs((b[0] + b[2]) / 2 - 300) < 8),
        ({"x": 100, "y": 200}, lambda b: 98 <= b[0] <= 110 and 198 <= b[1] <= 215),
    ],
)
def test_text_alignment(render, align, check):
    image = render(body(text_layer("Hello", align=align, wrap={"dynamic": False})))
    assert check(_ink_box(image))


def test_text_colour_and_font_size(render):
    small = _ink_box(render(body(text_layer("H", font={"path": "Arial", "size": 20}))))
    big = _ink_box(render(body(text_layer("H", font={"path": "Arial", "size": 80}))))
    assert (big[3] - big[1]) > 3 * (small[3] - small[1])
    red = render(body(text_layer("HHHH", color="red", font={"path": "Arial", "size": 80})))
    _ink_box(red, (255, 0, 0))


def test_text_newlines_make_lines(render):
    one = _ink_box(render(body(text_layer("Top", wrap={"dynamic": False}))))
    two = _ink_box(render(body(text_layer("Top\nBottom", wrap={"dynamic": False}))))
    assert (two[3] - two[1]) > 1.8 * (one[3] - one[1])


def test_image_numeric_size_is_the_width(render):
    image = render(body(image_layer(data_uri(png_bytes((20, 10), (255, 0, 0, 255))), size=200)))
    box = _ink_box(image, (255, 0, 0))
    assert abs((box[2] - box[0]) - 200) <= 2 and abs((box[3] - box[1]) - 100) <= 2


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ({"width": 200, "height": 50}, (200, 50)),
        ({"width": 100}, (100, 50)),
        ({"height": 100}, (200, 100)),
        ({"dynamic": True, "max_width": 300, "max_height": 60}, (40, 20)),
        ({"dynamic": True, "max_width": 300, "max_height": 60, "max_upscale": 2.0}, (80, 40)),
        ({"dynamic": True, "max_width": 30, "max_height": 60, "max_upscale": 9}, (30, 15)),
        (None, (40, 20)),
    ],
)
def test_image_size_options(render, size, expected):
    layer = image_layer(data_uri(png_bytes((40, 20), (255, 0, 0, 255))))
    if size is not None:
        layer["size"] = size
    box = _ink_box(render(body(layer)), (255, 0, 0))
    assert abs((box[2] - box[0]) - expected[0]) <= 2
    assert abs((box[3] - box[1]) - expected[1]) <= 2


def test_icons_default_to_190_wide(render, asset_dir):
    (asset_dir / "icons").mkdir()
    (asset_dir / "icons" / "red.png").write_bytes(png_bytes((10, 20), (255, 0, 0, 255)))
    box = _ink_box(render(body(image_layer("icons/red.png"))), (255, 0, 0))
    assert abs((box[2] - box[0]) - 190) <= 2 and abs((box[3] - box[1]) - 380) <= 2
    # dynamic sizing without bounds: icons fit 190x190
    dynamic = image_layer("icons/red.png", size={"dynamic": True, "max_upscale": 16})
    box = _ink_box(render(body(dynamic)), (255, 0, 0))
    assert abs((box[2] - box[0]) - 95) <= 2 and abs((box[3] - box[1]) - 190) <= 2
    # images elsewhere keep their natural size
    (asset_dir / "red.png").write_bytes(png_bytes((10, 20), (255, 0, 0, 255)))
    box = _ink_box(render(body(image_layer("red.png"))), (255, 0, 0))
    assert abs((box[2] - box[0]) - 10) <= 2


@pytest.mark.parametrize(
    ("position", "extra", "top_left"),
    [
        ({"x": "left", "y": "top"}, {}, (40, 40)),
        ({"x": "right", "y": "bottom"}, {}, (460, 460)),
        ({"x": 10, "y": 20}, {}, (10, 20)),
        ({"x": "left", "y": "top"}, {"y": 300}, (40, 300)),
        (None, {"y": 150}, (250, 150)),
        (None, {"y": "bottom"}, (250, 460)),
    ],
)
def test_image_positions_and_top_level_y(render, position, extra, top_left):
    layer = image_layer(data_uri(png_bytes((10, 10), (255, 0, 0, 255))), size=100, **extra)
    if position is not None:
        layer["position"] = position
    box = _ink_box(render(body(layer)), (255, 0, 0))
    assert abs(box[0] - top_left[0]) <= 2 and abs(box[1] - top_left[1]) <= 2


def test_image_partly_outside_the_canvas_is_clipped(render):
    layer = image_layer(data_uri(png_bytes((10, 10), (255, 0, 0, 255))), size=100)
    layer["position"] = {"x": -50, "y": 550}
    image = render(body(layer))
    assert rgb(image, 10, 590) == (255, 0, 0)
    assert rgb(image, 60, 590) == WHITE


@pytest.mark.parametrize(("opacity", "expected"), [(1.0, 0), (0.5, 128), (0.0, 255)])
def test_image_opacity(render, opacity, expected):
    layer = image_layer(data_uri(png_bytes((10, 10), (0, 0, 0, 255))), size=100, opacity=opacity)
    r, _, _ = rgb(render(body(layer)), 300, 300)
    assert abs(r - expected) <= 2


def test_scale_factor_scales_everything(render):
    layers = (
        shape_layer("circle", params={"radius": 100}),
        image_layer(data_uri(png_bytes((10, 10), (255, 0, 0, 255))), size=20),
    )
    small = render(body(*layers, scale_factor=0.5))
    big = render(body(*layers, scale_factor=4))
    assert small.size == (300, 300) and big.size == (2400, 2400)
    assert rgb(small, 150, 150) == (255, 0, 0) and rgb(small, 150, 110) == GREEN
    assert rgb(small, 150, 95) == WHITE
    assert rgb(big, 1200, 1200) == (255, 0, 0) and rgb(big, 1200, 840) == GREEN
    assert rgb(big, 1200, 780) == WHITE


def test_a_tall_image_sized_by_width_is_shrunk_to_fit(render):
    layer = image_layer(data_uri(png_bytes((1, 1000), (255, 0, 0, 255))), size=600)
    layer["position"] = {"x": 0, "y": 0}
    box = _ink_box(render(body(layer)), (255, 0, 0))
    assert box[3] - box[1] >= 598  # clipped by the canvas
    assert box[2] - box[0] <= 4  # 1,200 units tall, so 1.2 units wide


def test_huge_unwrapped_text_draws_only_what_is_visible(tmp_path):
    """2,000 characters at size 400 and scale 4 on one line: bounded time and memory."""
    import json
    import subprocess
    import sys

    request_body = body(
        text_layer("W" * 2000, font={"path": "Arial", "size": 400}, wrap={"dynamic": False}),
        scale_factor=4,
    )
    script = tmp_path / "huge.py"
    script.write_text(
        "import json, resource, sys, time\n"
        "from badgeapp.builtin.assets import BUILTIN_ASSETS\n"
        "from badgeapp.builtin.fonts import badgeapp_fonts\n"
        "from badgeapp.layered import AssetLibrary, FontBook, parse_request, render_png\n"
        f"body = json.loads({json.dumps(json.dumps(request_body))})\n"
        "fonts, assets = FontBook(badgeapp_fonts()), AssetLibrary([BUILTIN_ASSETS])\n"
        "render_png(parse_request({'layers': []}), fonts, assets)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "start = time.perf_counter()\n"
        "png = render_png(parse_request(body), fonts, assets)\n"
        "elapsed = time.perf_counter() - start\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'kib': after - before, 'seconds': elapsed, 'bytes': len(png)}))\n"
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    measured = json.loads(result.stdout)
    assert measured["bytes"] > 0
    assert measured["kib"] < 400 * 1024, measured  # the whole line would need gigabytes
    assert measured["seconds"] < 10, measured
