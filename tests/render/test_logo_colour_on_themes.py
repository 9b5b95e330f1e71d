"""Issue 11 item 18: a named logo stays visible on every theme, light ones included.

``minimal`` and ``transparent`` drew the GitHub mark near-white on white. A logo's default
colour now follows the theme: its ``logo_color``, else the label's text colour where the label
is light or see-through, else shields' brand rule (so the default look is unchanged).
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from defusedxml import ElementTree

from badgeapp.render import THEME_NAMES
from badgeapp.render.colors import brightness
from badgeapp.render.look import MIN_TEXT_CONTRAST, look_logo_color
from badgeapp.render.themes import BUILTIN_THEMES, compile_look

SVG = "{http://www.w3.org/2000/svg}"
PAGE_WHITE = "#ffffff"


def logo_fill(svg: bytes) -> str:
    """The fill of the logo embedded in a badge (decoded from its data: URI)."""
    root = ElementTree.fromstring(svg)
    image = next(root.iter(f"{SVG}image"))
    href = image.get("href") or image.get("{http://www.w3.org/1999/xlink}href")
    logo = base64.b64decode(href.split(",", 1)[1]).decode()
    return re.search(r'fill="([^"]+)"', logo).group(1)


def backdrop(theme: str) -> str:
    """What the logo is drawn on: the label, or the page itself for see-through themes."""
    look = compile_look(BUILTIN_THEMES[theme])
    return PAGE_WHITE if look.background_opacity < 0.5 else look.default_label_color


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("spelling", ["style", "theme"])
@pytest.mark.parametrize("logo", ["github", "star"])
def test_named_logo_contrasts_with_what_it_is_drawn_on(client, theme, spelling, logo):
    response = client.get(f"/badge/build-passing-green?logo={logo}&{spelling}={theme}")
    assert response.status_code == 200
    fill = logo_fill(response.data)
    contrast = abs(brightness(fill) - brightness(backdrop(theme)))
    assert contrast >= MIN_TEXT_CONTRAST, (theme, fill, backdrop(theme))


@pytest.mark.parametrize("theme", ["minimal", "transparent"])
def test_light_themes_draw_the_github_mark_dark(client, theme):
    fill = logo_fill(client.get(f"/badge/a-b-green?logo=github&theme={theme}").data)
    assert brightness(fill) < 0.6, fill
    assert fill != "whitesmoke"


def test_logo_color_parameter_still_wins(client):
    fill = logo_fill(client.get("/badge/a-b-green?logo=github&theme=minimal&logoColor=red").data)
    assert fill not in ("#24292f", "whitesmoke")


def test_default_look_keeps_shields_brand_rule(client):
    """No theme: the GitHub mark (a dark brand colour) is whitesmoke on #555, as on shields."""
    assert logo_fill(client.get("/badge/a-b-green?logo=github").data) == "whitesmoke"
    assert look_logo_color(compile_look(BUILTIN_THEMES["flat"])) is None


def test_a_plugin_theme_with_a_light_label_gets_dark_logos(app_config, tmp_path):
    from badgeapp import create_app

    plugins = tmp_path / "plugins"
    (plugins / "paper.py").write_text(
        "from badgeapp import hookimpl\n\n\n@hookimpl\ndef badgeapp_themes():\n"
        '    return [{"name": "paper", "label_color": "#ffffff", "color": "#eeeeee"}]\n'
    )
    client = create_app(app_config).test_client()
    fill = logo_fill(client.get("/badge/a-b-green?logo=github&theme=paper").data)
    assert abs(brightness(fill) - brightness("#ffffff")) >= MIN_TEXT_CONTRAST, fill


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("theme", ["minimal", "transparent", "flat", "neon"])
def test_chromium_shows_the_logo(chromium_page, client, theme, tmp_path):
    """Drawn by Chromium as a README shows it (an <img> on a white page): the logo's square
    holds clearly visible ink."""
    from PIL import Image

    svg = client.get(f"/badge/build-passing-green?logo=github&theme={theme}").data
    data = base64.b64encode(svg).decode()
    chromium_page.set_content(
        "<!doctype html><body style='margin:0;background:#fff'>"
        f"<img id='b' src='data:image/svg+xml;base64,{data}'></body>",
        wait_until="load",
    )
    shot = chromium_page.locator("#b").screenshot()
    (tmp_path / f"{theme}.png").write_bytes(shot)
    image = Image.open(io.BytesIO(shot)).convert("L")
    scale = image.height / 20  # device pixels per badge pixel
    square = image.crop((int(5 * scale), int(3 * scale), int(19 * scale), int(17 * scale)))
    backdrop_level = image.getpixel((int(2 * scale), int(10 * scale)))
    pixels = square.tobytes()
    ink = sum(1 for p in pixels if abs(p - backdrop_level) > 60)
    assert ink > len(pixels) * 0.15, (theme, ink, len(pixels))
