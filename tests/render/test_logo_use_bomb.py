"""Issue 11 item 8: a logo whose ``<use>`` references fan out is refused when sanitised.

The attack: nested ``<use>`` (five levels of ten) expand to 10^5 drawn paths from a URL under
2 KB; Chromium took 5 s to paint the badge and the PNG path 2.1 s. The sanitiser now counts
what a document expands to, references followed transitively, and drops such a logo (the
badge is drawn without it, as for any logo that does not pass the sanitiser).
"""

from __future__ import annotations

import base64
import re
import urllib.parse

import pytest

from badgeapp.render.logos import resolve_data_uri
from badgeapp.render.svg_sanitize import MAX_EXPANDED_ELEMENTS, sanitize_svg


def use_bomb(levels: int = 5, fan_out: int = 10, xlink: bool = False) -> str:
    href = "xlink:href" if xlink else "href"
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><defs><path id="g0" d="M0 0h1v1z"/>'
    ]
    for level in range(1, levels + 1):
        uses = "".join(f'<use {href}="#g{level - 1}"/>' for _ in range(fan_out))
        parts.append(f'<g id="g{level}">{uses}</g>')
    parts.append(f'</defs><use {href}="#g{levels}"/></svg>')
    return "".join(parts)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def test_the_attack_fits_in_a_short_url():
    uri = data_uri(use_bomb())
    assert len(urllib.parse.quote(uri, safe="")) < 2000  # 10^5 uses from under 2 KB


@pytest.mark.parametrize("xlink", [False, True])
def test_a_use_bomb_is_refused_by_the_sanitiser(xlink):
    assert sanitize_svg(use_bomb(xlink=xlink)) is None
    assert resolve_data_uri(data_uri(use_bomb(xlink=xlink))) is None


def test_fan_out_through_url_references_counts_too():
    # gradients/patterns referring to each other through url(#..) and href
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><path id="a0" d="M0 0h1v1z"/>'
        + "".join(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 8 + "</g>" for i in range(1, 5))
        + '<pattern id="p" width="1" height="1"><use href="#a4"/></pattern></defs>'
        '<rect width="10" height="10" fill="url(#p)"/><rect fill="url(#p)"/></svg>'
    )
    assert sanitize_svg(svg) is None


def test_reference_cycles_are_refused():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g>'
        '<g id="b"><use href="#a"/></g><use href="#a"/></svg>'
    )
    assert sanitize_svg(svg) is None


def test_deep_nesting_is_refused_not_a_crash():
    svg = '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 3000 + "</g>" * 3000 + "</svg>"
    assert sanitize_svg(svg) is None


def test_ordinary_reuse_is_kept():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><path id="dot" d="M0 0h1v1z"/></defs>'
        + '<use href="#dot"/>' * 20
        + "</svg>"
    )
    clean = sanitize_svg(svg)
    assert clean is not None and clean.count("<use") == 20


def test_the_bound_sits_between_ordinary_and_bomb():
    # each <use> counts itself and its target: 3 levels of 6 draw about 1,300 elements
    assert sanitize_svg(use_bomb(levels=3, fan_out=6)) is not None
    assert sanitize_svg(use_bomb(levels=4, fan_out=10)) is None  # about 22,000
    assert MAX_EXPANDED_ELEMENTS == 2000


def _images(svg: bytes) -> list[str]:
    return re.findall(r'<image[^>]*href="([^"]+)"', svg.decode())


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_badge_is_drawn_without_the_bomb_logo(client, fmt):
    query = {"label": "a", "value": "b", "logo": data_uri(use_bomb()), "format": fmt}
    response = client.get("/v2/badge/custom", query_string=query)
    assert response.status_code == 200
    plain = client.get("/v2/badge/custom", query_string={"label": "a", "value": "b", "format": fmt})
    assert response.data == plain.data  # the logo is dropped: exactly the logo-less badge
    if fmt == "svg":
        assert not _images(response.data)


def test_an_ordinary_logo_with_uses_is_drawn(client):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>'
        '<path id="d" d="M0 0h4v4z"/></defs><use href="#d"/><use href="#d" x="5" y="5"/></svg>'
    )
    query = {"label": "a", "value": "b", "logo": data_uri(svg)}
    response = client.get("/v2/badge/custom", query_string=query)
    assert len(_images(response.data)) == 1
