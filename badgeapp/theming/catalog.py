"""Every theme the app knows, with where it comes from: ``builtin``, ``plugin`` or ``stored``.

What ``GET /themes/list`` answers and the dashboard shows. Each entry carries the theme's
fields (the validated document) or, for an invalid plugin theme, the error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from badgeapp.render.themes import BUILTIN_THEME_DOCS, load_theme

log = logging.getLogger(__name__)

#: the plugins whose themes are not "plugin" themes
BUILTIN_PLUGIN = "badgeapp.builtin.themes"
STORED_PLUGIN = "badgeapp.theming.hooks"


def _entry(doc: Any, source: str, **extra: Any) -> dict[str, Any]:
    name = str(doc.get("name", "")) if isinstance(doc, Mapping) else ""
    try:
        fields = load_theme(doc).to_doc()
        error = None
    except ValueError as exc:
        fields, error = (dict(doc) if isinstance(doc, Mapping) else {}), str(exc)
    return {"name": name, "source": source, **extra, "fields": fields, "error": error}


def plugin_theme_docs(registry: Any) -> dict[str, list[Any]]:
    """Theme documents grouped by the plugin that contributed them (built-ins and stored too)."""
    grouped: dict[str, list[Any]] = {}
    for impl in registry.pm.hook.badgeapp_themes.get_hookimpls():
        try:
            grouped[impl.plugin_name] = list(impl.function() or [])
        except Exception as exc:  # a broken plugin hides its own themes only
            log.warning("themes of plugin %s unavailable: %s", impl.plugin_name, exc)
            grouped[impl.plugin_name] = []
    return grouped


def list_themes(registry: Any, stored_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Built-in themes first, then plugin themes, then stored ones (each group by name)."""
    entries = [_entry(doc, "builtin") for doc in BUILTIN_THEME_DOCS]
    seen = {entry["name"] for entry in entries}
    plugin_entries = []
    for plugin, docs in plugin_theme_docs(registry).items():
        if plugin in (BUILTIN_PLUGIN, STORED_PLUGIN):
            continue
        for doc in docs:
            entry = _entry(doc, "plugin", plugin=plugin)
            if entry["name"] not in seen:
                seen.add(entry["name"])
                plugin_entries.append(entry)
    entries += sorted(plugin_entries, key=lambda e: e["name"])
    for row in stored_rows:
        if row["name"] not in seen:
            entry = _entry(row["doc"], "stored", origin=row["origin"])
            entry["updated_at"] = row["updated_at"].isoformat()
            entries.append(entry)
    return entries


def plugin_theme_names(registry: Any) -> set[str]:
    """Names served by plugins other than the built-ins and the store (reserved for them)."""
    names = set()
    for plugin, docs in plugin_theme_docs(registry).items():
        if plugin in (BUILTIN_PLUGIN, STORED_PLUGIN):
            continue
        names |= {str(d.get("name", "")).lower() for d in docs if isinstance(d, Mapping)}
    return names


def find_doc(registry: Any, stored_rows: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The fields of the theme ``name`` from any source (None when unknown or invalid)."""
    for entry in list_themes(registry, stored_rows):
        if entry["name"] == name and entry["error"] is None:
            return dict(entry["fields"])
    return None
