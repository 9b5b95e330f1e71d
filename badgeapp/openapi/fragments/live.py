"""The live family (WebSocket value streams) and the GitHub webhook."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import error, json_response, param

TAG = {
    "name": "live",
    "description": "Values pushed over WebSocket as they change, and the GitHub webhook "
    "that invalidates a repository's badges.",
}


def _socket(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "tags": ["live"],
            "summary": summary,
            "description": "A WebSocket: send `subscribe`/`unsubscribe`/`ping` messages; the "
            "server sends `value`, `heartbeat`, `pong` and `error` messages (README, "
            "Live stats over WebSocket).",
            "parameters": [
                *params,
                param("metrics", "query", "Comma-separated metrics to subscribe to at once."),
            ],
            "responses": {
                "101": {"description": "Switching protocols to WebSocket"},
                "403": error("Origin not allowed"),
                "426": error("A plain HTTP request on a WebSocket route"),
            },
        }
    }


def fragment() -> dict[str, Any]:
    return {
        "tags": [TAG],
        "paths": {
            "/ws/live/{provider}/{subject}": _socket(
                "Live values of one subject",
                [
                    param("provider", "path", "A provider name (github, pypi, ...)."),
                    param("subject", "path", "The subject's segments (owner/repo)."),
                ],
            ),
            "/ws/live/{metric}": _socket(
                "Live values of one metric",
                [
                    param("metric", "path", "A metric name (stars, forks, ...)."),
                    param("subject", "query", "provider/subject..., e.g. github/pallets/flask."),
                ],
            ),
            "/webhook/github": {
                "post": {
                    "tags": ["live"],
                    "summary": "GitHub webhook (push, star, fork, issues, ...)",
                    "description": "Signed with `X-Hub-Signature-256` (GITHUB_WEBHOOK_SECRET).",
                    "parameters": [
                        param("X-GitHub-Event", "header", "The event name."),
                        param("X-GitHub-Delivery", "header", "The delivery id (replays skipped)."),
                        param("X-Hub-Signature-256", "header", "sha256=HMAC of the raw body."),
                    ],
                    "responses": {
                        "200": json_response("Handled (or a ping, or a replay)"),
                        "202": json_response("Accepted, event not acted on"),
                        "400": error("Payload not readable"),
                        "401": error("Missing or wrong signature"),
                        "413": error("Body too large"),
                    },
                }
            },
        },
    }
