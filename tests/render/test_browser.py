"""Every theme, with and without animation, in every style, drawn by headless Chromium.

Each badge is shown both as an <img> (how READMEs embed badges) and inline; the page must load
without console errors, every image must decode, and each screenshot must show a drawing.
"""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image, ImageStat

from badgeapp.render import STYLES, THEME_NAMES, BadgeSpec, render_svg

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def page_for(theme: str, animated: bool) -> str:
    rows = []
    for style in STYLES:
        spec = BadgeSpec(
            label="build",
            message="passing",
            color="green",
            style=style,
            theme=theme,
            animated=animated,
            logo="github",
            id_suffix=style.replace("-", ""),
        )
        svg = render_svg(spec)
        data = base64.b64encode(svg.encode()).decode()
        rows.append(
            f'<div class="row"><img id="img-{style}" src="data:image/svg+xml;base64,{data}">'
            f'<span id="inline-{style}">{svg}</span></div>'
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>body{margin:8px;background:#fff}"
        ".row{display:flex;gap:12px;margin:6px}</style></head><body>"
        + "".join(rows)
        + "</body></html>"
    )


def drawn(png: bytes) -> bool:
    """A screenshot shows a drawing when its pixels are not all one colour."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return max(ImageStat.Stat(image).stddev) > 5


@pytest.mark.parametrize("animated", [False, True], ids=["still", "animated"])
@pytest.mark.parametrize("theme", THEME_NAMES)
def test_theme_renders_in_chromium(chromium_page, theme, animated, tmp_path):
    page = chromium_page
    page.errors.clear()
    page.set_content(page_for(theme, animated), wait_until="load")
    for style in STYLES:
        width = page.eval_on_selector(f"#img-{style}", "img => img.naturalWidth")
        assert width > 0, f"{theme}/{style}: the <img> did not decode"
        for selector in (f"#img-{style}", f"#inline-{style} svg"):
            shot = page.locator(selector).screenshot(animations="disabled")
            assert drawn(shot), f"{theme}/{style}: {selector} is blank"
    page.screenshot(path=str(tmp_path / f"{theme}-{'animated' if animated else 'still'}.png"))
    assert page.errors == []


def test_reduced_motion_stops_the_animation(chromium_page):
    page = chromium_page
    page.emulate_media(reduced_motion="reduce")
    try:
        svg = render_svg(BadgeSpec(label="a", message="b", theme="glass", animated=True))
        page.set_content(f"<!doctype html><body>{svg}</body>")
        names = page.eval_on_selector(".sh", "el => getComputedStyle(el).animationName")
        assert names == "none"
    finally:
        page.emulate_media(reduced_motion="no-preference")
    page.set_content(f"<!doctype html><body>{svg}</body>")
    assert page.eval_on_selector(".sh", "el => getComputedStyle(el).animationName") == "sh"


def test_auto_theme_follows_the_colour_scheme(chromium_page):
    page = chromium_page
    svg = render_svg(BadgeSpec(label="a", message="b", theme="auto"))
    script = "el => getComputedStyle(el).fill"
    page.emulate_media(color_scheme="dark")
    page.set_content(f"<!doctype html><body>{svg}</body>")
    dark = page.eval_on_selector(".bl", script)
    page.emulate_media(color_scheme="light")
    page.set_content(f"<!doctype html><body>{svg}</body>")
    light = page.eval_on_selector(".bl", script)
    assert dark == "rgb(45, 51, 59)"
    assert light == "rgb(85, 85, 85)"


def test_transparent_theme_stays_transparent_while_pulsing(chromium_page):
    page = chromium_page
    svg = render_svg(
        BadgeSpec(label="build", message="passing", color="red", theme="transparent", animated=True)
    )
    page.set_content(f"<!doctype html><body style='background:#fff;margin:0'>{svg}</body>")
    page.wait_for_timeout(1000)  # the middle of the 2 s pulse
    shot = Image.open(io.BytesIO(page.locator("svg").screenshot())).convert("L")
    histogram = shot.histogram()
    coloured = sum(histogram[:200]) / sum(histogram)
    assert coloured < 0.25, f"{coloured:.0%} of the badge is painted"
