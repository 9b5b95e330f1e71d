"""The ``flat-square`` style: 20 px high, square corners, no gradient, no shadow, crisp edges."""

from __future__ import annotations

from badgeapp.render.look import Look, Parts
from badgeapp.render.styles.box import BoxStyle, render_box

FLAT_SQUARE = BoxStyle(height=20, vertical_margin=0, shadow=False, rx=None, stops=())


def render(parts: Parts, look: Look) -> str:
    """Draw a flat-square badge."""
    return render_box(FLAT_SQUARE, parts, look)
