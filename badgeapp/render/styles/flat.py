"""The ``flat`` style: 20 px high, 3 px corners, a faint vertical gradient (shields default)."""

from __future__ import annotations

from badgeapp.render.look import Look, Parts
from badgeapp.render.styles.box import BoxStyle, render_box

FLAT = BoxStyle(
    height=20,
    vertical_margin=0,
    shadow=True,
    rx=3,
    stops=(("0", "#bbb", ".1"), ("1", "", ".1")),
)


def render(parts: Parts, look: Look) -> str:
    """Draw a flat badge."""
    return render_box(FLAT, parts, look)
