"""The README test: hostile badge URLs in real ``<img>`` tags of a headless Chromium.

A page holds one ``<img>`` per URL: each family's badge with a troublemaker (path tricks,
lone ``%``, markup, emoji, controls, 3000 characters) typed into the place a README author
types it; Chromium encodes the ``src`` as it does for any README and loads it from a real
gunicorn. Every image must load and decode (``naturalWidth > 0``): no broken image, whatever
was typed.
"""

from __future__ import annotations

import html

import pytest

from .strategies import TROUBLE

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: where README authors type text into each family's badge URL ({} is the text, as typed)
TEMPLATES = [
    "/badge/{}-passing-brightgreen",
    "/badge/build-{}-blue.svg",
    "/badge/{}.png",
    "/v2/badge/custom?label={}&value=v&style=for-the-badge",
    "/static/v1?label=l&message={}&color=red",
    "/v2/badge/github/{}/repo/stars",
    "/v2/badge/pypi/{}/version?logo=python",
    "/v2/badge/plugin/echo/{}",
    "/v2/compose?badges=a:{},github/o/r/forks",
    "/api/v1/badge/coverage/acme/{}",
    "/api/v1/badge/tests/acme/widgets?label={}",
    "/badge/{}.svg?style=social",
]
#: typed text that cannot reach a server inside a URL at all
_UNSENDABLE = ("\x00", "\r", "\n", "\t", "#", "?")


def _typed() -> list[str]:
    return [t for t in TROUBLE if t and not any(c in t for c in _UNSENDABLE)]


@pytest.mark.slow
@pytest.mark.browser
def test_no_badge_url_breaks_an_img(real_server, chromium_path):
    from playwright.sync_api import sync_playwright

    urls = [
        real_server.base_url + template.replace("{}", text)
        for template in TEMPLATES
        for text in _typed()
        # "x.json" asks for JSON; ".." climbs out of /api/v1/badge/<kind>/ into the JSON API
        if not text.endswith(".json") and not (template.startswith("/api/") and ".." in text)
    ]
    body = "".join(f'<img src="{html.escape(url, quote=True)}">' for url in urls)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(
                f"<!doctype html><body>{body}</body>", wait_until="load", timeout=120_000
            )
            results = page.evaluate(
                "() => [...document.images].map(i => [i.src, i.complete, i.naturalWidth])"
            )
        finally:
            browser.close()
    assert len(results) == len(urls)
    broken = [src for src, complete, width in results if not complete or width == 0]
    assert not broken, f"{len(broken)} of {len(urls)} images broke: {broken[:10]}"


@pytest.mark.slow
@pytest.mark.browser
def test_quality_badge_with_a_readme_style_is_an_image(real_server, chromium_path):
    """Finding 8 (fixed by the quality owner), kept as a regression test."""
    from playwright.sync_api import sync_playwright

    url = real_server.base_url + "/api/v1/badge/coverage/acme/widgets?style=for-the-badge"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(f'<img src="{html.escape(url)}">', wait_until="load")
            width = page.evaluate("() => document.images[0].naturalWidth")
        finally:
            browser.close()
    assert width > 0
