"""The common engine parameters: shields' global query parameters plus badgeapp's own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from badgeapp.errors import InvalidParameter, NotFound
from badgeapp.http.query import (
    BUILTIN_THEMES,
    MAX_TEXT,
    BadgeQuery,
    parse_links,
    parse_query,
    parse_style,
    spec_from_args,
)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("flat", ("flat", None)),
        ("flat-square", ("flat-square", None)),
        ("plastic", ("plastic", None)),
        ("for-the-badge", ("for-the-badge", None)),
        ("social", ("social", None)),
        ("FLAT-SQUARE", ("flat-square", None)),
        ("neon", ("flat", "neon")),
        ("cyberpunk", ("flat", "cyberpunk")),
        ("hacker-green", ("flat", "hacker-green")),
        ("plastic-old", ("flat", None)),  # retired names draw flat
        ("default", ("flat", None)),
        ("", ("flat", None)),
        ("<script>", ("flat", None)),
        (None, ("flat", None)),
    ],
)
def test_style(style, expected):
    assert parse_style(style) == expected


def test_explicit_theme_wins_and_unknown_theme_is_ignored():
    assert parse_style("plastic", "glass") == ("plastic", "glass")
    assert parse_style("neon", "nope") == ("flat", "neon")
    assert parse_style("flat", "nope") == ("flat", None)


def test_platform_themes_are_known():
    platform = {"classic", "flat", "pixel", "neon", "cyberpunk", "glass", "hacker-green"}
    assert platform | {"minimal", "transparent"} <= set(BUILTIN_THEMES)


def test_legacy_colours_only_when_modern_absent():
    q = parse_query({"colorA": "red", "colorB": "blue"})
    assert (q.label_color, q.color) == ("red", "blue")
    q = parse_query({"colorA": "red", "colorB": "blue", "labelColor": "green", "color": "pink"})
    assert (q.label_color, q.color) == ("green", "pink")


def test_user_overrides_win_over_family_values():
    q = parse_query({"label": "mine", "color": "red"})
    spec = q.spec(label="family", message="1", color="blue", label_color="#333")
    assert (spec.label, spec.color, spec.label_color) == ("mine", "red", "#333")
    spec = parse_query({}).spec(label="family", message="1", color="blue")
    assert (spec.label, spec.color) == ("family", "blue")


def test_empty_label_override_removes_the_label():
    assert parse_query({"label": ""}).spec(label="family", message="1").label == ""


@pytest.mark.parametrize("error", [InvalidParameter(), NotFound()])
def test_error_spec_ignores_user_colours(error):
    q = parse_query({"color": "blue", "labelColor": "pink", "label": "mine", "style": "social"})
    spec = q.error_spec(error, label="family")
    assert spec.color == "red"
    assert spec.label_color is None
    assert spec.label == "mine"
    assert spec.message == error.message
    assert spec.style == "social"


def test_text_is_trimmed_and_cut():
    q = parse_query({"label": "  " + "x" * 400 + "  "})
    spec = q.spec(message="\t" + "y" * 300)
    assert spec.label == "x" * MAX_TEXT
    assert spec.message == "y" * MAX_TEXT
    assert MAX_TEXT == 255  # the limit issue 3 names


def test_links_http_only_max_two():
    assert parse_links(
        [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://a.example/x",
            "ftp://b.example",
            "http://c.example",
            "https://d.example",
            "/relative",
        ]
    ) == ("https://a.example/x", "http://c.example")
    assert parse_links(["https://a.example/\x00x"]) == ()
    assert parse_links(["http://"]) == ()
    q = parse_query(MultiDict([("link", "https://l.example"), ("link", "https://r.example")]))
    assert q.links == ("https://l.example", "https://r.example")


@pytest.mark.parametrize(
    ("args", "fmt"),
    [
        ({}, "svg"),
        ({"format": "png"}, "png"),
        ({"format": "JSON"}, "json"),
        ({"format": "gif"}, "svg"),
        ({"format": ""}, "svg"),
    ],
)
def test_format(args, fmt):
    assert parse_query(args).fmt == fmt


def test_path_suffix_wins_over_format_param():
    assert parse_query({"format": "json"}, fmt="png").fmt == "png"


@pytest.mark.parametrize(
    ("value", "scale"), [(None, 2), ("1", 1), ("4", 4), ("9", 4), ("0", 1), ("-3", 1), ("x", 2)]
)
def test_scale(value, scale):
    args = {} if value is None else {"scale": value}
    assert parse_query(args).scale == scale


@pytest.mark.parametrize(
    ("args", "seconds"),
    [
        ({}, None),
        ({"cacheSeconds": "600"}, 600),
        ({"maxAge": "600"}, 600),
        ({"cacheSeconds": "1e3"}, 1000),
        ({"cacheSeconds": "-1"}, None),
        ({"cacheSeconds": "nan"}, None),
        ({"cacheSeconds": "inf"}, None),
    ],
)
def test_cache_seconds(args, seconds):
    assert parse_query(args).cache_seconds == seconds


@pytest.mark.parametrize(("value", "animated"), [("true", True), ("1", True), ("no", False)])
def test_animated(value, animated):
    assert parse_query({"animated": value}).animated is animated


def test_icon_is_an_alias_of_logo():
    assert parse_query({"icon": "x" * 9000}).logo is None  # oversized: ignored, no error


def test_spec_from_args_shortcut():
    spec, query = spec_from_args({"style": "neon"}, label="a", message="b", color="blue")
    assert isinstance(query, BadgeQuery)
    assert (spec.label, spec.message, spec.color, spec.style, spec.theme) == (
        "a",
        "b",
        "blue",
        "flat",
        "neon",
    )


NAMES = st.sampled_from(
    [
        "label",
        "color",
        "labelColor",
        "colorA",
        "colorB",
        "style",
        "theme",
        "logo",
        "icon",
        "logoColor",
        "link",
        "animated",
        "format",
        "scale",
        "cacheSeconds",
        "maxAge",
    ]
)


@given(st.lists(st.tuples(NAMES | st.text(max_size=8), st.text(max_size=300)), max_size=12))
def test_parse_query_never_fails(pairs):
    query = parse_query(MultiDict(pairs))
    assert query.fmt in ("svg", "json", "png")
    assert 1 <= query.scale <= 4
    assert len(query.links) <= 2
    spec = query.spec(label="l", message="m")
    assert len(spec.label) <= MAX_TEXT and len(spec.message) <= MAX_TEXT
    hash(spec)  # usable as a render-cache key
