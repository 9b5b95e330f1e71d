"""A dependency down is no reason for a broken image.

With ``REDIS_URL`` pointing at a port nothing listens on (Redis down or misconfigured), every
family still answers images: static and custom badges, providers (in-process upstream store),
compose, quality (served uncached) and nice buttons (counts from the database, nices counted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from badgeapp import create_app

from .checks import UPSTREAM_STATUSES, check_response, check_svg
from .conftest import LCOV, Seed, contract_config

REDIS_DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="module")
def redis_down_app(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path | None
) -> Iterator[tuple[Flask, Seed]]:
    folder = tmp_path_factory.mktemp("redis-down")
    config = contract_config(folder, migrated_sqlite_template)
    # make the data while Redis is not involved, then start the app that needs it
    setup = create_app(config)
    from badgeapp.storage import apikeys, db

    with db.session_scope(setup) as session:
        key = apikeys.create_key(session, "contract", ["admin"])[1]
    client = setup.test_client()
    client.post(
        "/api/v1/reports/acme/widgets",
        data=LCOV,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/plain"},
    )
    button = client.post("/api/buttons").get_json()["publicId"]
    db.dispose(setup)
    app = create_app({**config, "REDIS_URL": REDIS_DOWN})
    yield app, Seed("acme", "widgets", button, key)
    db.dispose(app)


URLS = [
    "/v2/badge/custom?label=a&value=b",
    "/badge/a-b-blue",
    "/badge/a-b-blue.png",
    "/static/v1?message=m",
    "/v2/badge/github/a/b/stars",
    "/v2/badge/plugin/echo/cpu",
    "/v2/compose?badges=a:b,github/a/b/stars",
    "/api/v1/badge/coverage/{org}/{repo}",
]


@pytest.mark.parametrize("url", URLS)
def test_badges_are_images_while_redis_is_down(redis_down_app, url):
    app, seed = redis_down_app
    response = app.test_client().get(url.format(org=seed.org, repo=seed.repo))
    assert check_response(response, allow=UPSTREAM_STATUSES) in ("svg", "png")
    assert response.status_code == 200


def test_nice_badge_shows_its_count_while_redis_is_down(redis_down_app):
    """Finding 14 (fixed in b821d95), kept as a regression test."""
    app, seed = redis_down_app
    response = app.test_client().get(f"/badge/{seed.button}.svg")
    assert check_response(response) == "svg"
    assert check_svg(response.data).get("aria-label") == "nice: 0"


def test_a_nice_counts_while_redis_is_down(redis_down_app):
    """Finding 14 (fixed in b821d95), kept as a regression test."""
    app, seed = redis_down_app
    response = app.test_client().post(f"/api/buttons/{seed.button}/nice")
    assert response.status_code == 200, response.data
    assert response.get_json()["count"] == 1
