"""Colours as shields accepts them: palette, aliases, bare hex, CSS colours, brightness rule."""

from __future__ import annotations

import pytest

from badgeapp.render import BadgeSpec, render_svg
from badgeapp.render.colors import (
    CLASSIC_PALETTE,
    PALETTE,
    brightness,
    normalize_color,
    text_colors,
    to_svg_color,
)


@pytest.mark.parametrize(
    ("value", "normalized", "drawn"),
    [
        ("brightgreen", "brightgreen", "#4b0"),
        ("green", "green", "#67ac09"),
        ("red", "red", "#dd4343"),
        ("gray", "grey", "#555"),
        ("lightgray", "lightgrey", "#939393"),
        ("success", "brightgreen", "#4b0"),
        ("important", "orange", "#ea7233"),
        ("critical", "red", "#dd4343"),
        ("informational", "blue", "#007ec6"),
        ("inactive", "lightgrey", "#939393"),
        ("ABC", "#abc", "#abc"),
        ("a1B2c3", "#a1b2c3", "#a1b2c3"),
        ("#abcd", "#abcd", "#abcd"),
        ("#ff000080", "#ff000080", "#ff000080"),
        ("rgb(0 255 0)", "rgb(0 255 0)", "rgb(0 255 0)"),
        ("rgba(1, 2, 3, .5)", "rgba(1, 2, 3, .5)", "rgba(1, 2, 3, .5)"),
        ("hsl(120, 50%, 50%)", "hsl(120, 50%, 50%)", "hsl(120, 50%, 50%)"),
        ("aqua", "aqua", "aqua"),
    ],
)
def test_accepted_colours(value, normalized, drawn):
    assert normalize_color(value) == normalized
    assert to_svg_color(value) == drawn


@pytest.mark.parametrize(
    "value",
    ["abcd", "ff000080", "Aqua", "RGB(1,2,3)", "transparent", "nonsense", "", "#ggg", "12345"],
)
def test_rejected_colours(value):
    assert normalize_color(value) is None


def test_numbers_are_stringified():
    assert normalize_color(123) == "#123"


def test_classic_palette():
    assert to_svg_color("brightgreen", CLASSIC_PALETTE) == "#4c1"
    assert to_svg_color("success", CLASSIC_PALETTE) == "#4c1"
    assert set(PALETTE) == set(CLASSIC_PALETTE)


@pytest.mark.parametrize(
    ("color", "value"),
    [("#fff", 1.0), ("#000", 0.0), ("#4b0", 0.51), ("#dfb317", 0.68), ("aqua", 0.7), (None, 0)],
)
def test_brightness(color, value):
    assert brightness(color) == value


def test_brightness_rounds_half_up_like_to_fixed():
    # these are exactly 0.125, 0.375 and 0.625: toFixed(2) rounds up, Python's round() would not
    assert brightness("rgb(0, 51, 17)") == 0.13
    assert brightness("rgb(0, 153, 51)") == 0.38
    assert brightness("rgb(0, 255, 85)") == 0.63


def test_text_colour_by_brightness():
    assert text_colors("#555") == ("#fff", "#010101")
    assert text_colors("#fff") == ("#333", "#ccc")
    assert text_colors("#dfb317") == ("#fff", "#010101")  # 0.68 <= 0.69
    assert text_colors("aqua") == ("#333", "#ccc")  # 0.70


def test_invalid_colour_falls_back_to_brightgreen_and_grey():
    svg = render_svg(BadgeSpec(label="a", message="b", color="nonsense", label_color="nope"))
    assert 'fill="#4b0"' in svg
    assert 'fill="#555"' in svg


def test_light_background_gets_dark_text():
    svg = render_svg(BadgeSpec(label="a", message="b", color="white"))
    assert 'fill="#333"' in svg
    assert 'fill="#ccc"' in svg
