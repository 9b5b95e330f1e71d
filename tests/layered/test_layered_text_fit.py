"""Issue 11 item 19: dynamically wrapped text stays inside its shape (shrunk) or is refused.

The report: a circle with a twelve-word text drew the last words below the circle, white on
white, with no error. Text that belongs in a shape is now shrunk until every line fits inside
the shape (40 px from its edge); text that cannot fit even at ``MIN_FIT_SIZE`` answers 422
naming the layer's ``text``.
"""

from __future__ import annotations

import io
import math

import pytest
from layered_builders import body, shape_layer, text_layer
from PIL import Image

from badgeapp.layered.layers import shape_geometry
from badgeapp.layered.schema import Fill, ShapeLayer, Wrap
from badgeapp.layered.text import MIN_FIT_SIZE, TextDoesNotFit, fit_text

URL = "/api/badge/generate"
TWELVE_WORDS = "Awarded for outstanding contributions to the open source community during this year"
CIRCLE = ShapeLayer(z=10, shape="circle", fill=Fill("solid"), radius=250)
PAD = 40


def circle_body(text: str, size: int) -> dict:
    circle = shape_layer("circle", fill={"mode": "solid", "color": "#3366CC"})
    words = text_layer(text, color="#FFFFFF", font={"path": "Arial.ttf", "size": size})
    return body(circle, words, bg="#808080")  # grey: white text outside the circle shows


def white_pixels_outside_the_circle(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = image.load()
    outside = inside = 0
    for y in range(0, 600, 2):
        for x in range(0, 600, 2):
            if min(pixels[x, y]) > 200:
                if math.hypot(x - 300, y - 300) > 251:
                    outside += 1
                else:
                    inside += 1
    return outside, inside


def test_the_twelve_word_text_has_twelve_words():
    assert len(TWELVE_WORDS.split()) == 12


@pytest.mark.parametrize("size", [48, 60, 120])
def test_twelve_words_in_a_circle_stay_inside_it(client, size):
    response = client.post(URL + "?format=png", json=circle_body(TWELVE_WORDS, size))
    assert response.status_code == 200
    outside, inside = white_pixels_outside_the_circle(response.data)
    assert outside == 0
    assert inside > 500  # the text is drawn


@pytest.mark.parametrize("size", [48, 120])
def test_every_word_is_laid_out_inside_the_circle(fonts, size):
    geometry = shape_geometry(CIRCLE, 1.0, 600)
    layout, font = fit_text(
        TWELVE_WORDS,
        lambda px: fonts.font("Arial", px),
        size,
        canvas_side=600,
        scale=1.0,
        align_x="center",
        align_y="center",
        wrap=Wrap(),
        shape=geometry,
    )
    assert " ".join(line.text for line in layout.lines if line.text) == TWELVE_WORDS
    assert MIN_FIT_SIZE <= font.size < size  # it had to shrink
    for line in layout.lines:
        span = geometry.span_between(line.y, line.y + layout.line_height)
        assert span is not None
        assert span[0] + PAD - 0.5 <= line.x <= line.x + line.width <= span[1] - PAD + 0.5


def test_text_that_fits_keeps_its_size(fonts):
    layout, font = fit_text(
        "Achievement",
        lambda px: fonts.font("Arial", px),
        48,
        canvas_side=600,
        scale=1.0,
        align_x="center",
        align_y="center",
        wrap=Wrap(),
        shape=shape_geometry(CIRCLE, 1.0, 600),
    )
    assert font.size == 48
    assert [line.text for line in layout.lines] == ["Achievement"]


def test_text_that_cannot_fit_is_422_naming_the_field(client):
    response = client.post(URL, json=circle_body("word " * 400, 40))
    assert response.status_code == 422
    (error,) = response.get_json()["detail"]
    assert error["loc"] == ["body", "layers", 1, "text"]
    assert "does not fit inside the circle" in error["msg"]


def test_unfittable_text_raises_in_the_library(fonts):
    with pytest.raises(TextDoesNotFit):
        fit_text(
            "x" * 2000,
            lambda px: fonts.font("Arial", px),
            40,
            canvas_side=600,
            scale=1.0,
            align_x="center",
            align_y="center",
            wrap=Wrap(),
            shape=shape_geometry(CIRCLE, 1.0, 600),
        )


def test_text_placed_outside_the_shape_on_purpose_is_left_alone(client):
    # a caption at the top of the canvas, above a small circle: not held to the circle
    small = shape_layer("circle", params={"radius": 120})
    caption = text_layer("A caption above the badge", font={"path": "Arial", "size": 30})
    caption["align"] = {"x": "center", "y": "top"}
    response = client.post(URL, json=body(small, caption))
    assert response.status_code == 200


def test_fixed_width_and_unwrapped_text_are_not_shrunk(client):
    fixed = text_layer(TWELVE_WORDS, font={"path": "Arial", "size": 48})
    fixed["wrap"] = {"dynamic": False, "max_width": 500}
    assert client.post(URL, json=body(shape_layer("circle"), fixed)).status_code == 200
