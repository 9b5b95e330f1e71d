"""Properties of the nice badge's display rules: count formatting, style, colour and label."""

from __future__ import annotations

import re

import pytest
from defusedxml import ElementTree
from hypothesis import given
from hypothesis import strategies as st

from badgeapp.families.nice import (
    COLOR,
    STYLES,
    badge_spec,
    format_count,
    parse_color,
    parse_label,
    parse_style,
)
from badgeapp.render import render_svg

#: shields' metric scale: three digits at most per prefix (issue 11 item 17: never "1000M")
_SHAPE = re.compile(r"^(0|[1-9]\d{0,2}|[1-9](\.[1-9])?[kMGTPEZY]|[1-9]\d{1,2}[kMGTPEZY])$")
_SCALE = {"": 1, **{p: 1000 ** (i + 1) for i, p in enumerate("kMGTPEZY")}}


def _value(text: str) -> float:
    unit = text[-1] if text[-1] in _SCALE else ""
    return float(text.rstrip("kMGTPEZY")) * _SCALE[unit]


@given(st.integers(min_value=0, max_value=10**12))
def test_format_count_shape_and_accuracy(count):
    text = format_count(count)
    assert _SHAPE.match(text), text
    if count < 1000:
        assert text == str(count)
    else:
        # one decimal (half a tenth off at most) below ten units, whole units from there on
        unit = _SCALE[text[-1]]
        error = abs(_value(text) - count)
        assert error <= (unit / 20 if count < 10 * unit else unit / 2)
        assert error <= 0.1 * count
        assert text != "1000k"


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_format_count_is_monotonic(a, b):
    low, high = sorted((a, b))
    assert _value(format_count(low)) <= _value(format_count(high))


def test_format_count_unknown_and_negative():
    assert format_count(None) == "?"
    assert format_count(-3) == "0"


@given(st.text(max_size=30))
def test_parse_style_only_ever_gives_the_four_styles(value):
    style = parse_style(value)
    assert style in STYLES
    if value.strip().lower() not in STYLES:
        assert style == "flat"


@pytest.mark.parametrize("style", STYLES)
def test_parse_style_keeps_known_styles(style):
    assert parse_style(style.upper()) == style


@given(st.text(max_size=12))
def test_parse_color_is_hex_or_amber(value):
    color = parse_color(value)
    assert re.fullmatch(r"[0-9a-f]{3}|[0-9a-f]{6}", color)
    if not re.fullmatch(r"\s*#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*", value):
        assert color == COLOR


@given(st.text(max_size=300))
def test_any_label_renders_as_well_formed_svg(label):
    text = parse_label(label)
    assert 0 < len(text) <= 255
    svg = render_svg(badge_spec(12, style="flat", color=COLOR, label=text))
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
