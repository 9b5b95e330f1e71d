"""The dashboard's pages and forms, the theme management API and analytics."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import error, json_response, param

TAG = {
    "name": "dashboard",
    "description": "Pages: builder, theme editor, analytics.",
}
THEMES_TAG = {"name": "themes", "description": "Every theme, and installing one from a URL."}

_HTML = {"text/html": {"schema": {"type": "string"}}}
_NAME = param("name", "path", "A stored theme's name.")


def _page(summary: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {
        "tags": ["dashboard"],
        "summary": summary,
        "parameters": list(params),
        "responses": {"200": {"description": "An HTML page", "content": _HTML}},
    }


def _form(summary: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {
        "tags": ["dashboard"],
        "summary": summary + " (a form post with its CSRF token; needs a login)",
        "parameters": list(params),
        "responses": {
            "200": {"description": "The page again, with errors", "content": _HTML},
            "302": {"description": "Done: redirected to the next page"},
            "400": {"description": "Missing or wrong CSRF token"},
        },
    }


def fragment() -> dict[str, Any]:
    svg = {"image/svg+xml": {"schema": {"type": "string"}}}
    return {
        "tags": [TAG, THEMES_TAG],
        "paths": {
            "/": {"get": _page("Landing page")},
            "/dashboard": {"get": _page("Dashboard overview")},
            "/dashboard/builder": {
                "get": _page(
                    "Badge builder and live previewer", param("family", "query", "Family.")
                )
            },
            "/dashboard/builder/check": {
                "get": {
                    "tags": ["dashboard"],
                    "summary": "Validate builder fields; the badge URL and snippets",
                    "responses": {"200": json_response("URL, snippets and field errors")},
                }
            },
            "/dashboard/plugins": {"get": _page("Plugins table")},
            "/dashboard/login": {
                "get": _page("Log in with an API key"),
                "post": _form("Exchange an admin/themes key for a session"),
            },
            "/dashboard/logout": {"post": _form("Log out")},
            "/dashboard/themes": {"get": _page("Stored themes")},
            "/dashboard/themes/new": {
                "get": _page("Theme editor (new theme)"),
                "post": _form("Save a new theme"),
            },
            "/dashboard/themes/{name}/edit": {
                "get": _page("Theme editor", _NAME),
                "post": _form("Save a theme", _NAME),
            },
            "/dashboard/themes/{name}/duplicate": {"post": _form("Duplicate a theme", _NAME)},
            "/dashboard/themes/{name}/rename": {"post": _form("Rename a theme", _NAME)},
            "/dashboard/themes/{name}/delete": {"post": _form("Delete a theme", _NAME)},
            "/dashboard/themes/{name}/export": {
                "get": {
                    "tags": ["dashboard"],
                    "summary": "A stored theme as a JSON document",
                    "parameters": [_NAME],
                    "responses": {"200": json_response("The theme document")},
                }
            },
            "/dashboard/themes/import": {"post": _form("Import a theme document (JSON)")},
            "/dashboard/themes/install": {"post": _form("Install a theme from an https URL")},
            "/dashboard/themes/preview.svg": {
                "get": {
                    "tags": ["dashboard"],
                    "summary": "Preview a theme document being edited",
                    "parameters": [param("doc", "query", "The theme document (JSON).")],
                    "responses": {"200": {"description": "A badge", "content": svg}},
                }
            },
            "/dashboard/analytics": {
                "get": _page("Analytics", param("window", "query", "hour, day or week."))
            },
            "/dashboard/live": {
                "get": _page(
                    "Live badges: a subject's badges, updated over WebSocket",
                    param("provider", "query", "A provider with live values (github, pypi...)."),
                    param("subject", "query", "What to watch: owner/repo, a package name."),
                    param("metrics", "query", "Comma-separated metrics (stars,forks)."),
                )
            },
            "/dashboard/assets/{filename}": {
                "get": {
                    "tags": ["dashboard"],
                    "summary": "The dashboard's stylesheet and script",
                    "parameters": [param("filename", "path", "An asset file name.")],
                    "responses": {"200": {"description": "CSS or JavaScript"}},
                }
            },
            "/api/analytics": {
                "get": {
                    "tags": ["dashboard"],
                    "summary": "Analytics as JSON (admin)",
                    "security": [{"apiKey": []}],
                    "parameters": [param("window", "query", "hour, day or week.")],
                    "responses": {
                        "200": json_response("Counts per family, badge, error; upstream; abuse"),
                        "401": error("An admin key is needed"),
                    },
                }
            },
            "/themes/list": {
                "get": {
                    "tags": ["themes"],
                    "summary": "Every theme: built-in, plugin and stored, with source and fields",
                    "responses": {"200": json_response("The themes")},
                }
            },
            "/themes/install": {
                "post": {
                    "tags": ["themes"],
                    "summary": "Install a theme document from an https URL (themes/admin key)",
                    "security": [{"apiKey": []}],
                    "parameters": [param("url", "query", "An https URL of a theme JSON.")],
                    "responses": {
                        "201": json_response("The stored theme"),
                        "400": error("Refused URL or invalid document"),
                        "401": error("A themes or admin key is needed"),
                    },
                }
            },
        },
    }
