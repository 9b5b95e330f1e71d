"""Anything a user can type gives a valid badge: never a 500, always parseable SVG/JSON/PNG."""

from __future__ import annotations

import io
import json
import urllib.parse

import defusedxml.ElementTree as SafeET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

PARAMS = [
    "label",
    "value",
    "message",
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
VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "svg",
            "png",
            "json",
            "neon",
            "for-the-badge",
            "social",
            "plastic-old",
            "github",
            "star",
            "data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4=",
            "javascript:alert(1)",
            "https://example.com/x",
            "#fff",
            "rgb(1,2,3)",
            "-1",
            "4",
            "true",
        ]
    ),
)
QUERY = st.lists(st.tuples(st.sampled_from(PARAMS) | st.text(max_size=6), VALUES), max_size=10)
SEGMENT = st.text(max_size=30)

FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed"}


def _check(response) -> None:
    assert response.status_code < 500, response.data[:300]
    kind = response.headers["Content-Type"]
    if kind.startswith("image/svg+xml"):
        root = SafeET.fromstring(response.data)
        for element in root.iter():
            assert element.tag.split("}")[-1] not in FORBIDDEN_TAGS
            for name, value in element.attrib.items():
                assert not name.split("}")[-1].lower().startswith("on")
                if name.split("}")[-1] == "href":
                    assert value.startswith(("http://", "https://", "data:image/", "#")), value
        assert "internal error" not in (root.get("aria-label") or "")
    elif kind == "image/png":
        image = Image.open(io.BytesIO(response.data))
        image.verify()
    else:
        assert kind.startswith("application/json")
        json.loads(response.data)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERY)
def test_custom_query_never_breaks(bclient, pairs):
    _check(bclient.get("/v2/badge/custom?" + urllib.parse.urlencode(pairs)))


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SEGMENT, SEGMENT, SEGMENT, st.sampled_from(["", ".svg", ".png", ".json"]), QUERY)
def test_static_path_never_breaks(bclient, label, message, color, suffix, pairs):
    path = "-".join(urllib.parse.quote(part, safe="") for part in (label, message, color))
    _check(bclient.get(f"/badge/{path}{suffix}?" + urllib.parse.urlencode(pairs)))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60), QUERY)
def test_raw_path_never_breaks(bclient, raw, pairs):
    """Unescaped text straight into the path, dashes and underscores included."""
    path = urllib.parse.quote(raw, safe="-_.~%/")
    _check(bclient.get(f"/badge/{path}?" + urllib.parse.urlencode(pairs)))
