"""The dashboard in Debian's Chromium against real gunicorn (two workers): build a badge by
typing, copy the Markdown, log in, make a theme and use it, CSRF, analytics. Each page is
screenshotted and checked: not blank, key elements visible. With UPDATE_SCREENSHOTS=1 the
shots go to ``docs/screenshots/``, which the README shows."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from badgeapp import create_app
from badgeapp.storage import apikeys, db

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
# the README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run
# never changes tracked files
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "badgeapp-screenshots"
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def drawn(png: bytes) -> bool:
    """A screenshot shows something when its pixels are not all one colour."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return max(ImageStat.Stat(image).stddev) > 5


@pytest.fixture(scope="module")
def site(serve_gunicorn, migrated_sqlite_template, tmp_path_factory):
    """gunicorn on a migrated SQLite database, and an admin key for it."""
    if migrated_sqlite_template is None:
        pytest.skip("storage is not available")
    folder = tmp_path_factory.mktemp("dash")
    database = folder / "site.db"
    shutil.copyfile(migrated_sqlite_template, database)
    url = f"sqlite:///{database}"
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder),
            "DATABASE_URL": url,
        }
    )
    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "browser", ["admin"])[1]
    db.dispose(app)
    server = serve_gunicorn(
        workers=2,
        DATABASE_URL=url,
        SECRET_KEY="browser-test-secret",
        ANALYTICS_FLUSH_SECONDS="0.5",
        BADGEAPP_PLUGINS_DIR=str(ROOT / "plugins"),
    )
    return server, key


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def page(browser, site):
    server, _ = site
    context = browser.new_context(
        base_url=server.base_url,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def shoot(page, name: str, *visible: str) -> None:
    """Screenshot the whole page into SHOTS/NAME.png after checking it."""
    for selector in visible:
        assert page.locator(selector).first.is_visible(), (name, selector)
    page.wait_for_load_state("networkidle")
    broken = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == [], broken
    png = page.screenshot(full_page=True, animations="disabled")
    assert drawn(png), name
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.png").write_bytes(png)


def test_landing_page_and_search(page):
    page.goto("/")
    assert page.title().startswith("Badges for your README")
    shoot(page, "landing", "h1", "#q", "text=Badge builder", ".sample img")
    page.fill("#q", "pypi version")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/dashboard/builder?q=" in url)
    assert page.eval_on_selector("#family", "s => s.value") == "shields-pypi"


def test_build_a_badge_by_typing_and_copy_markdown(page, site):
    server, _ = site
    page.errors.clear()
    page.goto("/dashboard/builder?family=custom")
    before = page.locator("#preview").screenshot()
    page.fill("#f-label", "")
    page.type("#f-label", "build")
    page.type("#f-value", "passing")
    page.wait_for_function(
        "() => document.querySelector('#preview').src.includes('value=passing')"
        " && document.querySelector('#preview').src.includes('label=build')"
    )
    page.wait_for_function("() => document.querySelector('#preview').naturalWidth > 20")
    page.wait_for_timeout(300)
    after = page.locator("#preview").screenshot()
    assert after != before and drawn(after)
    themed = page.locator("img[data-variant=theme][data-name=neon]").first
    assert "value=passing" in themed.get_attribute("src")
    page.type("#f-color", "notacolour")
    page.wait_for_function("() => document.querySelector('#f-color-error').textContent.length > 0")
    assert "not a colour" in page.text_content("#f-color-error")
    assert page.get_attribute("#f-color", "aria-invalid") == "true"
    page.fill("#f-color", "green")
    page.wait_for_function("() => document.querySelector('#f-color-error').textContent === ''")
    page.click("button[data-copy=snippet-markdown]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        f"![build]({server.base_url}/v2/badge/custom?value=passing&label=build&color=green)"
    )
    shoot(page, "builder", "#preview", "#snippet-markdown", "#styles img", ".bg-dark img")
    assert page.errors == []


def test_keyboard_reaches_the_builder_fields(page):
    page.goto("/dashboard/builder?family=custom")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-value":
            break
    assert page.evaluate("document.activeElement.id") == "f-value"


def test_log_in_make_a_theme_and_use_it(page, site):
    _server, key = site
    page.goto("/dashboard/themes")
    page.wait_for_url(lambda url: "/dashboard/login?next=" in url)
    shoot(page, "login", "#key")
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/themes")
    page.click("text=Create a theme")
    page.fill("#name", "ocean")
    page.fill("#label_color", "#003366")
    page.fill("#color", "#0099cc")
    page.select_option("#shadow", "none")
    page.fill("#border_width", "1")
    page.fill("#border_color", "#7fdbff")
    page.fill("#gradient-0-offset", "0")
    page.fill("#gradient-0-color", "#ffffff")
    page.fill("#gradient-0-opacity", "0.25")
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.theme-preview')]"
        ".every(i => decodeURIComponent(i.src).includes('#003366') && i.naturalWidth > 0)"
    )
    assert page.locator("img.theme-preview").count() == 10  # five styles, light and dark
    shoot(page, "theme-editor", "#name", "img.theme-preview")
    page.click("button:has-text('Save theme')")
    page.wait_for_url("**/dashboard/themes/ocean/edit")
    assert "Theme ocean saved" in page.text_content(".flashes")
    listed = page.request.get("/themes/list").json()
    assert {"name": "ocean", "source": "stored"}.items() <= next(
        t for t in listed["themes"] if t["name"] == "ocean"
    ).items()
    deadline = time.monotonic() + 10
    while True:  # any worker: the other one follows within a second
        badges = [
            page.request.get("/v2/badge/custom?label=a&value=b&theme=ocean") for _ in range(4)
        ]
        if all(b'fill="#003366"' in b.body() for b in badges):
            break
        assert time.monotonic() < deadline, "a worker never used the new theme"
        time.sleep(0.3)
    page.wait_for_function("() => document.querySelector('#served').naturalWidth > 0")
    page.goto("/dashboard/themes")
    shoot(page, "themes", "table.themes", "#theme-ocean", "#theme-ocean button.danger")


def test_csrf_rejection_without_a_token(page):
    response = page.request.post(
        "/dashboard/themes/new",
        form={"name": "sneaky", "palette": "v6", "shadow": "blur", "animation_effect": "pulse"},
    )
    assert response.status == 400
    names = [t["name"] for t in page.request.get("/themes/list").json()["themes"]]
    assert "sneaky" not in names


def test_analytics_page_shows_the_renders_just_made(page):
    for _ in range(3):
        assert page.request.get("/v2/badge/custom?label=analytics&value=check").ok
    deadline = time.monotonic() + 15
    while True:
        page.goto("/dashboard/analytics")
        rows = page.text_content("#families-table")
        if "custom" in rows and int(page.text_content("#total-renders")) >= 8:
            break
        assert time.monotonic() < deadline, rows
        time.sleep(0.5)
    assert page.locator("svg.chart").count() >= 5
    shoot(page, "analytics", "#total-renders", "svg.chart", "#families-table")


def test_dashboard_and_plugins_pages(page):
    page.errors.clear()
    page.goto("/dashboard")
    shoot(page, "dashboard", "h1", ".theme-strip img")
    page.goto("/dashboard/plugins")
    shoot(page, "plugins", "table.plugins", "text=badgeapp.builtin.themes")
    assert page.errors == []


def test_choosing_another_family_by_keyboard(page):
    page.goto("/dashboard/builder?family=custom")
    page.focus("#family")
    page.select_option("#family", "compose")
    assert "family=custom" in page.url  # no reload while choosing
    page.click("button[data-load-family]")
    page.wait_for_url(lambda url: "family=compose" in url)
    assert page.locator("#f-badges").is_visible()
    page.fill("#f-badges", "stars:100,forks:50")
    page.focus("#f-badges")
    page.keyboard.press("Enter")  # Enter in a field updates the preview in place
    page.wait_for_function(
        "() => document.querySelector('#preview').src.includes('badges=stars%3A100')"
    )
    assert "family=compose" in page.url
