"""The rank card in its four themes, a trophy grid and a heatmap, drawn by headless Chromium.

Each image is served by the app (on the fake GitHub), loaded as an ``<img>`` the way a README
embeds it and inline (so its text can be read from the DOM), then screenshotted: the image must
decode at the right size, the screenshot must show a drawing (not one flat colour) and the
expected words must be in the drawing. Screenshots are kept under the test's tmp_path.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
from collections.abc import Iterator

import pytest
from PIL import Image, ImageStat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def page() -> Iterator:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed") if os.environ.get("CI") else pytest.skip(
            "playwright is not installed"
        )
    if not os.path.exists(chromium):
        reason = f"{chromium} is missing"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        tab = browser.new_page(device_scale_factor=2, viewport={"width": 900, "height": 700})
        tab.errors = []
        tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        try:
            yield tab
        finally:
            browser.close()


def drawn(png: bytes) -> bool:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return max(ImageStat.Stat(image).stddev) > 5


def show(page, svg: bytes, shot) -> tuple[int, int, str, bytes]:
    """(natural width, natural height, inline text, screenshot PNG) of one SVG."""
    data = base64.b64encode(svg).decode()
    page.errors.clear()
    page.set_content(
        "<!doctype html><html><body style='margin:8px;background:#808080'>"
        f"<img id='img' src='data:image/svg+xml;base64,{data}'>"
        f"<div id='inline'>{svg.decode()}</div></body></html>",
        wait_until="load",
    )
    size = page.eval_on_selector("#img", "i => [i.complete, i.naturalWidth, i.naturalHeight]")
    assert size[0], "the image did not load"
    png = page.locator("#img").screenshot()
    shot.write_bytes(png)
    text = page.text_content("#inline") or ""
    assert page.errors == []
    return size[1], size[2], text, png


@pytest.mark.parametrize("theme", ["default", "dark", "light", "minimal"])
def test_rank_card_in_chromium(page, rank_client, theme, tmp_path):
    svg = rank_client.get(f"/rank/midway?theme={theme}").data
    width, height, text, png = show(page, svg, tmp_path / f"rank-{theme}.png")
    assert (width, height) == (400, 120)
    assert Image.open(io.BytesIO(png)).size == (800, 240)  # device scale 2
    assert drawn(png)
    rank = rank_client.get("/rank/midway?format=json").get_json()["rank"]
    for word in ("midway", f"{rank['tier']} {rank['division']}", f"{rank['elo']} Elo", "Stars"):
        assert word in text


def test_rank_error_card_in_chromium(page, rank_client, tmp_path):
    svg = rank_client.get("/rank/nobody-here").data
    width, height, text, png = show(page, svg, tmp_path / "rank-error.png")
    assert (width, height) == (400, 120) and drawn(png)
    assert "UserNotFound" in text and "HTTP 404" in text


def test_trophy_grid_in_chromium(page, rank_client, tmp_path):
    svg = rank_client.get("/v2/trophies/octocat?columns=5&theme=neon").data
    width, height, text, png = show(page, svg, tmp_path / "trophies.png")
    assert (width, height) == (5 * 110 + 6 * 8, 2 * 110 + 3 * 8)
    assert drawn(png)
    for word in ("Stargazer", "LEGENDARY", "Veteran"):
        assert word in text


def test_heatmap_in_chromium(page, rank_client, tmp_path):
    svg = rank_client.get("/v2/insights/pallets/flask/heatmap").data
    width, height, text, png = show(page, svg, tmp_path / "heatmap.png")
    assert width > 52 * 11 and height > 7 * 11
    assert drawn(png)
    assert "pallets/flask" in text and "commits in the last year" in text
