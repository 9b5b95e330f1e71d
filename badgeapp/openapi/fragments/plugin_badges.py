"""The plugin badge family: ``/v2/badge/plugin/{plugin}/{metric}``."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, param

TAG = {"name": "plugins", "description": "Badges from drop-in and pip-installed plugins."}


def fragment() -> dict[str, Any]:
    params = [
        param("plugin", "path", "A plugin name (the shipped example: system)."),
        param("metric", "path", "The plugin's metric (system: cpu, memory, disk)."),
    ]
    return {
        "tags": [TAG],
        "paths": {
            "/v2/badge/plugin/{plugin}/{metric}": badge_get(
                "A plugin badge (/v2/badge/plugin/system/cpu)", "plugins", params
            )
        },
    }
