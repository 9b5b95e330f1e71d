"""The provider family: ``/v2/badge/{provider}/{rest}`` for every provider."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, param

TAG = {
    "name": "providers",
    "description": "Live values: github, gitlab, bitbucket, dockerhub, pypi, npm, youtube, "
    "twitter and plugin providers.",
}


def fragment() -> dict[str, Any]:
    params = [
        param("provider", "path", "A provider: github, gitlab, pypi, npm, ... or a plugin's."),
        param(
            "rest",
            "path",
            "The subject's segments, then the metric with an optional .svg/.png/.json "
            "suffix: `pallets/flask/stars`, `flask/version.json` (may contain slashes).",
        ),
        param("token", "query", "A user's token for private data (answer is private)."),
    ]
    return {
        "tags": [TAG],
        "paths": {
            "/v2/badge/{provider}/{rest}": badge_get(
                "A provider badge (/v2/badge/github/pallets/flask/stars)", "providers", params
            )
        },
    }
