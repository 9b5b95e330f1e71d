"""The nice-button family: counters and their badge."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, error, json_response, param

TAG = {"name": "nice", "description": "A counter anyone can bump, and its badge."}

_BUTTON = {
    "type": "object",
    "properties": {
        "publicId": {"type": "string"},
        "count": {"type": "integer"},
        "createdAt": {"type": "string", "format": "date-time"},
        "badge": {"type": "string"},
    },
}


def fragment() -> dict[str, Any]:
    public_id = param("public_id", "path", "The button's public id (letters and digits).")
    badge = badge_get("The button's badge (nice | 1.2k)", "nice", [public_id])
    return {
        "tags": [TAG],
        "paths": {
            "/api/buttons": {
                "post": {
                    "tags": ["nice"],
                    "summary": "Create a button",
                    "security": [{"apiKey": []}, {}],
                    "responses": {
                        "201": json_response("Created", _BUTTON),
                        "401": error("A key with the buttons scope is needed"),
                        "429": error("Too many buttons created"),
                    },
                }
            },
            "/api/buttons/{public_id}": {
                "get": {
                    "tags": ["nice"],
                    "summary": "A button's count",
                    "parameters": [public_id],
                    "responses": {
                        "200": json_response("The button", _BUTTON),
                        "404": error("No such button"),
                    },
                }
            },
            "/api/buttons/{public_id}/nice": {
                "post": {
                    "tags": ["nice"],
                    "summary": "Add one nice",
                    "parameters": [public_id],
                    "responses": {
                        "200": json_response("The new count", _BUTTON),
                        "404": error("No such button"),
                        "429": error("This visitor already niced it (NICE_LIMIT)"),
                    },
                }
            },
            "/badge/{public_id}.svg": badge,
        },
    }
