"""The dashboard's live badge page in Debian's Chromium: the badge and its value change when
the (fake) upstream's value does, through ``WS /ws/live/...``. Screenshot in docs/screenshots
(with UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PAGE = "/dashboard/live?provider=github&subject=pallets/flask&metrics=stars,forks"


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_the_live_page_updates_its_badges(browser, live_server, changing_upstream):
    server = live_server()
    page = browser.new_page(viewport={"width": 1100, "height": 620})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.http_url(PAGE))

    stars = page.locator('li[data-topic="github/pallets/flask/stars"]')
    stars.locator(".live-value").filter(has_text="12k").wait_for(timeout=10_000)
    page.locator("#live-status").filter(has_text="connected").wait_for(timeout=10_000)
    first_src = stars.locator("img").get_attribute("src")

    changing_upstream.stars["pallets/flask"] = 20000
    stars.locator(".live-value").filter(has_text="20k").wait_for(timeout=10_000)
    page.wait_for_function(
        "src => document.querySelector('li[data-topic=\"github/pallets/flask/stars\"] img')"
        ".getAttribute('src') !== src",
        arg=first_src,
        timeout=10_000,
    )
    label = page.evaluate(
        """async () => {
            const img = document.querySelector('li[data-topic="github/pallets/flask/stars"] img');
            const text = await (await fetch(img.src)).text();
            return text.match(/aria-label="([^"]*)"/)[1];
        }"""
    )
    assert label.endswith("20k"), label
    shot = page.screenshot(full_page=True)
    shots = (
        ROOT / "docs" / "screenshots"
        if os.environ.get("UPDATE_SCREENSHOTS")
        else Path(tempfile.gettempdir()) / "badgeapp-screenshots"
    )
    shots.mkdir(parents=True, exist_ok=True)
    (shots / "live.png").write_bytes(shot)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.close()
