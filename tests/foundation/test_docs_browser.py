"""/docs (Swagger UI) and /redoc render the whole document in headless Chromium, offline."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from badgeapp import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def docs_server(app_config):
    app = create_app(app_config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser_page(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        page.errors = []
        page.requests = []
        page.failed = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("requestfailed", lambda r: page.failed.append((r.url, r.failure)))
        try:
            yield page
        finally:
            browser.close()


def test_swagger_ui_renders(docs_server, browser_page, tmp_path):
    page = browser_page
    page.goto(docs_server + "/docs", wait_until="networkidle")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    assert page.title() == "badgeapp API"
    assert "badgeapp API" in page.inner_text(".info .title")
    paths = page.eval_on_selector_all(
        ".opblock-summary-path", "els => els.map(e => e.getAttribute('data-path'))"
    )
    for expected in (
        "/v2/badge/custom",
        "/v2/badge/{provider}/{rest}",
        "/health",
        "/api/v1/badge/{badge_type}/{org}/{repo}",
        "/openapi.json",
    ):
        assert expected in paths, expected
    assert page.errors == []
    assert all(url.startswith(docs_server) for url in page.requests), page.requests
    shot = Path(tmp_path) / "docs.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10000


def test_redoc_renders(docs_server, browser_page, tmp_path):
    page = browser_page
    page.goto(docs_server + "/redoc", wait_until="networkidle")
    page.wait_for_selector("h1", timeout=20000)
    assert "badgeapp API" in page.inner_text("h1")
    assert "/v2/compose" in page.content()
    # ReDoc's "powered by" logo points at its CDN: the page's CSP stops it in the browser
    for url in page.requests:
        if not url.startswith((docs_server, "blob:" + docs_server)):
            reasons = [str(why).lower() for failed, why in page.failed if failed == url]
            assert reasons and all("csp" in why for why in reasons), (url, page.failed)
    page.screenshot(path=str(Path(tmp_path) / "redoc.png"))
