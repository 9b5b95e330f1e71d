"""Logos, icons and themes through the response path, including ones that plugins add."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import defusedxml.ElementTree as SafeET
import pytest
from flask import Flask

from badgeapp.http import render_cache

SVG = "{http://www.w3.org/2000/svg}"

PLUGIN = textwrap.dedent(
    """
    from badgeapp import hookimpl

    @hookimpl
    def badgeapp_themes():
        return [{"name": "sunset", "label_color": "#123456", "color": "#654321"}]

    @hookimpl
    def badgeapp_icons():
        return {"rocketship": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
                              '<path d="M2 2h20v20H2z"/></svg>'}
    """
)


@pytest.fixture(scope="module")
def plugin_app(make_module_app) -> Iterator[Flask]:
    app = make_module_app(plugins={"sunset_theme": PLUGIN})
    render_cache.clear()
    yield app
    render_cache.clear()


def _images(data: bytes) -> list[str]:
    root = SafeET.fromstring(data)
    return [el.get("href") or "" for el in root.iter(SVG + "image")]


@pytest.mark.parametrize("param", ["logo", "icon"])
@pytest.mark.parametrize("name", ["github", "python", "star", "heart"])
def test_logo_and_icon_names(bclient, param, name):
    data = bclient.get(f"/v2/badge/custom?label=a&value=b&{param}={name}").data
    images = _images(data)
    assert len(images) == 1
    assert images[0].startswith("data:image/svg+xml")


def test_unknown_logo_is_ignored(bclient):
    response = bclient.get("/v2/badge/custom?label=a&value=b&logo=no-such-logo-anywhere")
    assert response.status_code == 200
    assert _images(response.data) == []


def test_logo_wins_over_icon(bclient):
    both = bclient.get("/v2/badge/custom?label=a&value=b&logo=github&icon=star").data
    alone = bclient.get("/v2/badge/custom?label=a&value=b&logo=github").data
    assert both == alone


def test_malicious_data_logo_is_sanitised(bclient):
    import base64

    evil = (
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(evil.encode()).decode()
    data = bclient.get("/v2/badge/custom", query_string={"value": "b", "logo": uri}).data
    assert b"<script" not in data and b"onload" not in data
    for href in _images(data):
        decoded = base64.b64decode(href.split(",", 1)[1]).decode()
        assert "script" not in decoded and "onload" not in decoded


def test_named_logo_in_json(bclient):
    doc = bclient.get("/v2/badge/custom?value=b&logo=github&logoColor=white&format=json").get_json()
    assert doc["namedLogo"] == "github"
    assert doc["logoColor"] == "white"


def test_theme_by_style_name(bclient):
    neon = bclient.get("/v2/badge/custom?label=a&value=b&style=neon").data
    flat = bclient.get("/v2/badge/custom?label=a&value=b&style=flat").data
    themed = bclient.get("/v2/badge/custom?label=a&value=b&theme=neon").data
    assert neon != flat
    assert neon == themed


def test_plugin_theme_and_icon(plugin_app):
    client = plugin_app.test_client()
    themed = client.get("/v2/badge/custom?label=a&value=b&style=sunset")
    assert themed.status_code == 200
    assert b"#123456" in themed.data
    plain = client.get("/v2/badge/custom?label=a&value=b")
    assert b"#123456" not in plain.data
    icon = client.get("/v2/badge/custom?label=a&value=b&icon=rocketship")
    assert len(_images(icon.data)) == 1
    png = client.get("/v2/badge/custom?label=a&value=b&style=sunset&format=png")
    assert png.headers["Content-Type"] == "image/png"
