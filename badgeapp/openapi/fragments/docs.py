"""The documentation itself: ``/openapi.json``, ``/docs``, ``/redoc`` and their assets."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import json_response, param

TAG = {"name": "docs", "description": "This document and the pages showing it."}


def _html(summary: str) -> dict[str, Any]:
    return {
        "get": {
            "tags": ["docs"],
            "summary": summary,
            "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}},
        }
    }


def fragment() -> dict[str, Any]:
    asset = {
        "get": {
            "tags": ["docs"],
            "summary": "A file of the page (served from a pip package, no CDN)",
            "parameters": [param("filename", "path", "The file name.")],
            "responses": {
                "200": {"description": "The file"},
                "404": {"description": "No such file"},
            },
        }
    }
    return {
        "tags": [TAG],
        "paths": {
            "/openapi.json": {
                "get": {
                    "tags": ["docs"],
                    "summary": "This OpenAPI 3.1 document",
                    "responses": {"200": json_response("The document")},
                }
            },
            "/docs": _html("Swagger UI over this document"),
            "/redoc": _html("ReDoc over this document"),
            "/docs/assets/{filename}": asset,
            "/redoc/assets/{filename}": asset,
        },
    }
