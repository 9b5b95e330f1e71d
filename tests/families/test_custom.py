"""The custom family: /v2/badge/custom, shields' static /badge/... path and /static/v1."""

from __future__ import annotations

import io
import urllib.parse

import defusedxml.ElementTree as SafeET
import pytest
from flask import Blueprint, Flask
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image
from werkzeug.routing import BaseConverter

from badgeapp.families.custom import escape_format, parse_static_path


class NiceIdConverter(BaseConverter):
    """Stands in for the nice-button family's converter: ids never contain a dash."""

    regex = r"[A-Za-z0-9_]+"


nice_like = Blueprint("nice_like", __name__)


@nice_like.get("/badge/<niceid:public_id>.svg")
def nice_badge(public_id: str) -> str:
    return f"nice:{public_id}"


@pytest.fixture(scope="module")
def custom_app(make_module_app) -> Flask:
    return make_module_app()


@pytest.fixture(scope="module")
def cclient(custom_app: Flask):
    return custom_app.test_client()


def _text(data: bytes) -> str:
    return SafeET.fromstring(data).get("aria-label", "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("_single leading underscore", " single leading underscore"),
        ("single trailing underscore_", "single trailing underscore "),
        ("__double leading underscores", "_double leading underscores"),
        ("double trailing underscores__", "double trailing underscores_"),
        ("treble___underscores", "treble_ underscores"),
        ("fourfold____underscores", "fourfold__underscores"),
        ("double--dashes", "double-dashes"),
        ("treble---dashes", "treble--dashes"),
        ("fourfold----dashes", "fourfold--dashes"),
        ("once_in_a_blue--moon", "once in a blue-moon"),
        ("a_b_c", "a b c"),
    ],
)
def test_escape_format_matches_shields(raw, expected):
    assert escape_format(raw) == expected


@pytest.mark.parametrize(
    ("content", "parsed"),
    [
        ("hello-green", ("", "hello", "green", None)),
        ("build-passing-brightgreen", ("build", "passing", "brightgreen", None)),
        ("build-passing-brightgreen.svg", ("build", "passing", "brightgreen", "svg")),
        ("v-1.2.3-blue.png", ("v", "1.2.3", "blue", "png")),
        ("a-b-c.json", ("a", "b", "c", "json")),
        ("a%2Db-c-d", ("a-b", "c", "d", None)),
        ("a%2Fb-c-d", ("a/b", "c", "d", None)),
        ("-msg-blue", ("", "msg", "blue", None)),
        ("nodash", None),
        ("nodash.svg", None),
        ("a-b-c-d", None),
    ],
)
def test_parse_static_path(content, parsed):
    assert parse_static_path(content) == parsed


def test_static_one_dash(cclient):
    response = cclient.get("/badge/hello-green")
    assert response.status_code == 200
    assert _text(response.data) == "hello"


def test_static_two_dashes(cclient):
    response = cclient.get("/badge/hello-world-green")
    assert response.status_code == 200
    assert _text(response.data) == "hello: world"


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/badge/build-passing-brightgreen", "build: passing"),
        ("/badge/a_b__c--d-e-blue", "a b_c-d: e"),
        ("/badge/space%20here-x-blue", "space here: x"),
        ("/badge/slash%2Finside-x-blue", "slash/inside: x"),
        ("/badge/%F0%9F%9A%80%20rocket-go-blue", "\N{ROCKET} rocket: go"),
        ("/badge/\N{ROCKET}-go-blue", "\N{ROCKET}: go"),
        ("/badge/x-y-blue?label=override", "override: y"),
        ("/badge/x-y-blue.svg?label=", "y"),
    ],
)
def test_static_texts(cclient, url, text):
    response = cclient.get(url)
    assert response.status_code == 200
    assert _text(response.data) == text


def test_static_suffixes(cclient):
    svg = cclient.get("/badge/a-b-blue.svg")
    assert svg.headers["Content-Type"] == "image/svg+xml;charset=utf-8"
    png = cclient.get("/badge/a-b-blue.png?scale=3")
    assert png.headers["Content-Type"] == "image/png"
    width = int(float(SafeET.fromstring(svg.data).get("width")))
    assert Image.open(io.BytesIO(png.data)).size == (width * 3, 60)
    doc = cclient.get("/badge/a-b-blue.json").get_json()
    assert doc == {"schemaVersion": 1, "label": "a", "message": "b", "color": "blue"}


def test_query_colour_overrides_path_colour(cclient):
    doc = cclient.get("/badge/a-b-blue.json?color=red").get_json()
    assert doc["color"] == "red"


def test_static_badge_cache_headers(cclient):
    response = cclient.get("/badge/a-b-blue")
    assert response.headers["Cache-Control"] == (
        "public, max-age=86400, s-maxage=86400, stale-while-revalidate=86400"
    )


@pytest.mark.parametrize("url", ["/badge/nodash", "/badge/a-b-c-d", "/badge/"])
def test_not_a_static_badge_is_404_badge(cclient, url):
    response = cclient.get(url)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert _text(response.data) == "404: badge not found"


def test_static_json_not_found(cclient):
    response = cclient.get("/badge/nodash.json")
    assert response.status_code == 404
    assert response.get_json()["error"] == "BadgeNotFound"


def test_coexists_with_nice_button_route():
    """The nice family's ``/badge/<id>.svg`` (no dash) wins; shields URLs still reach us.

    A minimal app holds just the two rules, so the test depends on no other family.
    """
    from badgeapp.families.custom import bp

    app = Flask(__name__)
    app.url_map.converters["niceid"] = NiceIdConverter
    app.register_blueprint(bp)
    app.register_blueprint(nice_like)
    client = app.test_client()
    assert client.get("/badge/abc_123.svg").data == b"nice:abc_123"
    assert _text(client.get("/badge/hello-green.svg").data) == "hello"
    assert _text(client.get("/badge/hello-world-green.svg").data) == "hello: world"
    assert _text(client.get("/badge/hello-green").data) == "hello"


def test_custom_badge(cclient):
    response = cclient.get("/v2/badge/custom?label=Hello&value=World&color=blue&style=flat")
    assert response.status_code == 200
    assert _text(response.data) == "Hello: World"
    assert response.headers["Content-Type"] == "image/svg+xml;charset=utf-8"


@pytest.mark.parametrize(
    "url",
    [
        "/v2/badge/custom?label=Build&value=Passing&color=green&style=cyberpunk&animated=true",
        "/v2/badge/custom?label=Build&value=Passing&style=neon",
        "/v2/badge/custom?label=Build&value=Passing&icon=star",
        "/v2/badge/custom?label=Build&value=Passing&logo=github&logoColor=white",
        "/v2/badge/custom?label=Build&value=Passing&link=https://a.example&link=https://b.example",
        "/v2/badge/custom?label=Build&value=Passing&theme=glass&labelColor=333",
    ],
)
def test_custom_badge_parameters(cclient, url):
    response = cclient.get(url)
    assert response.status_code == 200
    assert _text(response.data) in ("Build: Passing", "")  # linked badges carry no aria-label
    assert b"Passing" in response.data


def test_custom_badge_formats(cclient):
    doc = cclient.get("/v2/badge/custom?label=a&value=b&format=json").get_json()
    assert doc == {"schemaVersion": 1, "label": "a", "message": "b", "color": "lightgrey"}
    png = cclient.get("/v2/badge/custom?label=a&value=b&format=png")
    assert png.headers["Content-Type"] == "image/png"
    suffixed = cclient.get("/v2/badge/custom.json?label=a&value=b").get_json()
    assert suffixed == doc


def test_custom_badge_message_alias(cclient):
    assert _text(cclient.get("/v2/badge/custom?label=a&message=b").data) == "a: b"


def test_custom_badge_without_value_is_an_error_badge(cclient):
    image = cclient.get("/v2/badge/custom?label=a")
    assert image.status_code == 200
    assert _text(image.data) == "a: invalid parameter"
    data = cclient.get("/v2/badge/custom?label=a&format=json")
    assert data.status_code == 400
    assert data.get_json()["error"] == "InvalidParameter"


def test_custom_badge_limits(cclient):
    response = cclient.get(
        "/v2/badge/custom?label=" + "L" * 600 + "&value=" + "v" * 600 + "&format=json"
    )
    doc = response.get_json()
    assert doc["label"] == "L" * 255
    assert doc["message"] == "v" * 255


def test_custom_badge_escapes_markup(cclient):
    response = cclient.get(
        "/v2/badge/custom?label=%3Cscript%3Ealert(1)%3C/script%3E&value=%22%27%26"
        "&color=%22%3E%3Cscript%3E&link=javascript:alert(1)"
    )
    root = SafeET.fromstring(response.data)
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert "script" not in tags
    assert b"<script" not in response.data
    assert b"javascript:" not in response.data
    assert _text(response.data) == "<script>alert(1)</script>: \"'&"


def test_static_v1(cclient):
    response = cclient.get("/static/v1?label=a&message=b&color=red")
    assert _text(response.data) == "a: b"
    assert cclient.get("/static/v1.json?label=a&message=b").get_json()["color"] == "lightgrey"
    missing = cclient.get("/static/v1?label=a")
    assert _text(missing.data) == "a: invalid parameter"


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/badge/%2Fusr-bin-blue", "/usr: bin"),
        ("/badge/a%2F%2Fb-c-blue", "a//b: c"),
        ("/badge/x-a%2F-blue", "x: a/"),
    ],
)
def test_slashes_inside_segments_survive(cclient, url, text):
    response = cclient.get(url)
    assert response.status_code == 200
    assert _text(response.data) == text


def test_invalid_colours_fall_back(cclient):
    from badgeapp.render.colors import to_svg_color

    svg = cclient.get("/badge/a-b-notacolour?labelColor=%22%3E%3Cx").data.decode()
    assert f'fill="{to_svg_color("brightgreen")}"' in svg  # shields' renderer default
    assert 'fill="#555"' in svg
    assert "notacolour" not in svg


def _shields_escape(text: str) -> str:
    """How a shields URL builder writes one static-badge segment."""
    escaped = text.replace("_", "__").replace("-", "--").replace(" ", "_")
    return urllib.parse.quote(escaped, safe="-_")


SEGMENT_TEXT = st.text(min_size=1, max_size=20).filter(
    lambda t: not t.startswith("-") and not t.endswith("-")
)


@given(
    st.one_of(st.just(""), SEGMENT_TEXT),
    SEGMENT_TEXT,
    st.text(alphabet="abcdefABCDEF0123456789", min_size=1, max_size=8),
    st.sampled_from([None, "svg", "png", "json"]),
)
def test_static_path_round_trip(label, message, color, fmt):
    """Whatever a shields URL builder encodes, the parser gives back."""
    content = "-".join(_shields_escape(part) for part in (label, message)) + "-" + color
    if not label:
        content = content[1:]  # message-colour form
    if fmt:
        content += "." + fmt
    assert parse_static_path(content) == (label, message, color, fmt)


STATIC_PIECES = ["-", "--", ".", "a", "b", "_", "%2D", ".svg", ".png", ".json", "svg", "\n"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(STATIC_PIECES), max_size=12).map("".join))
@example("a-b-a-b")  # three single dashes: no static badge
@example("a-b.svg-c")  # a dot before the colour's dash is the message's
def test_static_paths_parse_as_shields_pattern_matches(content):
    """Paths without ``--`` are split without the pattern; every split is the pattern's."""
    from badgeapp.families.custom import _STATIC

    match = _STATIC.fullmatch(content)
    expected = None
    if match is not None:
        label, message, color, fmt = (urllib.parse.unquote(g or "") for g in match.groups())
        expected = escape_format(label), escape_format(message), color, fmt or None
    assert parse_static_path(content) == expected
