"""The built-in badge themes, contributed through the ``badgeapp_themes`` hook.

The documents live as JSON under ``badgeapp/render/themes/``; plugins add their own through the
same hook and are validated with ``badgeapp.render.themes.load_theme``.
"""

from __future__ import annotations

import copy
from typing import Any

from badgeapp.hookspecs import hookimpl
from badgeapp.render.themes import BUILTIN_THEME_DOCS


@hookimpl
def badgeapp_themes() -> list[dict[str, Any]]:
    """flat (default), classic, pixel, neon, cyberpunk, glass, hacker-green, minimal,
    transparent and auto."""
    return copy.deepcopy(BUILTIN_THEME_DOCS)
