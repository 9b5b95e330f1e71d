"""The quality API's OpenAPI document describes every route of the family, and only those."""

from __future__ import annotations

import re


def _openapi_path(rule: str) -> str:
    """``/api/v1/badge/<any(...):badge_type>/<org>`` -> ``/api/v1/badge/{badge_type}/{org}``."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", re.sub(r"<any\([^)]*\):", "<", rule))


def test_document_lists_every_route_and_method(app, client):
    document = client.get("/api/v1/badge/openapi.json").get_json()
    assert document["openapi"].startswith("3.0")
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("quality.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented


def test_documented_statuses_include_the_spec_errors(client):
    paths = client.get("/api/v1/badge/openapi.json").get_json()["paths"]
    badge = paths["/api/v1/badge/{badge_type}/{org}/{repo}"]["get"]["responses"]
    assert {"200", "400", "404", "429"} <= set(badge)
    upload = paths["/api/v1/reports/{org}/{repo}"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415"} <= set(upload)


def test_docs_page_shows_every_documented_operation(client):
    """The spec's interactive documentation URL: an HTML page built from the same document."""
    document = client.get("/api/v1/badge/openapi.json").get_json()
    response = client.get("/api/v1/badge/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert '<a href="/api/v1/badge/openapi.json">' in page
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert f"<code>{method.upper()} {path}</code>" in page
            assert operation["summary"] in page
            for status in operation["responses"]:
                assert f"<td>{status}</td>" in page
    assert "<script" not in page
