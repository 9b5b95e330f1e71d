"""``/health``, ``/plugins/list`` and Flask's ``/static/{filename}``."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import json_response, param

TAG = {"name": "operations", "description": "Health, plugins and static files."}


def fragment() -> dict[str, Any]:
    health = {
        "type": "object",
        "properties": {
            "status": {"enum": ["healthy", "degraded", "unhealthy"]},
            "services": {"type": "object", "additionalProperties": {"type": "string"}},
            "details": {"type": "object"},
        },
    }
    return {
        "tags": [TAG],
        "paths": {
            "/health": {
                "get": {
                    "tags": ["operations"],
                    "summary": "Health of the app and the services it needs",
                    "responses": {
                        "200": json_response("healthy or degraded", health),
                        "503": json_response("unhealthy (the database is unreachable)", health),
                    },
                }
            },
            "/plugins/list": {
                "get": {
                    "tags": ["operations"],
                    "summary": "Loaded plugins: name, source, version, hooks, load errors",
                    "responses": {"200": json_response("The plugins", {"type": "object"})},
                }
            },
            "/static/{filename}": {
                "get": {
                    "tags": ["operations"],
                    "summary": "Static files of the pages (CSS, scripts, images)",
                    "parameters": [param("filename", "path", "File under badgeapp/static/")],
                    "responses": {
                        "200": {"description": "The file"},
                        "404": {"description": "No such file"},
                    },
                }
            },
        },
    }
