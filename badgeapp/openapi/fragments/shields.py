"""The shields family: shields' own live routes, endpoint and dynamic badges."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, param, suffix_param

TAG = {
    "name": "shields",
    "description": "Shields' live-badge routes as shields spells them (swap the host, keep the "
    "README), its endpoint and dynamic badges (user-chosen URLs fetched safely).",
}

_SERVICE = param(
    "service", "path", "A shields service: github, pypi, npm, docker, nuget, gem, crates, ..."
)
_URL = param("url", "query", "An https URL (fetched with safe fetch).")


def fragment() -> dict[str, Any]:
    rest = param("rest", "path", "The route after the service, e.g. stars/pallets/flask.")
    query = param("query", "query", "JSONPath (json, yaml) or XPath (xml) of the value.")
    dynamic = [
        param("kind", "path", "The document's format.", enum=["json", "yaml", "xml"]),
        _URL,
        query,
        param("prefix", "query", "Text before the value."),
        param("suffix", "query", "Text after the value."),
    ]
    return {
        "tags": [TAG],
        "paths": {
            "/{service}/{rest}": badge_get(
                "A shields live badge (/github/stars/pallets/flask, /pypi/v/flask)",
                "shields",
                [_SERVICE, rest],
            ),
            "/{service}": badge_get("A shields route with no segments", "shields", [_SERVICE]),
            "/{service}.{ext}": badge_get(
                "A shields route with no segments, with a suffix",
                "shields",
                [_SERVICE, suffix_param()],
            ),
            "/endpoint": badge_get("A badge from endpoint JSON", "shields", [_URL]),
            "/endpoint.{ext}": badge_get(
                "An endpoint badge with a suffix", "shields", [_URL, suffix_param()]
            ),
            "/badge/dynamic/{kind}": badge_get(
                "A value read from a JSON, YAML or XML document", "shields", dynamic
            ),
            "/website-{rest}": badge_get(
                "Shields' legacy website form: website-up-down-green-red/https/example.com",
                "shields",
                [param("rest", "path", "Labels, colours and the URL's parts.")],
            ),
        },
    }
