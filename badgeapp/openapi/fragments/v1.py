"""V1 compatibility paths (``badgeapp.http.v1``): answered as their v2 forms, deprecated."""

from __future__ import annotations

import copy
from typing import Any

from badgeapp.openapi.common import badge_get, param, suffix_param

TAG = {
    "name": "v1",
    "description": "Deprecated V1 forms; answers carry `Deprecation` and a `Link` to the v2 URL.",
}


def _deprecated(operation: dict[str, Any], successor: str) -> dict[str, Any]:
    operation = copy.deepcopy(operation)
    get = operation["get"]
    get["deprecated"] = True
    get["tags"] = ["v1"]
    get["description"] = f"Answers exactly as `{successor}`."
    get["responses"]["200"]["headers"].update(
        {
            "Deprecation": {"schema": {"type": "string"}, "description": "`@<Unix seconds>`"},
            "Link": {"schema": {"type": "string"}, "description": 'rel="successor-version"'},
        }
    )
    return operation


def fragment() -> dict[str, Any]:
    rest = param("rest", "path", "Everything after /v2/badge/ (may contain slashes).")
    repo = [
        param("owner", "path", "Repository owner."),
        param("repo", "path", "Repository name."),
        param("metric", "path", "A github metric (stars, forks, ...)."),
    ]
    custom = [param("label", "query", "Left-hand text."), param("value", "query", "Right text.")]
    paths = {
        "/v1/badge/{rest}": _deprecated(badge_get("V1 badge", "v1", [rest]), "/v2/badge/{rest}"),
        "/v1/compose": _deprecated(badge_get("V1 compose", "v1", []), "/v2/compose"),
        "/v1/compose.{ext}": _deprecated(
            badge_get("V1 compose in a format", "v1", [suffix_param()]), "/v2/compose.{ext}"
        ),
        "/badge/github/{owner}/{repo}/{metric}": _deprecated(
            badge_get("Unversioned github badge", "v1", repo),
            "/v2/badge/github/{owner}/{repo}/{metric}",
        ),
        "/badge/custom": _deprecated(
            badge_get("Unversioned custom badge", "v1", custom), "/v2/badge/custom"
        ),
    }
    return {"tags": [TAG], "paths": paths}
