"""The OpenAPI 3.0 document of the quality API (served at ``/api/v1/badge/openapi.json``)."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import json_response, param
from badgeapp.quality.report import KINDS

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


_PROJECT = [
    param("org", "path", "Organisation (owner) name", pattern="^[A-Za-z0-9._-]{1,100}$"),
    param("repo", "path", "Repository name", pattern="^[A-Za-z0-9._-]{1,100}$"),
]
_BRANCH = param("branch", "query", "Branch (default: QUALITY_DEFAULT_BRANCH, main)")


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    """The document; ``server_url`` is where the API is served."""
    badge_params = [
        param("badge_type", "path", "Badge type", enum=list(KINDS)),
        *_PROJECT,
        param("style", "query", "Badge style", enum=["flat", "flat-square", "plastic"]),
        param("color", "query", "Custom colour (hex without #, or a name)"),
        param("label", "query", "Custom label (default: the badge type)"),
        _BRANCH,
        param("format", "query", "Output format", enum=["svg", "png", "json"]),
        param("cacheSeconds", "query", "Raise max-age above 300", type="integer", minimum=0),
    ]
    auth = [{"apiKey": []}]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "badgeapp quality badges",
            "version": "1.0.0",
            "description": "Coverage, quality, security and tests badges from uploaded reports.",
        },
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Detail": _DETAIL},
        },
        "paths": {
            "/api/v1/badge/{badge_type}/{org}/{repo}": {
                "get": {
                    "summary": "A quality badge",
                    "parameters": badge_params,
                    "responses": {
                        "200": {
                            "description": "The badge",
                            "headers": {
                                "Cache-Control": {"schema": {"type": "string"}},
                                "X-Badge-Type": {"schema": {"type": "string"}},
                            },
                            "content": {
                                "image/svg+xml": {"schema": {"type": "string"}},
                                "image/png": {"schema": {"type": "string", "format": "binary"}},
                                "application/json": {"schema": {"type": "object"}},
                            },
                        },
                        "400": json_response("Invalid style or branch", _DETAIL),
                        "404": json_response("Project (or report) not found", _DETAIL),
                        "429": json_response("Rate limit exceeded", _DETAIL),
                    },
                }
            },
            "/api/v1/badge/invalidate/{org}/{repo}": {
                "post": {
                    "summary": "Invalidate cached badges",
                    "security": auth,
                    "parameters": [
                        *_PROJECT,
                        param("badge_type", "query", "One badge type", enum=list(KINDS)),
                    ],
                    "responses": {
                        "200": json_response(
                            "Entries dropped",
                            {
                                "type": "object",
                                "properties": {
                                    "project_id": {"type": "string"},
                                    "badge_type": {"type": "string", "nullable": True},
                                    "invalidated": {"type": "integer"},
                                },
                            },
                        ),
                        "400": json_response("Invalid badge_type", _DETAIL),
                        "401": {"description": "No valid API key"},
                        "403": {"description": "The key lacks upload:org/repo"},
                    },
                }
            },
            "/api/v1/badge/cache/stats": {
                "get": {
                    "summary": "Cache statistics",
                    "responses": {
                        "200": json_response(
                            "Counts",
                            {
                                "type": "object",
                                "properties": {
                                    key: {"type": "integer"}
                                    for key in (
                                        "total_entries",
                                        "active_entries",
                                        "expired_entries",
                                        "default_ttl",
                                    )
                                },
                            },
                        )
                    },
                }
            },
            "/api/v1/reports/{org}/{repo}": {
                "post": {
                    "summary": "Upload a report",
                    "security": auth,
                    "parameters": [
                        *_PROJECT,
                        _BRANCH,
                        param("format", "query", "Force a parser (cobertura, lcov, ...)"),
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/xml": {"schema": {"type": "string"}},
                            "application/json": {"schema": {"type": "object"}},
                            "text/plain": {"schema": {"type": "string"}},
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                }
                            },
                        },
                    },
                    "responses": {
                        "201": json_response("Stored", {"type": "object"}),
                        "400": json_response("Malformed report", _DETAIL),
                        "401": {"description": "No valid API key"},
                        "403": {"description": "The key lacks upload:org/repo"},
                        "413": json_response("Report too large", _DETAIL),
                        "415": json_response("Unsupported report format", _DETAIL),
                    },
                },
                "get": {
                    "summary": "Upload history, newest first",
                    "parameters": [
                        *_PROJECT,
                        param("branch", "query", "Only this branch"),
                        param("kind", "query", "Only this badge type", enum=list(KINDS)),
                        param("limit", "query", "At most", type="integer", minimum=1),
                    ],
                    "responses": {
                        "200": json_response("Reports", {"type": "object"}),
                        "404": json_response("Project not found", _DETAIL),
                    },
                },
            },
            "/api/v1/badge/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": json_response("OpenAPI", {"type": "object"})},
                }
            },
            "/api/v1/badge/docs": {
                "get": {
                    "summary": "This document as an HTML page",
                    "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}},
                }
            },
        },
    }
