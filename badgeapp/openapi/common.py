"""Pieces the fragments share: parameters, the common badge query, responses, error schema."""

from __future__ import annotations

from typing import Any

from badgeapp.http.query import FORMATS, STYLES
from badgeapp.render.themes import THEME_NAMES

ERROR_REF = {"$ref": "#/components/schemas/Error"}

#: components every fragment may refer to
COMPONENTS: dict[str, Any] = {
    "schemas": {
        "Error": {
            "type": "object",
            "description": "The JSON error body of every JSON endpoint.",
            "properties": {
                "error": {"type": "string", "examples": ["NotFound"]},
                "code": {"type": "integer", "examples": [404]},
                "message": {"type": "string"},
                "requestId": {"type": "string", "examples": ["req_1a2b3c4d5e6f"]},
            },
            "required": ["error", "code", "message"],
        },
        "EndpointBadge": {
            "type": "object",
            "description": "A badge as shields' endpoint JSON (format=json).",
            "properties": {
                "schemaVersion": {"type": "integer"},
                "label": {"type": "string"},
                "message": {"type": "string"},
                "color": {"type": "string"},
            },
        },
    },
    "securitySchemes": {
        "apiKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`badgeapp keys create`), as `Authorization: Bearer`.",
        }
    },
}


def param(name: str, where: str, description: str, **schema: Any) -> dict[str, Any]:
    """One parameter; path parameters are required."""
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


def path_params(*names_and_descriptions: tuple[str, str]) -> list[dict[str, Any]]:
    return [param(name, "path", description) for name, description in names_and_descriptions]


#: the query parameters every badge accepts (badgeapp.http.query)
BADGE_QUERY = [
    param(
        "style",
        "query",
        "Shape, or a theme name (the theme on the flat shape).",
        enum=[*STYLES, *THEME_NAMES],
    ),
    param("theme", "query", "A theme (built-in or from a plugin).", enum=list(THEME_NAMES)),
    param("label", "query", "Left-hand text (overrides the default)."),
    param("color", "query", "Right-hand colour: a name, hex (no #) or CSS colour."),
    param("labelColor", "query", "Left-hand colour."),
    param("logo", "query", "A brand (simple-icons slug), a generic icon or a data: URI."),
    param("icon", "query", "Alias of logo."),
    param("logoColor", "query", "Colour of a monochrome logo."),
    param("link", "query", "Link(s) of the badge (repeatable, http(s) only)."),
    param(
        "cacheSeconds",
        "query",
        "Raise the cache lifetime (never lowers it).",
        type="integer",
        minimum=0,
    ),
    param("animated", "query", "Animate the theme (SMIL/CSS).", type="boolean"),
    param("format", "query", "Output format (a path suffix wins).", enum=list(FORMATS)),
    param("scale", "query", "PNG scale factor.", type="integer", minimum=1, maximum=4),
    param("sig", "query", "URL signature (see Signed URLs); required for signed families."),
    param("exp", "query", "Expiry of a signed URL, Unix seconds (signed with it).", type="integer"),
]


def json_response(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema or {"type": "object"}}},
    }


def error(description: str) -> dict[str, Any]:
    return json_response(description, ERROR_REF)


def badge_responses(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A badge: an image (SVG, PNG) or JSON; errors are badges too (JSON for JSON clients)."""
    responses: dict[str, Any] = {
        "200": {
            "description": "The badge (an error badge when the value cannot be had).",
            "headers": {
                "Cache-Control": {"schema": {"type": "string"}},
                "ETag": {"schema": {"type": "string"}},
            },
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/EndpointBadge"}},
            },
        },
        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
        "403": {"description": "Missing, wrong or expired URL signature (an error badge)."},
        "404": {"description": "No such badge: shields' `404 | badge not found` badge."},
        "429": {"description": "Rate limited or blocked for enumeration (an error badge)."},
    }
    responses.update(extra or {})
    return responses


def badge_get(summary: str, tag: str, params: list[dict[str, Any]], **extra: Any) -> dict:
    """The GET operation of a badge route (``params`` replace common ones of the same name)."""
    own = {(p["name"], p["in"]) for p in params}
    common = [p for p in BADGE_QUERY if (p["name"], p["in"]) not in own]
    return {
        "get": {
            "tags": [tag],
            "summary": summary,
            "parameters": [*params, *common],
            "responses": badge_responses(),
            **extra,
        }
    }


def suffix_param() -> dict[str, Any]:
    return param("ext", "path", "Output format.", enum=list(FORMATS))
