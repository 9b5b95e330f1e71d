"""render_svg: BadgeSpec -> SVG text. Normalises the spec into Parts, picks the style and look.

The engine is pure: no Flask, no I/O, no network. Output is deterministic (same spec, same
bytes). Links other than http(s) and logos other than ``data:`` image URIs are dropped here, as
a last line of defence whatever the caller passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from badgeapp.render.colors import to_svg_color
from badgeapp.render.generic_icons import GENERIC_ICONS
from badgeapp.render.logos import resolve_logo
from badgeapp.render.look import DEFAULT_LOOK, Look, Parts, look_logo_color
from badgeapp.render.markup import js_trim
from badgeapp.render.spec import BadgeSpec
from badgeapp.render.styles import STYLES, flat, flat_square, for_the_badge, plastic, social
from badgeapp.render.themes import BUILTIN_THEMES, Theme, compile_look, get_theme

RENDERERS: dict[str, Callable[[Parts, Look], str]] = {
    "flat": flat.render,
    "flat-square": flat_square.render,
    "plastic": plastic.render,
    "for-the-badge": for_the_badge.render,
    "social": social.render,
}
assert tuple(RENDERERS) == tuple(sorted(RENDERERS, key=STYLES.index))

_ID_SUFFIX = re.compile(r"[a-zA-Z0-9\-_]*")
_HTTP = re.compile(r"https?://", re.IGNORECASE)
_DATA_IMAGE = re.compile(r"data:image/(?:svg\+xml|png|jpeg|gif|webp)[;,]", re.IGNORECASE)


def safe_link(link: object) -> str:
    """An http(s) link, or "" for anything else (javascript:, data:, relative...)."""
    if not isinstance(link, str) or not _HTTP.match(link):
        return ""
    return link


def build_parts(spec: BadgeSpec, look: Look, logo: str | None) -> Parts:
    """Trim the text, resolve colours through the look's palette, check links and id suffix."""
    links = [safe_link(link) for link in tuple(spec.links)[:2]]
    links += [""] * (2 - len(links))
    suffix = spec.id_suffix if _ID_SUFFIX.fullmatch(spec.id_suffix or "") else ""
    return Parts(
        label=js_trim(str(spec.label or "")),
        message=js_trim(str(spec.message if spec.message is not None else "")),
        color=to_svg_color(spec.color, look.palette) if spec.color is not None else None,
        label_color=(
            to_svg_color(spec.label_color, look.palette) if spec.label_color is not None else None
        ),
        logo=logo if logo and _DATA_IMAGE.match(logo) else None,
        left_link=links[0],
        right_link=links[1],
        id_suffix=suffix or "",
        title=spec.title,
    )


def resolve_style(spec: BadgeSpec) -> tuple[str, str | None]:
    """(shape, theme name): ``style=neon`` means the neon look on the flat shape."""
    if spec.style in RENDERERS:
        return spec.style, spec.theme
    if spec.style in BUILTIN_THEMES:
        return "flat", spec.theme or spec.style
    return "flat", spec.theme


def render_with_look(
    spec: BadgeSpec, look: Look = DEFAULT_LOOK, logo: str | None = None, style: str = "flat"
) -> str:
    """Render ``spec`` in ``style`` with a compiled look and an already safe logo URI."""
    return RENDERERS.get(style, flat.render)(build_parts(spec, look, logo), look)


def render_spec(spec: BadgeSpec, theme: Theme | None = None) -> str:
    """Resolve style, theme and logo of ``spec`` and render it."""
    style, theme_name = resolve_style(spec)
    if theme is None and not spec.animated and (theme_name is None or theme_name == "flat"):
        look = DEFAULT_LOOK
    else:
        look = compile_look(theme or get_theme(theme_name), bool(spec.animated))
    logo = None
    if spec.logo:
        # social keeps its own light button, so a theme's logo colour does not apply there
        logo_color = spec.logo_color or (look_logo_color(look) if style != "social" else None)
        logo = resolve_logo(spec.logo, logo_color, icons=GENERIC_ICONS, style=style)
    return render_with_look(spec, look, logo, style)
