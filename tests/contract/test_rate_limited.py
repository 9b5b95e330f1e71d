"""Rate limits never break an image: a limited badge URL still answers a badge.

An app with tiny limits (3 a minute) is asked each badge family's URL six times from one
client. Image URLs must keep answering images: a ``rate limited`` badge with 429 and
``Retry-After`` that no cache keeps (shields-style families), or the last image with 200
(nice buttons, BADGE-06). JSON URLs answer the catalogue's 429 JSON. Nothing is ever 5xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from badgeapp import create_app

from .checks import UPSTREAM_STATUSES, check_response
from .conftest import LCOV, contract_config

LIMIT = "3/minute"
ASKS = 6


@pytest.fixture(scope="module")
def limited_app(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path | None
) -> Iterator[Flask]:
    config = contract_config(tmp_path_factory.mktemp("limited"), migrated_sqlite_template)
    config.update(
        {
            "RATE_LIMIT": LIMIT,
            "QUALITY_RATE_LIMIT": LIMIT,
            "NICE_LIMIT": LIMIT,
            "NICE_CREATE_LIMIT": "100/minute",
        }
    )
    app = create_app(config)
    yield app
    from badgeapp.storage import db

    db.dispose(app)


@pytest.fixture(scope="module")
def limited_seed(limited_app: Flask) -> dict[str, str]:
    from badgeapp.storage import apikeys, db

    with db.session_scope(limited_app) as session:
        key = apikeys.create_key(session, "contract", ["admin"])[1]
    client = limited_app.test_client()
    uploaded = client.post(
        "/api/v1/reports/acme/widgets",
        data=LCOV,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/plain"},
    )
    assert uploaded.status_code == 201, uploaded.data
    button = client.post("/api/buttons").get_json()["publicId"]
    return {"button": button}


IMAGE_URLS = [
    "/v2/badge/custom?label=a&value=b",
    "/badge/a-b-blue",
    "/badge/a-b-blue.png",
    "/static/v1?message=m",
    "/v2/badge/github/a/b/stars",
    "/v2/badge/plugin/echo/cpu",
    "/v2/compose?badges=a:b",
    "/api/v1/badge/coverage/acme/widgets",
    "/badge/{button}.svg",
    "/badge/nothing-here",
]
#: nice badges answer the last image (BADGE-06); cached quality badges are not counted (spec)
NEVER_429 = {"/badge/{button}.svg", "/api/v1/badge/coverage/acme/widgets"}
JSON_URLS = [
    "/v2/badge/custom.json?value=b",
    "/badge/a-b-blue.json",
    "/v2/badge/github/a/b/stars.json",
    "/api/v1/badge/coverage/acme/widgets?format=json",
    "/api/buttons/{button}",
    "/api/v1/reports/acme/widgets",
]


@pytest.mark.parametrize("url", IMAGE_URLS)
def test_limited_image_urls_still_answer_images(limited_app, limited_seed, url):
    client = limited_app.test_client()
    template, url = url, url.format(**limited_seed)
    statuses = []
    for _ in range(ASKS):
        response = client.get(url)
        kind = check_response(response, allow=UPSTREAM_STATUSES)
        assert kind == ("png" if url.endswith(".png") else "svg"), (url, response.status_code)
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.headers.get("Retry-After"), url
            control = response.headers.get("Cache-Control", "")
            assert "no-store" in control or "max-age=0" in control, control
    if template in NEVER_429:
        assert set(statuses) == {200}, (url, statuses)
    elif template != "/badge/nothing-here":
        assert 429 in statuses, (url, statuses)  # the limit really applies


@pytest.mark.parametrize("url", JSON_URLS)
def test_limited_json_urls_answer_json(limited_app, limited_seed, url):
    client = limited_app.test_client()
    url = url.format(**limited_seed)
    for _ in range(ASKS):
        response = client.get(url)
        assert check_response(response, allow=UPSTREAM_STATUSES) == "json", url
        if response.status_code == 429:
            assert response.headers.get("Retry-After"), url
