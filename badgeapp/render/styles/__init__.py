"""Badge shapes: one module per style, each with ``render(parts, look) -> str``."""

from __future__ import annotations

STYLES: tuple[str, ...] = ("flat", "flat-square", "plastic", "for-the-badge", "social")
