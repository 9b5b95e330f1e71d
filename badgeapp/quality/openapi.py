"""The OpenAPI 3.0 document of the quality API (served at ``/api/v1/badge/openapi.json``)."""

from __future__ import annotations

from typing import Any

from badgeapp.quality.report import KINDS

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


def _param(name: str, where: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


_PROJECT = [
    _param("org", "path", "Organisation (owner) name", pattern="^[A-Za-z0-9._-]{1,100}$"),
    _param("repo", "path", "Repository name", pattern="^[A-Za-z0-9._-]{1,100}$"),
]
_BRANCH = _param("branch", "query", "Branch (default: QUALITY_DEFAULT_BRANCH, main)")


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    """The document; ``server_url`` is where the API is served."""
    badge_params = [
        _param("badge_type", "path", "Badge type", enum=list(KINDS)),
        *_PROJECT,
        _param("style", "query", "Badge style", enum=["flat", "flat-square", "plastic"]),
        _param("color", "query", "Custom colour (hex without #, or a name)"),
        _param("label", "query", "Custom label (default: the badge type)"),
        _BRANCH,
        _param("format", "query", "Output format", enum=["svg", "png", "json"]),
        _param("cacheSeconds", "query", "Raise max-age above 300", type="integer", minimum=0),
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
                        "400": _json("Invalid style or branch", _DETAIL),
                        "404": _json("Project (or report) not found", _DETAIL),
                        "429": _json("Rate limit exceeded", _DETAIL),
                    },
                }
            },
            "/api/v1/badge/invalidate/{org}/{repo}": {
                "post": {
                    "summary": "Invalidate cached badges",
                    "security": auth,
                    "parameters": [
                        *_PROJECT,
                        _param("badge_type", "query", "One badge type", enum=list(KINDS)),
                    ],
                    "responses": {
                        "200": _json(
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
                        "400": _json("Invalid badge_type", _DETAIL),
                        "401": {"description": "No valid API key"},
                        "403": {"description": "The key lacks upload:org/repo"},
                    },
                }
            },
            "/api/v1/badge/cache/stats": {
                "get": {
                    "summary": "Cache statistics",
                    "responses": {
                        "200": _json(
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
                        _param("format", "query", "Force a parser (cobertura, lcov, ...)"),
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
                        "201": _json("Stored", {"type": "object"}),
                        "400": _json("Malformed report", _DETAIL),
                        "401": {"description": "No valid API key"},
                        "403": {"description": "The key lacks upload:org/repo"},
                        "413": _json("Report too large", _DETAIL),
                        "415": _json("Unsupported report format", _DETAIL),
                    },
                },
                "get": {
                    "summary": "Upload history, newest first",
                    "parameters": [
                        *_PROJECT,
                        _param("branch", "query", "Only this branch"),
                        _param("kind", "query", "Only this badge type", enum=list(KINDS)),
                        _param("limit", "query", "At most", type="integer", minimum=1),
                    ],
                    "responses": {
                        "200": _json("Reports", {"type": "object"}),
                        "404": _json("Project not found", _DETAIL),
                    },
                },
            },
            "/api/v1/badge/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": _json("OpenAPI", {"type": "object"})},
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
