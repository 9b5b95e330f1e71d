"""Rank card themes through the ``badgeapp_rank_themes`` hook: the four built-ins, plus plugins'.

``card_themes()`` maps each valid theme's name to its ``CardTheme`` (an invalid plugin document
is skipped with a warning; a later document with a built-in's name does not replace it).
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from badgeapp.hookspecs import hookimpl
from badgeapp.plugins import get_registry
from badgeapp.render.cards.rank_themes import BUILTIN_RANK_THEMES, CardTheme, load_card_theme

log = logging.getLogger(__name__)
DEFAULT_THEME = "default"


def card_themes() -> dict[str, CardTheme]:
    """Every usable rank theme by name (built-ins first)."""
    themes: dict[str, CardTheme] = {
        doc["name"]: load_card_theme(doc) for doc in BUILTIN_RANK_THEMES
    }
    for doc in get_registry().rank_themes():
        try:
            theme = load_card_theme(doc)
        except ValueError:
            log.warning("rank theme %r is invalid", doc, exc_info=True)
            continue
        themes.setdefault(theme.name, theme)
    return themes


@hookimpl
def badgeapp_rank_themes() -> list[dict[str, Any]]:
    """default, dark, light and minimal."""
    return copy.deepcopy(list(BUILTIN_RANK_THEMES))
