"""The plugins page's rows: every plugin with its providers, themes, icons, hooks and error."""

from __future__ import annotations

from typing import Any


def _by_plugin(registry: Any, hook_name: str) -> dict[str, Any]:
    grouped: dict[str, Any] = {}
    for impl in getattr(registry.pm.hook, hook_name).get_hookimpls():
        try:
            grouped[impl.plugin_name] = impl.function() or []
        except Exception:  # a broken hook shows as nothing; its error is in /plugins/list
            grouped[impl.plugin_name] = []
    return grouped


def plugin_rows(registry: Any) -> list[dict[str, Any]]:
    """One row per plugin, in the order ``/plugins/list`` gives them."""
    providers = registry.providers_by_plugin()
    themes = _by_plugin(registry, "badgeapp_themes")
    icons = _by_plugin(registry, "badgeapp_icons")
    rows = []
    for info in registry.plugins():
        rows.append(
            {
                "name": info.name,
                "version": info.version,
                "source": info.source,
                "hooks": registry.hooks_of(info.name),
                "providers": [
                    {"name": p.name, "metrics": sorted(getattr(p, "metrics", {}) or {})}
                    for p in providers.get(info.name, [])
                ],
                "themes": sorted(
                    str(d.get("name", "?"))
                    for d in themes.get(info.name, [])
                    if isinstance(d, dict)
                ),
                "icons": sorted(icons.get(info.name, {}) or {}),
                "error": info.error,
            }
        )
    return rows
