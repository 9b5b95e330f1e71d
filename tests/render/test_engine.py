"""The engine as a library: purity, links, accessibility, id suffix, title, determinism."""

from __future__ import annotations

import ast
import pathlib

import defusedxml.ElementTree as ET
import pytest

import badgeapp.render
from badgeapp.render import STYLES, BadgeSpec, render_svg

NS = "{http://www.w3.org/2000/svg}"
RENDER_DIR = pathlib.Path(badgeapp.render.__file__).parent
FORBIDDEN_IMPORTS = {"flask", "werkzeug", "requests", "socket", "http", "urllib.request", "httpx"}
OWNED = [p for p in RENDER_DIR.rglob("*.py") if p.name not in {"raster.py", "endpoint.py"}]


@pytest.mark.parametrize("path", OWNED, ids=lambda p: str(p.relative_to(RENDER_DIR)))
def test_engine_modules_do_no_io_imports(path):
    tree = ast.parse(path.read_text())
    assert ast.get_docstring(tree), f"{path.name} needs a module docstring"
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN_IMPORTS - {"urllib.request"}, name
            assert name != "urllib.request", name


def test_styles():
    assert STYLES == ("flat", "flat-square", "plastic", "for-the-badge", "social")


@pytest.mark.parametrize("style", STYLES)
def test_accessibility_as_shields(style):
    root = ET.fromstring(render_svg(BadgeSpec(label="build", message="passing", style=style)))
    label = {"for-the-badge": "BUILD: PASSING", "social": "Build: passing"}.get(
        style, "build: passing"
    )
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert root[0].tag == f"{NS}title" and root[0].text == label


def test_message_only_accessible_text():
    root = ET.fromstring(render_svg(BadgeSpec(label="", message="passing")))
    assert root.get("aria-label") == "passing"


def test_title_overrides_accessible_text():
    svg = render_svg(BadgeSpec(label="a", message="b", title="Build status: passing"))
    assert 'aria-label="Build status: passing"' in svg
    assert "<title>Build status: passing</title>" in svg


def test_left_link_wraps_the_badge_and_two_links_split_it():
    one = ET.fromstring(render_svg(BadgeSpec(label="a", message="b", links=("https://l.example",))))
    assert one[1].tag == f"{NS}a" and one[1].get("href") == "https://l.example"
    two = ET.fromstring(
        render_svg(BadgeSpec(label="a", message="b", links=("https://l.example", "https://r.x")))
    )
    anchors = [a.get("href") for a in two.iter(f"{NS}a")]
    assert anchors == ["https://l.example", "https://r.x"]
    assert two.get("role") is None and two.find(f"{NS}title") is None


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,x", "/relative", "//host/x", "ftp://x"]
)
def test_only_http_links_are_drawn(link):
    svg = render_svg(BadgeSpec(label="a", message="b", links=(link, link)))
    assert "<a" not in svg
    assert svg == render_svg(BadgeSpec(label="a", message="b"))


def test_invalid_id_suffix_is_ignored():
    assert 'id="r"' in render_svg(BadgeSpec(label="a", message="b", id_suffix='x"><script>'))
    assert 'id="r-1_a"' in render_svg(BadgeSpec(label="a", message="b", id_suffix="-1_a"))


def test_markup_in_text_is_escaped():
    svg = render_svg(BadgeSpec(label="<script>alert('x')</script>", message='a "b" & c'))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;" in svg
    assert "a &quot;b&quot; &amp; c" in svg


def test_same_spec_same_bytes():
    spec = BadgeSpec(label="a", message="b", theme="cyberpunk", animated=True, logo="star")
    assert render_svg(spec) == render_svg(spec)
