"""The compose family: ``/v2/compose``."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, param, suffix_param

TAG = {"name": "compose", "description": "Several badges in one image."}


def fragment() -> dict[str, Any]:
    params = [
        param(
            "badges",
            "query",
            "Comma-separated items: `label:value[:color]` or references such as "
            "`github/OWNER/REPO/stars` (at most COMPOSE_MAX_ITEMS).",
        ),
        param("layout", "query", "Placement.", enum=["horizontal", "vertical", "grid"]),
        param("gap", "query", "Pixels between items.", type="integer", minimum=0, maximum=40),
        param("columns", "query", "Grid columns.", type="integer", minimum=1),
    ]
    params[0]["required"] = True
    return {
        "tags": [TAG],
        "paths": {
            "/v2/compose": badge_get("A composition of badges", "compose", params),
            "/v2/compose.{ext}": badge_get(
                "A composition in a format", "compose", [suffix_param(), *params]
            ),
        },
    }
