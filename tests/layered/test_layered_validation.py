"""Request validation: FastAPI-style error locations, limits, and no crash on any JSON."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from layered_builders import body, image_layer, shape_layer, text_layer

from badgeapp.builtin.assets import BUILTIN_ASSETS
from badgeapp.layered import AssetLibrary, ValidationFailed, parse_request
from badgeapp.layered.compose import compose
from badgeapp.layered.schema import DynamicSize, ExactSize, ImageLayer, TextLayer
from badgeapp.layered.validation import MAX_LAYERS, MAX_TEXT_CHARS

BUILTIN_LIBRARY = AssetLibrary([BUILTIN_ASSETS])


def errors_of(request_body) -> list[dict]:
    with pytest.raises(ValidationFailed) as caught:
        parse_request(request_body)
    return caught.value.errors


def locs(request_body) -> list[list]:
    return [error["loc"] for error in errors_of(request_body)]


def test_the_spec_example_is_valid(example):
    config = parse_request(example)
    assert [layer.z for _, layer in config.layers] == [0, 10, 20, 30, 31]
    assert config.canvas.scale_factor == 1.0


def test_defaults():
    config = parse_request({"layers": [text_layer("x"), image_layer()]})
    assert config.canvas.bg == (255, 255, 255, 255)
    text = next(layer for _, layer in config.layers if isinstance(layer, TextLayer))
    assert (text.align_x, text.align_y) == ("center", "center")
    assert text.wrap.dynamic is True and text.wrap.line_gap == 6 and text.wrap.max_width is None
    image = next(layer for _, layer in config.layers if isinstance(layer, ImageLayer))
    assert (image.x, image.y, image.opacity, image.size) == ("center", "center", 1.0, None)


def test_wrap_with_only_max_width_is_fixed_width():
    config = parse_request(body(text_layer("x", wrap={"max_width": 400, "line_gap": 8})))
    wrap = config.layers[0][1].wrap
    assert (wrap.dynamic, wrap.max_width, wrap.line_gap) == (False, 400, 8)
    config = parse_request(body(text_layer("x", wrap={"dynamic": True, "max_width": 400})))
    assert config.layers[0][1].wrap.dynamic is True


def test_image_sizes_and_top_level_y():
    layers = [
        image_layer(size=150),
        image_layer(size={"width": 200, "height": 100}),
        image_layer(size={"dynamic": True, "max_width": 300, "max_height": 150, "max_upscale": 2}),
        image_layer(position={"x": "left", "y": "top"}, y=150),
    ]
    config = parse_request(body(*layers))
    sizes = [layer.size for _, layer in config.layers]
    assert sizes[0] == 150.0
    assert sizes[1] == ExactSize(200, 100)
    assert sizes[2] == DynamicSize(300, 150, 2.0)
    assert (config.layers[3][1].x, config.layers[3][1].y) == ("left", 150.0)


def test_equal_z_keeps_request_order():
    config = parse_request(body(text_layer("a", z=5), text_layer("b", z=1), text_layer("c", z=5)))
    assert [layer.text for _, layer in config.layers] == ["b", "a", "c"]
    assert [index for index, _ in config.layers] == [1, 0, 2]


@pytest.mark.parametrize(
    ("layer", "loc"),
    [
        (text_layer(font={"path": "Arial", "size": 0}), ["font", "size"]),
        (text_layer(font={"path": "Arial", "size": 12.5}), ["font", "size"]),
        (text_layer(font={"path": "Arial", "size": True}), ["font", "size"]),
        (text_layer(font={"size": 10}), ["font", "path"]),
        (text_layer(font="Arial"), ["font"]),
        (text_layer(text=None), ["text"]),
        (text_layer(color="rgb(1,2,3)"), ["color"]),
        (text_layer(align={"x": "middle"}), ["align", "x"]),
        (text_layer(align={"y": "middle"}), ["align", "y"]),
        (text_layer(wrap={"line_gap": -1}), ["wrap", "line_gap"]),
        (text_layer(wrap={"dynamic": "yes"}), ["wrap", "dynamic"]),
        (text_layer(z="top"), ["z"]),
        (shape_layer("triangle"), ["shape"]),
        (shape_layer(fill={"mode": "pattern"}), ["fill", "mode"]),
        (shape_layer(fill={"mode": "solid"}), ["fill", "color"]),
        (shape_layer(fill={"mode": "gradient", "start_color": "red"}), ["fill", "end_color"]),
        (shape_layer(border={"color": "red", "width": 21}), ["border", "width"]),
        (shape_layer(params={}), ["params", "radius"]),
        (
            shape_layer("rounded_rect", params={"width": 10, "height": 10, "radius": 101}),
            ["params", "radius"],
        ),
        (shape_layer("rounded_rect", params={"height": 10}), ["params", "width"]),
        ({"type": "ShapeLayer", "shape": "circle", "params": {"radius": 1}, "z": 1}, ["fill"]),
        ({"type": "BackgroundLayer", "mode": "gradient", "color": "red", "z": 0}, ["mode"]),
        ({"type": "BackgroundLayer", "mode": "solid", "z": 0}, ["color"]),
        ({"mode": "solid", "z": 0}, ["type"]),
        (image_layer(opacity=1.5), ["opacity"]),
        (image_layer(size=0), ["size"]),
        (image_layer(size={"width": "wide"}), ["size", "width"]),
        (image_layer(size={}), ["size"]),
        (image_layer(position={"x": "middle"}), ["position", "x"]),
        (image_layer(y="middle"), ["y"]),
        (image_layer(path="x" * 300), ["path"]),
        ("not a layer", []),
    ],
)
def test_errors_name_the_field(layer, loc):
    assert ["body", "layers", 0, *loc] in locs(body(layer))


def test_canvas_errors():
    found = locs({"canvas": {"bg": "nocolour", "scale_factor": 5}, "layers": []})
    assert ["body", "canvas", "bg"] in found and ["body", "canvas", "scale_factor"] in found
    assert locs({"canvas": {"scale_factor": 0.05}, "layers": []}) == [
        ["body", "canvas", "scale_factor"]
    ]
    assert locs({"canvas": [], "layers": []}) == [["body", "canvas"]]


def test_every_error_is_reported_at_once():
    found = locs(body(text_layer(font={"path": 1, "size": 0}), shape_layer("blob")))
    assert ["body", "layers", 0, "font", "path"] in found
    assert ["body", "layers", 0, "font", "size"] in found
    assert ["body", "layers", 1, "shape"] in found


def test_limits():
    assert (MAX_LAYERS, MAX_TEXT_CHARS) == (64, 2000)  # the limits issue 6 names
    assert locs(body(*[text_layer("x")] * (MAX_LAYERS + 1))) == [["body", "layers"]]
    parse_request(body(*[text_layer("x")] * MAX_LAYERS))
    parse_request(body(text_layer("x" * MAX_TEXT_CHARS)))
    assert locs(body(text_layer("x" * (MAX_TEXT_CHARS + 1)))) == [["body", "layers", 0, "text"]]


def test_colours_accept_hex_and_css_names():
    for colour in ("#fff", "#FFFFFF", "#ffffff80", "white", "RebeccaPurple", "transparent"):
        parse_request(body(text_layer(color=colour)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
LAYER_KEYS = "z mode color shape fill params border text font align wrap path size position y"
layer_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["BackgroundLayer", "ShapeLayer", "TextLayer", "ImageLayer"])},
    optional={key: json_values for key in [*LAYER_KEYS.split(), "opacity"]},
)


@given(st.one_of(json_values, st.fixed_dictionaries({"layers": st.lists(layer_like, max_size=4)})))
def test_property_any_json_validates_or_fails_cleanly(value):
    try:
        parse_request(value)
    except ValidationFailed as exc:
        assert exc.errors
        for error in exc.errors:
            assert error["loc"][0] == "body"
            assert isinstance(error["msg"], str) and error["msg"]


colours = st.sampled_from(["#FFD700", "#f00", "#00000080", "navy", "transparent", "white"])
numbers = st.integers(min_value=-600, max_value=1200)
x_positions = st.one_of(st.sampled_from(["left", "center", "right"]), numbers)
y_positions = st.one_of(st.sampled_from(["top", "center", "bottom"]), numbers)
z_values = st.integers(-5, 50)
fills = st.one_of(
    st.fixed_dictionaries({"mode": st.just("solid"), "color": colours}),
    st.fixed_dictionaries(
        {
            "mode": st.just("gradient"),
            "start_color": colours,
            "end_color": colours,
            "vertical": st.booleans(),
        }
    ),
)
image_sizes = st.one_of(
    st.none(),
    st.integers(1, 600),
    st.fixed_dictionaries({"width": st.integers(1, 600), "height": st.integers(1, 600)}),
    st.fixed_dictionaries(
        {
            "dynamic": st.just(True),
            "max_width": st.integers(1, 600),
            "max_height": st.integers(1, 600),
            "max_upscale": st.floats(0.01, 16),
        }
    ),
)
valid_layers = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("BackgroundLayer"),
            "mode": st.just("solid"),
            "color": colours,
            "z": z_values,
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("ShapeLayer"),
            "shape": st.sampled_from(["hexagon", "circle", "rounded_rect"]),
            "params": st.fixed_dictionaries(
                {
                    "radius": st.integers(1, 100),
                    "width": st.integers(1, 600),
                    "height": st.integers(1, 600),
                }
            ),
            "fill": fills,
            "border": st.one_of(
                st.none(), st.fixed_dictionaries({"color": colours, "width": st.integers(0, 20)})
            ),
            "z": z_values,
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("TextLayer"),
            "text": st.text(max_size=60),
            "font": st.fixed_dictionaries(
                {"path": st.just("Arial.ttf"), "size": st.integers(1, 400)}
            ),
            "align": st.fixed_dictionaries({"x": x_positions, "y": y_positions}),
            "wrap": st.one_of(
                st.just({"dynamic": True}),
                st.fixed_dictionaries({"max_width": st.integers(1, 600)}),
                st.just({"dynamic": False, "max_width": None}),
            ),
            "z": z_values,
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("ImageLayer"),
            "path": st.sampled_from(["icons/star.png", "icons/trophy.png", "icons/heart.png"]),
            "size": image_sizes,
            "position": st.fixed_dictionaries({"x": x_positions, "y": y_positions}),
            "opacity": st.floats(0, 1),
            "z": z_values,
        }
    ),
)


@given(
    layers=st.lists(valid_layers, max_size=5),
    scale=st.sampled_from([0.1, 0.25, 0.37]),
    bg=colours,
)
def test_property_every_valid_request_renders(fonts, layers, scale, bg):
    """Every valid request draws a canvas of its size, or is refused with the one rule only
    drawing can check: wrapped text that does not fit inside its shape (a 422 naming the layer)."""
    request_body = {"canvas": {"bg": bg, "scale_factor": scale}, "layers": layers}
    try:
        image = compose(parse_request(request_body), fonts, BUILTIN_LIBRARY)
    except ValidationFailed as exc:
        assert all("does not fit" in error["msg"] for error in exc.errors), exc.errors
        assert all(error["loc"][-1] == "text" for error in exc.errors), exc.errors
        return
    assert image.size == (round(600 * scale),) * 2


def test_work_budget_bounds_layers_times_scale_squared():
    from badgeapp.layered.validation import MAX_LAYER_WORK, ValidationFailed, parse_request

    circle = {
        "type": "ShapeLayer",
        "shape": "circle",
        "fill": {"mode": "solid", "color": "red"},
        "params": {"radius": 250},
        "z": 10,
    }
    assert MAX_LAYER_WORK == 128
    parse_request({"canvas": {"scale_factor": 1}, "layers": [circle] * 64})
    parse_request({"canvas": {"scale_factor": 4}, "layers": [circle] * 8})
    with pytest.raises(ValidationFailed) as refused:
        parse_request({"canvas": {"scale_factor": 4}, "layers": [circle] * 9})
    assert refused.value.errors[0]["loc"] == ["body", "layers"]
    assert "too much work" in refused.value.errors[0]["msg"]
