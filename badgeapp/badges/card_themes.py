"""The engine theme a card (trophy grid, heatmap) is drawn in: built-in or a plugin's.

``engine_theme(name)`` returns the validated ``Theme`` for a name parsed by ``parse_query``
(``?theme=`` or ``?style=<theme>``), looking at plugin theme documents (``badgeapp_themes``)
before the built-ins; None means the card's own light default.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from badgeapp.render.themes import BUILTIN_THEMES, Theme, load_theme

log = logging.getLogger(__name__)


def engine_theme(name: str | None) -> Theme | None:
    """The theme called ``name`` (None when no theme was asked for)."""
    if not name:
        return None
    if name in BUILTIN_THEMES:
        return BUILTIN_THEMES[name]
    try:
        from badgeapp.plugins import get_registry

        for doc in get_registry().themes():
            if isinstance(doc, Mapping) and str(doc.get("name", "")).lower() == name:
                return load_theme(doc)
    except Exception:  # a broken plugin theme draws the default look
        log.warning("plugin theme %r unavailable", name, exc_info=True)
    return None
