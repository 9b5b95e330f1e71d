"""The custom family: ``/v2/badge/custom``, shields' static badge and ``/static/v1``."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, param, suffix_param

TAG = {"name": "custom", "description": "Badges whose text is in the URL."}


def fragment() -> dict[str, Any]:
    value = [
        param("label", "query", "Left-hand text."),
        param("value", "query", "Right-hand text (alias: message)."),
        param("message", "query", "Alias of value."),
    ]
    static_v1 = [
        param("label", "query", "Left-hand text."),
        param("message", "query", "Right-hand text."),
    ]
    content = param(
        "content",
        "path",
        "`label-message-color` (or `message-color`) with an optional .svg/.png/.json suffix; "
        "`_` is a space, `__` an underscore, `--` a dash.",
    )
    return {
        "tags": [TAG],
        "paths": {
            "/v2/badge/custom": badge_get("A custom badge", "custom", value),
            "/v2/badge/custom.{ext}": badge_get(
                "A custom badge in a format", "custom", [suffix_param(), *value]
            ),
            "/badge/{content}": badge_get(
                "Shields' static badge (/badge/build-passing-brightgreen)", "custom", [content]
            ),
            "/static/v1": badge_get("Shields' older static badge", "custom", static_v1),
            "/static/v1.{ext}": badge_get(
                "Shields' older static badge in a format", "custom", [suffix_param(), *static_v1]
            ),
        },
    }
