"""The limit policy (issue 10 item 1, issue 11 items 3 and 7): only expensive work is counted,
an image over a limit gets its last good image, JSON clients get the documented 429."""

from __future__ import annotations

import socket
import time

import pytest
from flask import Blueprint, request

from badgeapp import create_app
from badgeapp.badges.limits import expensive
from badgeapp.http.badge_response import badge_response
from badgeapp.http.hot_path import ENVIRON_KEY
from badgeapp.http.query import parse_query
from badgeapp.state.redis_client import connection_options
from badgeapp.storage import apikeys, db

heavy = Blueprint("heavy_probe", __name__)


@heavy.get("/probe/heavy")
@expensive("render")
def heavy_badge():
    """A family-like heavy render: counted against RENDER_LIMIT when not served from cache."""
    query = parse_query(request.args)
    return badge_response(query.spec(label="heavy", message="drawn", color="blue"), query)


def test_static_badges_are_never_refused(app_config):
    app = create_app({**app_config, "RATE_LIMIT": "1/minute", "HOT_PATH_BYTES": 0})
    client = app.test_client()
    for n in range(30):
        response = client.get(f"/badge/n{n}-passing-green")
        assert response.status_code == 200 and b"passing" in response.data


def test_cached_provider_badges_are_never_refused(app_config, fake_upstream):
    app = create_app(
        {**app_config, **fake_upstream.config(), "RATE_LIMIT": "1/minute", "HOT_PATH_BYTES": 0}
    )
    client = app.test_client()
    for _ in range(20):  # one cold fetch, then the upstream cache answers
        response = client.get("/v2/badge/pypi/flask/version")
        assert response.status_code == 200 and b"rate limited" not in response.data
    assert fake_upstream.count("pypi") == 1


def test_over_the_limit_a_provider_image_gets_its_last_good_value(app_config, fake_upstream):
    app = create_app(
        {
            **app_config,
            **fake_upstream.config(),
            "RATE_LIMIT": "1/minute",
            "UPSTREAM_FRESH_SECONDS": 0,  # every view is a cold fetch (a revalidation)
            "HOT_PATH_BYTES": 0,
        }
    )
    client = app.test_client()
    first = client.get("/v2/badge/pypi/flask/version")
    assert first.status_code == 200 and "X-Badge-Stale" not in first.headers
    limited = client.get("/v2/badge/pypi/flask/version")
    assert limited.status_code == 200
    assert limited.headers["X-Badge-Stale"] == "1"
    assert limited.data == first.data  # the same value, not a "rate limited" badge
    assert fake_upstream.count("pypi") == 1


def test_over_the_limit_a_heavy_image_gets_its_last_good_image(app_config):
    app = create_app({**app_config, "RENDER_LIMIT": "1/minute"})
    app.register_blueprint(heavy)
    client = app.test_client()
    first = client.get("/probe/heavy")
    assert first.status_code == 200
    assert client.get("/probe/heavy").headers["Age"] == "0"  # cached: not counted
    for entry in app.extensions[ENVIRON_KEY].entries.values():
        entry.expires_at = time.time() - 1  # its lifetime is over: the next view renders
    stale = client.get("/probe/heavy")
    assert stale.status_code == 200
    assert stale.headers["X-Badge-Stale"] == "1"
    assert stale.data == first.data
    assert stale.headers["Cache-Control"] == "no-store"
    assert int(stale.headers["Retry-After"]) >= 1
    other = client.get("/probe/heavy?label=new")  # never drawn: a rate limited badge, still 200
    assert other.status_code == 200 and b"rate limited" in other.data
    as_json = client.get("/probe/heavy?label=other&format=json")
    assert as_json.status_code == 429
    body = as_json.get_json()
    assert body["error"] == "RateLimitExceeded" and body["code"] == 429
    assert body["retryAfter"] >= 1 and body["requestId"].startswith("req_")
    assert as_json.headers["Retry-After"] == str(body["retryAfter"])


def test_writes_are_limited_with_the_documented_body(app_config):
    app = create_app({**app_config, "WRITE_LIMIT": "2/minute"})
    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {key}"}
    statuses = [
        client.post("/api/v1/reports/acme/widgets", json={"coverage": 50}, headers=auth)
        for _ in range(3)
    ]
    assert [r.status_code for r in statuses] == [201, 201, 429]
    body = statuses[2].get_json()  # the quality spec's 429 body
    assert body["detail"] == "Rate limit exceeded" and 1 <= body["retry_after"] <= 61
    assert statuses[2].headers["Retry-After"] == str(body["retry_after"])
    assert "Retry-After" not in statuses[0].headers
    assert not any(h.startswith("X-RateLimit") for h, _ in statuses[0].headers.items())


@pytest.mark.redis
def test_quality_badges_survive_a_redis_outage(app_config, redis_url, redis_prefix):
    """Issue 11 item 7: while Redis is away, cached quality badges are served from the local
    copy, never turned into ``rate limited``."""
    import redis

    app = create_app(
        {
            **app_config,
            "REDIS_URL": redis_url,
            "REDIS_PREFIX": redis_prefix,
            "QUALITY_RATE_LIMIT": "1/minute",
            "HOT_PATH_BYTES": 0,  # the quality cache itself must hold
        }
    )
    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]
    client = app.test_client()
    upload = client.post(
        "/api/v1/reports/acme/widgets",
        json={"coverage": 64.2},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert upload.status_code == 201
    url = "/api/v1/badge/coverage/acme/widgets"
    assert b"64.2%" in client.get(url).data  # the one counted (uncached) view
    with socket.socket() as probe:  # a port nobody listens on: Redis is "down"
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = redis.Redis(port=port, **connection_options(timeout=0.2))  # as the app makes them
    from badgeapp.families.quality import badge_cache

    with app.app_context():
        badge_cache().client = dead
    app.extensions["badgeapp.redis"] = dead
    app.extensions["badgeapp.generations"].client = dead
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200
        assert b"64.2%" in response.data and b"rate limited" not in response.data
