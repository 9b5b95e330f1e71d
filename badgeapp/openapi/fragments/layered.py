"""The layered PNG generator: ``POST /api/badge/generate``."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import json_response, param

TAG = {"name": "layered", "description": "Layered PNG badges from a JSON description."}


def fragment() -> dict[str, Any]:
    return {
        "tags": [TAG],
        "paths": {
            "/api/badge/generate": {
                "post": {
                    "tags": ["layered"],
                    "summary": "Compose a PNG from layers (text, shapes, images)",
                    "parameters": [param("format", "query", "png: the image itself", enum=["png"])],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "description": "width, height, background, layers[] "
                                    "(see the README's Layered image badges).",
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The JSON envelope (base64 data URI) or the PNG",
                            "content": {
                                "application/json": {"schema": {"type": "object"}},
                                "image/png": {"schema": {"contentMediaType": "image/png"}},
                            },
                        },
                        "413": json_response("Body too large"),
                        "422": json_response("Invalid description ({detail: [{loc, msg}]})"),
                    },
                },
                "options": {
                    "tags": ["layered"],
                    "summary": "CORS preflight",
                    "responses": {"200": {"description": "Allowed methods and headers"}},
                },
            }
        },
    }
