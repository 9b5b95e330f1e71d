"""Themes: schema validation, every theme on every style, the auto theme's dark mode, animation."""

from __future__ import annotations

import base64

import defusedxml.ElementTree as ET
import pytest

from badgeapp.render import STYLES, THEME_NAMES, BadgeSpec, render_svg
from badgeapp.render.themes import (
    BUILTIN_THEME_DOCS,
    BUILTIN_THEMES,
    compile_look,
    get_theme,
    load_theme,
)

SPEC_NINE = {
    "classic",
    "flat",
    "pixel",
    "neon",
    "cyberpunk",
    "glass",
    "hacker-green",
    "minimal",
    "transparent",
}


def geometry(svg: str) -> tuple:
    root = ET.fromstring(svg)
    texts = {
        (t.get("x"), t.get("textLength"))
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if t.get("x")
    }
    return root.get("width"), root.get("height"), tuple(sorted(texts))


def test_builtin_names():
    assert SPEC_NINE | {"auto"} == set(THEME_NAMES)
    assert THEME_NAMES[0] == "flat"


def test_builtin_docs_round_trip():
    for doc in BUILTIN_THEME_DOCS:
        theme = load_theme(doc)
        assert load_theme(theme.to_doc()) == theme


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("animated", [False, True])
def test_every_theme_on_every_style(theme, style, animated):
    spec = BadgeSpec(
        label="build", message="passing", color="green", style=style, animated=animated
    )
    plain = render_svg(spec)
    themed = render_svg(BadgeSpec(**{**spec.__dict__, "theme": theme}))
    root = ET.fromstring(themed)
    assert root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}title").text.lower() == "build: passing"
    # the look never changes the shape
    assert geometry(themed) == geometry(plain)


def test_flat_theme_is_the_default_and_exactly_shields():
    spec = BadgeSpec(label="build", message="passing", color="brightgreen")
    assert render_svg(spec) == render_svg(BadgeSpec(**{**spec.__dict__, "theme": "flat"}))
    assert render_svg(spec, BUILTIN_THEMES["flat"]) == render_svg(spec)


def test_style_may_name_a_theme():
    neon = render_svg(BadgeSpec(label="a", message="b", style="neon"))
    assert neon == render_svg(BadgeSpec(label="a", message="b", style="flat", theme="neon"))
    assert 'height="20"' in neon and "#08f7fe" in neon


def test_unknown_theme_and_style_fall_back():
    fallback = render_svg(BadgeSpec(label="a", message="b", style="wavy", theme="nope"))
    assert fallback == render_svg(BadgeSpec(label="a", message="b"))


def test_classic_theme_uses_classic_palette_and_single_shadow():
    svg = render_svg(BadgeSpec(label="build", message="passing", color="green", theme="classic"))
    assert 'fill="#97ca00"' in svg
    assert 'filter="url(#blur)"' not in svg
    assert svg.count('fill-opacity=".3"') == 2


def test_auto_theme_switches_with_prefers_color_scheme():
    svg = render_svg(BadgeSpec(label="a", message="b", theme="auto"))
    assert "@media (prefers-color-scheme:dark){" in svg
    assert 'class="bl"' in svg
    assert ".bl{fill:#2d333b}" in svg


def test_animation_is_deterministic_and_respects_reduced_motion():
    for theme in THEME_NAMES:
        spec = BadgeSpec(label="a", message="b", theme=theme, animated=True)
        first = render_svg(spec)
        assert first == render_svg(spec)
        assert "@keyframes" in first
        assert "@media (prefers-reduced-motion:reduce){" in first
        assert "@keyframes" not in render_svg(BadgeSpec(label="a", message="b", theme=theme))


def test_each_theme_has_its_effect():
    effects = {name: theme.animation[0] for name, theme in BUILTIN_THEMES.items()}
    assert {"pulse", "glow", "shimmer", "scan"} <= set(effects.values())
    svg = render_svg(BadgeSpec(label="a", message="b", theme="neon", animated=True))
    assert 'class="gl"' in svg


def test_id_suffix_scopes_classes_and_keyframes():
    svg = render_svg(BadgeSpec(label="a", message="b", theme="glass", animated=True, id_suffix="7"))
    assert 'class="sh7"' in svg and "@keyframes sh7" in svg and 'id="r7"' in svg


def test_plugin_theme_object():
    theme = load_theme({"name": "brand", "label_color": "#123456", "text_color": "#ffeeaa"})
    svg = render_svg(BadgeSpec(label="a", message="b"), theme)
    assert 'fill="#123456"' in svg and 'fill="#ffeeaa"' in svg
    assert get_theme("brand", {"brand": theme}) is theme
    assert get_theme("missing") is BUILTIN_THEMES["flat"]


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({}, "name"),
        ({"name": "Bad Name"}, "name"),
        ({"name": "x", "colour": "#fff"}, "colour"),
        ({"name": "x", "label_color": "red"}, "label_color"),
        ({"name": "x", "label_color": '#fff" onload="x'}, "label_color"),
        ({"name": "x", "text_color": 3}, "text_color"),
        ({"name": "x", "shadow": "drop"}, "shadow"),
        ({"name": "x", "palette": "v7"}, "palette"),
        ({"name": "x", "font_family": "x;}</style><script>"}, "font_family"),
        ({"name": "x", "gradient": "no"}, "gradient"),
        ({"name": "x", "gradient": [{"offset": 2, "color": "#fff"}]}, "gradient[0].offset"),
        ({"name": "x", "gradient": [{"offset": 0, "color": "blue"}]}, "gradient[0].color"),
        ({"name": "x", "background_opacity": 1.5}, "background_opacity"),
        ({"name": "x", "crisp": "yes"}, "crisp"),
        ({"name": "x", "border": {"color": "#fff", "width": 9}}, "border.width"),
        ({"name": "x", "border": {"colour": "#fff"}}, "border.colour"),
        ({"name": "x", "glow": {"color": "#fff", "radius": 0}}, "glow.radius"),
        ({"name": "x", "dark": {"label_color": "black"}}, "dark.label_color"),
        ({"name": "x", "animation": {"effect": "spin"}}, "animation.effect"),
        ({"name": "x", "animation": {"effect": "pulse", "duration": 0}}, "animation.duration"),
        ({"name": "x", "description": "d" * 201}, "description"),
    ],
)
def test_invalid_theme_documents_name_the_field(doc, field):
    with pytest.raises(ValueError) as error:
        load_theme(doc)
    assert str(error.value).startswith(field), str(error.value)


def test_non_mapping_is_refused():
    with pytest.raises(ValueError, match="theme"):
        load_theme(["name"])  # type: ignore[arg-type]


def test_compiled_looks_are_cached_and_hashable():
    theme = BUILTIN_THEMES["neon"]
    assert compile_look(theme, True) is compile_look(theme, True)
    assert compile_look(theme, False).animation is None


def test_themes_hook_contributes_every_builtin_theme():
    from badgeapp import create_app
    from badgeapp.plugins import get_registry

    app = create_app({"TESTING": True})
    with app.app_context():
        docs = get_registry(app).themes()
        icons = get_registry(app).icons()
    assert [d["name"] for d in docs if d["name"] in THEME_NAMES] == list(THEME_NAMES)
    for doc in docs:
        load_theme(doc)
    assert "star" in icons and icons["star"].startswith("<svg")


def test_json_schema_lists_exactly_the_fields_load_theme_accepts():
    from badgeapp.render.themes import KEYS, THEME_SCHEMA

    assert set(THEME_SCHEMA["properties"]) == KEYS
    assert THEME_SCHEMA["properties"]["animation"]["properties"]["effect"]["enum"] == [
        "pulse",
        "glow",
        "shimmer",
        "scan",
    ]


def test_fixed_text_colour_yields_to_contrast():
    # hacker-green's green text on its own black: kept
    dark = render_svg(BadgeSpec(label="a", message="b", theme="hacker-green"))
    assert dark.count('fill="#00ff41"') >= 2
    # ... on a user's bright green message: shields' rule (white) wins for that half
    bright = render_svg(BadgeSpec(label="a", message="b", theme="hacker-green", color="green"))
    assert bright.count('fill="#00ff41"') == dark.count('fill="#00ff41"') - 1


def test_theme_logo_colour_applies_without_logo_color():
    def logo_svg(**kwargs) -> str:
        svg = render_svg(BadgeSpec(label="a", message="b", logo="github", **kwargs))
        href = ET.fromstring(svg).find(".//{http://www.w3.org/2000/svg}image").get("href")
        return base64.b64decode(href.split(",", 1)[1]).decode()

    assert 'fill="whitesmoke"' in logo_svg()
    assert 'fill="#24292f"' in logo_svg(theme="minimal")
    assert 'fill="#dd4343"' in logo_svg(theme="minimal", logo_color="red")
