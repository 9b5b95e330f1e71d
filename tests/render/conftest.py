"""Fixtures for the engine tests: badge-maker 6.0.0 installed by npm into a cache folder."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest

BADGE_MAKER = "badge-maker@6.0.0"
CACHE = pathlib.Path(
    os.environ.get("BADGEAPP_TEST_CACHE", pathlib.Path.home() / ".cache" / "badgeapp-test")
)


def missing(reason: str) -> None:
    """Skip locally, fail under CI (where every service must be present)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def npm_install(package: str, folder: pathlib.Path) -> pathlib.Path:
    """node_modules of ``folder`` holding ``package`` (name@version), installed once by npm."""
    if not shutil.which("node") or not shutil.which("npm"):
        missing("node/npm not installed")
    name, version = package.rsplit("@", 1)
    modules = folder / "node_modules"
    manifest = modules / name / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != version:
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "package.json").exists():
            subprocess.run(["npm", "init", "-y"], cwd=folder, check=True, capture_output=True)
        result = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", package],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=240,
        )
        if result.returncode != 0:
            missing(f"npm install {package} failed: {result.stderr[-500:]}")
    return modules


@pytest.fixture(scope="session")
def badge_maker_modules() -> pathlib.Path:
    """node_modules holding badge-maker 6.0.0 (the shields v6 look)."""
    return npm_install(BADGE_MAKER, CACHE / "badge-maker")


@pytest.fixture(scope="session")
def badge_maker5_modules() -> pathlib.Path:
    """node_modules holding badge-maker 5.0.2 (the classic look)."""
    return npm_install("badge-maker@5.0.2", CACHE / "badge-maker-5")


ORACLE_SCRIPT = pathlib.Path(__file__).with_name("badge_maker_oracle.mjs")


@pytest.fixture(scope="session")
def node_render(badge_maker_modules):
    """render(cases, modules=6.0.0): makeBadge argument dicts through node -> (svgs, seconds)."""

    def render(cases: list[dict], modules: pathlib.Path | None = None) -> tuple[list[str], float]:
        result = subprocess.run(
            ["node", str(ORACLE_SCRIPT), str(modules or badge_maker_modules)],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        answer = json.loads(result.stdout)
        return answer["svgs"], answer["seconds"]

    return render


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium_page():
    """A headless Chromium page (Playwright), recording console errors in ``page.errors``."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    if not pathlib.Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(device_scale_factor=2)
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        try:
            yield page
        finally:
            browser.close()
