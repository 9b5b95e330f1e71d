"""Logos: simple-icons slugs, named icons, data URIs, and the SVG sanitiser's every trick."""

from __future__ import annotations

import base64
import urllib.parse

import defusedxml.ElementTree as ET
import pytest

from badgeapp.render import BadgeSpec, render_svg
from badgeapp.render.logos import MAX_DATA_URI, resolve_logo

SVG_NS = "{http://www.w3.org/2000/svg}"


def decode(uri: str) -> str:
    header, payload = uri.split(",", 1)
    assert header.endswith(";base64")
    return base64.b64decode(payload).decode()


def svg_uri(markup: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(markup.encode()).decode()


def test_brand_slug_from_simple_icons():
    uri = resolve_logo("github", None)
    svg = decode(uri)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert "<title>GitHub</title>" in svg
    # GitHub's brand colour #181717 is too dark for a badge: shields draws it whitesmoke
    assert 'fill="whitesmoke"' in svg


def test_brand_colour_kept_when_readable_and_dark_on_social():
    assert 'fill="#3776ab"' in decode(resolve_logo("python", None))
    # JavaScript's #f7df1e is too bright for the light social button: shields draws it #333
    assert 'fill="#f7df1e"' in decode(resolve_logo("javascript", None))
    assert 'fill="#333"' in decode(resolve_logo("javascript", None, style="social"))


def test_logo_color_is_normalised_like_badge_colours():
    assert 'fill="#dd4343"' in decode(resolve_logo("github", "red"))
    assert 'fill="#abc"' in decode(resolve_logo("github", "abc"))


def test_slug_rules_case_spaces_aliases():
    assert resolve_logo("GitHub", None) == resolve_logo("github", None)
    assert resolve_logo("travis", None) == resolve_logo("travisci", None)
    assert resolve_logo("GITHUB", None) == resolve_logo(" github ", None)


def test_unknown_logo_is_none():
    assert resolve_logo("definitely-not-a-brand-xyz", None) is None
    assert resolve_logo("", None) is None


def test_generic_icons_and_plugin_icons_first():
    star = decode(resolve_logo("star", "yellow"))
    assert 'fill="#d8b800"' in star
    mine = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect id="mine"/></svg>'
    assert 'id="mine"' in decode(resolve_logo("github", None, icons={"github": mine}))


def test_png_data_uri_kept():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 20).decode()
    assert resolve_logo("data:image/png;base64," + png, "red") == "data:image/png;base64," + png


def test_plus_signs_turned_into_spaces_by_a_query_string_are_restored():
    uri = svg_uri('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><path/></svg>')
    assert "+" in uri
    assert resolve_logo(uri.replace("+", " "), None) == resolve_logo(uri, None)
    assert resolve_logo(uri, None) is not None


def test_percent_encoded_svg():
    raw = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    uri = "data:image/svg+xml," + urllib.parse.quote(raw)
    assert "<circle" in decode(resolve_logo(uri, None))


@pytest.mark.parametrize(
    "uri",
    [
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,bm90IGEgcG5n",
        "data:image/svg+xml;base64,!!!",
        "data:image/svg+xml;base64," + base64.b64encode(b"<html/>").decode(),
        "data:image/svg+xml;base64," + base64.b64encode(b"<svg").decode(),
        "data:,nothing",
    ],
)
def test_bad_data_uris_are_refused(uri):
    assert resolve_logo(uri, None) is None


def test_data_uri_over_8_kib_is_refused():
    body = "<!--" + "x" * MAX_DATA_URI + "-->"
    uri = svg_uri(f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>')
    assert len(uri) > MAX_DATA_URI
    assert resolve_logo(uri, None) is None
    assert MAX_DATA_URI == 8 * 1024  # the cap issue 3 names
    small = svg_uri('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    assert resolve_logo(small, None) is not None


TRICKS = {
    "script": "<script>alert(1)</script>",
    "namespaced script": '<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>',
    "onload": '<rect onload="alert(1)" width="1" height="1"/>',
    "onclick uppercase": '<rect ONCLICK="alert(1)" width="1"/>',
    "foreignObject": "<foreignObject><p>x</p></foreignObject>",
    "external href": '<use href="https://evil.example/x.svg#a"/>',
    "external xlink": '<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="http://e/x#a"/>',
    "javascript href": '<a href="javascript:alert(1)"><rect width="1"/></a>',
    "image": '<image href="https://evil.example/track.png"/>',
    "css url": '<rect style="fill:url(https://evil.example/x)" width="1"/>',
    "style element": "<style>@import url(https://evil.example/x.css);</style>",
    "set href": '<set attributeName="href" to="javascript:alert(1)"/>',
    "filter url": '<rect filter="url(https://evil.example/f.svg#f)" width="1"/>',
}


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_sanitiser_removes_each_trick(name):
    markup = f'<svg xmlns="http://www.w3.org/2000/svg">{TRICKS[name]}<rect id="keep"/></svg>'
    clean = decode(resolve_logo(svg_uri(markup), None))
    lowered = clean.lower()
    for bad in ("script", "onload", "onclick", "foreignobject", "evil", "javascript", "@import"):
        assert bad not in lowered, (name, clean)
    assert 'id="keep"' in clean
    ET.fromstring(clean)


def test_entity_and_doctype_are_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    )
    assert resolve_logo(svg_uri(bomb), None) is None
    external = (
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
    )
    assert resolve_logo(svg_uri(external), None) is None


def test_local_fragment_references_survive():
    markup = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><path id="p" d="M0 0h1"/></defs>'
        '<use href="#p" fill="url(#g)"/></svg>'
    )
    clean = decode(resolve_logo(svg_uri(markup), None))
    assert 'href="#p"' in clean
    assert "url(#g)" in clean


def test_engine_sanitises_a_raw_data_uri_in_the_spec():
    evil = svg_uri('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')
    svg = render_svg(BadgeSpec(label="a", message="b", logo=evil))
    image = ET.fromstring(svg).find(f".//{SVG_NS}image")
    assert "onload" not in decode(image.get("href"))


def test_engine_resolves_slugs_and_never_uses_urls():
    with_slug = render_svg(BadgeSpec(label="a", message="b", logo="github"))
    assert "<image" in with_slug
    with_url = render_svg(BadgeSpec(label="a", message="b", logo="https://evil.example/x.svg"))
    assert "<image" not in with_url
    assert "evil" not in with_url


@pytest.mark.parametrize("name", ["\ud800", "gïthub", "\x00", "a" * 500, "../../etc/passwd"])
def test_odd_logo_names_are_simply_unknown(name):
    assert resolve_logo(name, None) is None
