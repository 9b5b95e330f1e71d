"""The OpenAPI 3.1 document covers every route in ``app.url_map``; /docs and /redoc serve it
with assets from a pip package (no CDN)."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from badgeapp import create_app
from badgeapp.openapi import app_document, openapi_path, rule_methods, undocumented_rules


@pytest.fixture
def docs_app(app_config):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    return create_app({**app_config, "BADGEAPP_PLUGINS_DIR": str(root / "plugins")})


def test_every_route_is_documented(docs_app):
    document = docs_app.test_client().get("/openapi.json").get_json()
    assert undocumented_rules(docs_app, document) == []


def test_a_missing_route_is_reported(docs_app):
    docs_app.add_url_rule("/api/undocumented/<int:n>", "undocumented", lambda n: "x")
    docs_app.add_url_rule(
        "/api/undocumented/<int:n>", "undocumented_post", lambda n: "x", methods=["POST"]
    )
    missing = undocumented_rules(docs_app, app_document(docs_app))
    assert missing == ["GET /api/undocumented/{n}", "POST /api/undocumented/{n}"]


def test_the_document_is_valid_openapi_31(docs_app):
    document = app_document(docs_app)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_quality_document_is_part_of_it(docs_app):
    from badgeapp.quality.openapi import openapi_document

    paths = app_document(docs_app)["paths"]
    for path, item in openapi_document()["paths"].items():
        assert set(item) <= set(paths[path]), path
    invalidated = paths["/api/v1/badge/invalidate/{org}/{repo}"]["post"]
    schema = invalidated["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["properties"]["badge_type"]["type"] == ["string", "null"]


def test_v1_paths_are_documented_as_deprecated(docs_app):
    paths = app_document(docs_app)["paths"]
    assert paths["/badge/github/{owner}/{repo}/{metric}"]["get"]["deprecated"] is True
    assert paths["/v1/badge/{rest}"]["get"]["deprecated"] is True


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ("/v2/badge/<provider>/<path:rest>", "/v2/badge/{provider}/{rest}"),
        ("/v2/compose.<any(svg, png, json):ext>", "/v2/compose.{ext}"),
        ("/badge/<nice_id:public_id>.svg", "/badge/{public_id}.svg"),
        ("/health", "/health"),
    ],
)
def test_rule_templates(rule, path):
    assert openapi_path(rule) == path


def test_rule_methods():
    assert rule_methods({"GET", "HEAD", "OPTIONS"}) == {"GET"}
    assert rule_methods({"OPTIONS"}) == {"OPTIONS"}


def test_openapi_json(docs_app):
    response = docs_app.test_client().get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["info"]["title"] == "badgeapp API"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_pages_load_nothing_from_elsewhere(docs_app, page):
    client = docs_app.test_client()
    response = client.get(page)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>badgeapp API</title>" in html
    references = re.findall(r'(?:src|href|spec-url|data-url)="([^"]+)"', html)
    assert references
    for ref in references:
        assert ref.startswith("/"), ref  # served by this app, never a CDN
        assert client.get(ref).status_code == 200, ref


def test_assets_are_only_the_listed_files(docs_app):
    client = docs_app.test_client()
    assert client.get("/docs/assets/swagger-ui-bundle.js").mimetype == "text/javascript"
    assert client.get("/redoc/assets/redoc.standalone.js").status_code == 200
    for path in ("/docs/assets/index.html", "/docs/assets/..%2F__init__.py", "/redoc/assets/x"):
        assert client.get(path).status_code == 404
