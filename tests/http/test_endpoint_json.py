"""Endpoint JSON: shields' endpoint schema, so a badgeapp URL can feed img.shields.io/endpoint."""

from __future__ import annotations

import base64

from badgeapp.render.endpoint import endpoint_json
from badgeapp.render.spec import BadgeSpec

ALLOWED = {
    "schemaVersion",
    "label",
    "message",
    "color",
    "labelColor",
    "isError",
    "namedLogo",
    "logoSvg",
    "logoColor",
    "logoSize",
    "logoWidth",
    "style",
    "cacheSeconds",
}


def test_minimal_document():
    assert endpoint_json(BadgeSpec(label="a", message="b")) == {
        "schemaVersion": 1,
        "label": "a",
        "message": "b",
    }


def test_full_document():
    doc = endpoint_json(
        BadgeSpec(
            label="a",
            message="b",
            color="green",
            label_color="#333",
            style="for-the-badge",
            logo="data:image/svg+xml;base64,AAAA",
            logo_color="white",
        ),
        is_error=True,
        named_logo="github",
        cache_seconds=600,
    )
    assert set(doc) <= ALLOWED
    assert doc["namedLogo"] == "github" and doc["logoColor"] == "white"
    assert "logoSvg" not in doc  # one or the other, as the schema demands
    assert doc["isError"] is True
    assert doc["style"] == "for-the-badge"
    assert doc["cacheSeconds"] == 600


def test_inline_svg_logo_is_reported_as_logo_svg():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    doc = endpoint_json(BadgeSpec(label="a", message="b", logo=uri, logo_color="red"))
    assert doc["logoSvg"] == svg
    assert "logoColor" not in doc  # only allowed with namedLogo
    png = endpoint_json(BadgeSpec(label="a", message="b", logo="data:image/png;base64,AAAA"))
    assert "logoSvg" not in png


def test_theme_is_reported_as_style():
    doc = endpoint_json(BadgeSpec(label="a", message="b", theme="neon"))
    assert doc["style"] == "neon"
