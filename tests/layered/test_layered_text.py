"""Text wrapping: dynamic (inside the shape, 40 px padding), fixed width, none."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from layered_builders import body, shape_layer, text_layer

from badgeapp.layered.fonts import FontBook
from badgeapp.layered.layers import shape_geometry
from badgeapp.layered.schema import Fill, ShapeLayer, Wrap
from badgeapp.layered.text import layout_text

PAD = 40
LONG_TEXT = "Congratulations on completing the advanced course in badge engineering"
SHAPES = {
    "hexagon": ShapeLayer(z=10, shape="hexagon", fill=Fill("solid"), radius=250),
    "circle": ShapeLayer(z=10, shape="circle", fill=Fill("solid"), radius=200),
    "rounded_rect": ShapeLayer(
        z=10, shape="rounded_rect", fill=Fill("solid"), width=300, height=450, radius=100
    ),
}


def _layout(fonts: FontBook, text: str, size: int, wrap: Wrap, shape: str | None, **align):
    geometry = shape_geometry(SHAPES[shape], 1.0, 600) if shape else None
    return layout_text(
        text,
        fonts.font("Arial", size),
        canvas_side=600,
        scale=1.0,
        align_x=align.get("x", "center"),
        align_y=align.get("y", "center"),
        wrap=wrap,
        shape=geometry,
    ), geometry


@pytest.mark.parametrize(("shape", "size"), [("hexagon", 36), ("circle", 30), ("rounded_rect", 24)])
def test_dynamic_wrapping_keeps_every_line_inside_the_shape(fonts, shape, size):
    layout, geometry = _layout(fonts, LONG_TEXT, size, Wrap(), shape)
    assert len(layout.lines) >= 3
    assert " ".join(line.text for line in layout.lines) == LONG_TEXT
    for line in layout.lines:
        span = geometry.span_between(line.y, line.y + layout.line_height)
        assert span is not None
        assert line.x >= span[0] + PAD - 0.5
        assert line.x + line.width <= span[1] - PAD + 0.5


def test_dynamic_wrapping_uses_the_shape_width_at_the_text_height(fonts):
    """Near the hexagon's top vertex lines must be narrower than across its middle."""
    middle, geometry = _layout(fonts, LONG_TEXT, 30, Wrap(), "hexagon")
    high, _ = _layout(fonts, LONG_TEXT, 30, Wrap(), "hexagon", y=95)
    assert max(line.width for line in high.lines[:1]) < max(line.width for line in middle.lines)
    first = high.lines[0]
    span = geometry.span_between(first.y, first.y + high.line_height)
    assert first.x + first.width <= span[1] - PAD + 0.5


def test_dynamic_wrapping_without_a_shape_falls_back_to_max_width(fonts):
    layout, _ = _layout(fonts, LONG_TEXT, 40, Wrap(dynamic=True, max_width=250), None)
    assert len(layout.lines) > 2
    assert all(line.width <= 250 for line in layout.lines)
    canvas_wide, _ = _layout(fonts, LONG_TEXT, 40, Wrap(dynamic=True), None)
    assert all(line.width <= 600 - 2 * PAD for line in canvas_wide.lines)
    assert len(canvas_wide.lines) < len(layout.lines)


def test_fixed_width_wrapping_ignores_the_shape(fonts):
    layout, _ = _layout(fonts, LONG_TEXT, 40, Wrap(dynamic=False, max_width=500), "circle")
    assert max(line.width for line in layout.lines) > 330  # wider than the circle allows
    assert all(line.width <= 500 for line in layout.lines)


def test_no_wrapping_keeps_one_line(fonts):
    layout, _ = _layout(fonts, LONG_TEXT, 40, Wrap(dynamic=False, max_width=None), "circle")
    assert [line.text for line in layout.lines] == [LONG_TEXT]
    assert layout.lines[0].width > 600


def test_long_words_are_split(fonts):
    word = "Supercalifragilisticexpialidocious" * 2
    layout, _ = _layout(fonts, word, 40, Wrap(dynamic=False, max_width=200), None)
    assert "".join(line.text for line in layout.lines) == word
    assert all(line.width <= 200 for line in layout.lines)


def test_line_gap(fonts):
    tight, _ = _layout(fonts, "one\ntwo", 30, Wrap(dynamic=False, line_gap=0), None)
    loose, _ = _layout(fonts, "one\ntwo", 30, Wrap(dynamic=False, line_gap=50), None)
    tight_step = tight.lines[1].y - tight.lines[0].y
    assert loose.lines[1].y - loose.lines[0].y == pytest.approx(tight_step + 50)


words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=14),
    min_size=1,
    max_size=30,
)


@given(
    words=words,
    size=st.integers(min_value=10, max_value=60),
    shape=st.sampled_from(sorted(SHAPES)),
    y=st.one_of(st.just("center"), st.integers(min_value=0, max_value=550)),
    x=st.sampled_from(["left", "center", "right"]),
)
def test_property_lines_fit_the_shape_or_the_fallback(fonts, words, size, shape, y, x):
    text = " ".join(words)
    layout, geometry = _layout(fonts, text, size, Wrap(), shape, x=x, y=y)
    assert "".join(line.text for line in layout.lines).replace(" ", "") == text.replace(" ", "")
    for line in layout.lines:
        if len(line.text) <= 1:
            continue  # a single glyph wider than the room left is still drawn
        span = geometry.span_between(line.y, line.y + layout.line_height)
        if span is not None and span[1] - span[0] - 2 * PAD >= layout.line_height:
            assert line.x >= span[0] + PAD - 0.5
            assert line.x + line.width <= span[1] - PAD + 0.5
        else:  # no room in the shape here: the canvas less its padding
            assert line.x >= PAD - 0.5 and line.x + line.width <= 600 - PAD + 0.5


def test_rendered_text_pixels_stay_inside_the_hexagon(render):
    text = text_layer(LONG_TEXT, color="#FF0000", font={"path": "Arial.ttf", "size": 36})
    image = render(body(shape_layer("hexagon"), text)).convert("RGB")
    geometry = shape_geometry(SHAPES["hexagon"], 1.0, 600)
    pixels = image.load()
    red = 0
    for y in range(0, 600):
        for x in range(0, 600, 2):
            r, g, _ = pixels[x, y]
            if r > 200 and g < 120:
                red += 1
                left, right = geometry.span_at(y)
                assert left + PAD - 2 <= x <= right - PAD + 2, (x, y)
    assert red > 500


@pytest.mark.parametrize(
    "layer",
    [
        text_layer("W" * 2000, font={"path": "Arial", "size": 1}, wrap={"max_width": 1}),
        text_layer("ab " * 666, font={"path": "Arial", "size": 6}),
        text_layer("W" * 2000, font={"path": "Arial", "size": 400}),
    ],
)
def test_worst_case_text_layers_stay_fast(render, layer):
    """64 layers of text built to make line breaking slow still render in bounded time."""
    import time

    from badgeapp.layered import ValidationFailed

    start = time.perf_counter()
    try:
        render(body(shape_layer("hexagon"), *[dict(layer, z=i) for i in range(63)]))
    except ValidationFailed as exc:  # text that cannot fit its shape is refused (issue 11)
        assert exc.errors[0]["loc"][-1] == "text"
    # a bound, not a speed target (bench_heavy measures that): seconds, never minutes, even on
    # a loaded 2-core machine
    assert time.perf_counter() - start < 30
