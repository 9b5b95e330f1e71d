"""The badge rendering engine: a pure library (no Flask, no I/O) turning a BadgeSpec into SVG.

Public API: ``render_svg(spec, theme=None)``, ``STYLES``, ``THEME_NAMES`` and the modules
``colors``, ``widths``, ``logos`` and ``themes``.
"""

from __future__ import annotations

from badgeapp.render.engine import render_spec
from badgeapp.render.spec import BadgeSpec
from badgeapp.render.styles import STYLES
from badgeapp.render.themes import THEME_NAMES, Theme

__all__ = ["STYLES", "THEME_NAMES", "BadgeSpec", "Theme", "render_svg"]


def render_svg(spec: BadgeSpec, theme: Theme | None = None) -> str:
    """Render ``spec`` as SVG text.

    ``theme`` None uses the theme named by ``spec.theme`` (or by ``spec.style`` when that is a
    theme name: ``style=neon`` is the neon look on the flat shape), else the default ``flat``
    look, which is shields' v6 look byte for byte. ``spec.logo`` may be a slug, an icon name or
    a data URI: it is resolved and sanitised here (plugin icons: resolve with
    ``logos.resolve_logo(..., icons=...)`` first and pass the data URI).
    """
    return render_spec(spec, theme)
