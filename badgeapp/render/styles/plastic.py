"""The ``plastic`` style: 18 px high, rounded 4 px, a glossy four-stop gradient."""

from __future__ import annotations

from badgeapp.render.look import Look, Parts
from badgeapp.render.styles.box import BoxStyle, render_box

PLASTIC = BoxStyle(
    height=18,
    vertical_margin=-10,
    shadow=True,
    rx=4,
    stops=(("0", "#fff", ".7"), (".1", "#aaa", ".1"), (".9", "#000", ".3"), ("1", "#000", ".5")),
)


def render(parts: Parts, look: Look) -> str:
    """Draw a plastic badge."""
    return render_box(PLASTIC, parts, look)
