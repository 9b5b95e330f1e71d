"""The badge rendering engine: a pure library (no Flask, no I/O) turning a BadgeSpec into SVG.

Public API: ``render_svg(spec, theme=None)``, ``STYLES``, and the modules ``colors``, ``widths``,
``logos`` and ``themes``.
"""

from __future__ import annotations

from badgeapp.render.engine import render_with_look
from badgeapp.render.spec import BadgeSpec
from badgeapp.render.styles import STYLES

__all__ = ["STYLES", "BadgeSpec", "render_svg"]


def render_svg(spec: BadgeSpec, theme: object | None = None) -> str:
    """Render ``spec`` as SVG text (theme None: the spec's theme name, else shields' v6 look)."""
    return render_with_look(spec)
