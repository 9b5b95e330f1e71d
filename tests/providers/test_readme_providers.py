"""The README lists every built-in provider with exactly its metrics and an example badge URL."""

from __future__ import annotations

import re
from pathlib import Path

from badgeapp.plugins import get_registry

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `([a-z0-9_-]+)` \| [^|]+ \| (.+) \|$", re.MULTILINE)


def builtin_providers(app) -> dict[str, set[str]]:
    with app.app_context():
        registry = get_registry()
        builtin = {info.name for info in registry.plugins() if info.source == "builtin"}
        return {
            provider.name: set(provider.metrics)
            for plugin, providers in registry.providers_by_plugin().items()
            if plugin in builtin
            for provider in providers
        }


def test_every_builtin_provider_and_metric_is_in_the_readme(app):
    text = README.read_text()
    table = {name: set(re.findall(r"`([a-z0-9_]+)`", cells)) for name, cells in ROW.findall(text)}
    providers = builtin_providers(app)
    assert providers, "no built-in providers registered"
    for name, metrics in providers.items():
        assert name in table, f"README's provider table has no row for {name}"
        assert metrics <= table[name], f"{name}: README lacks {sorted(metrics - table[name])}"
        assert re.search(rf"/v2/badge/{name}/\S+", text), f"README has no example URL for {name}"
