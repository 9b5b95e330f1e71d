"""Rate limits never break an image: a limited badge URL still answers a badge.

An app with tiny limits (3 a minute) is asked each badge family's URL six times from one
client. The limit policy (README "Serving"): cached and static answers are never counted, so
image URLs keep answering images with 200 and never a 429; where a limit does apply (cold
upstream fetches of new URLs) an image is the last good image or a ``rate limited`` badge, still
200, with ``Retry-After`` and ``no-store``. JSON URLs over a limit answer the catalogue's 429 JSON.
Nothing is ever 5xx.
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
        if response.headers.get("Retry-After"):  # a limit applied: no cache may keep it
            control = response.headers.get("Cache-Control", "")
            assert "no-store" in control or "max-age=0" in control, control
    assert 429 not in statuses, (template, statuses)  # an image is never refused


def test_cold_fetches_over_the_limit_still_answer_images(limited_app, limited_seed):
    """New repositories cost a cold upstream fetch each: past the limit they are answered
    with a ``rate limited`` image (200, Retry-After, no-store), JSON with the catalogue's 429."""
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.3.3.3"  # a budget of its own
    images = [client.get(f"/v2/badge/github/cold{n}/repo/stars") for n in range(ASKS)]
    assert {r.status_code for r in images} <= {200} | set(UPSTREAM_STATUSES)
    limited = [r for r in images if r.headers.get("Retry-After")]
    assert limited, "the cold-fetch limit never applied"
    for response in limited:
        assert check_response(response, allow=UPSTREAM_STATUSES) == "svg"
        assert b"rate limited" in response.data
        assert response.headers["Cache-Control"] == "no-store"
    as_json = client.get("/v2/badge/github/colder/repo/stars.json")
    assert as_json.status_code == 429
    assert as_json.get_json()["error"] == "RateLimitExceeded"


@pytest.mark.parametrize("url", JSON_URLS)
def test_limited_json_urls_answer_json(limited_app, limited_seed, url):
    client = limited_app.test_client()
    url = url.format(**limited_seed)
    for _ in range(ASKS):
        response = client.get(url)
        assert check_response(response, allow=UPSTREAM_STATUSES) == "json", url
        if response.status_code == 429:
            assert response.headers.get("Retry-After"), url
