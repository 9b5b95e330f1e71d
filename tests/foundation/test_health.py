"""GET /health: status, version, timestamp and per-service checks."""

from __future__ import annotations

import datetime as dt

from badgeapp import create_app
from badgeapp.storage import apikeys, db


def admin_get(app, path="/health"):
    """``/health`` as an operator sees it: with an admin key, so ``details`` is included."""
    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "ops", ["admin"])[1]
    return app.test_client().get(path, headers={"Authorization": f"Bearer {key}"})


def test_health_healthy(app):
    response = admin_get(app)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "healthy"
    assert body["version"] == "0.1.0"
    stamp = dt.datetime.strptime(body["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 60
    assert body["services"] == {
        "cache": "operational",
        "database": "operational",
        "plugins": "operational",
        "github": "not configured",  # no GITHUB_TOKEN(S): see tests/rank for the others
    }
    assert body["details"]["cache"] == {"status": "operational", "backend": "SimpleCache"}
    assert body["details"]["database"] == {"status": "operational", "backend": "sqlite"}
    assert response.headers["Cache-Control"] == "no-store"


def test_health_unhealthy_when_database_unreachable(app_config):
    app = create_app(
        {**app_config, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"}
    )
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unhealthy"
    assert body["services"]["database"] == "unavailable"
    assert "details" not in body  # the error names hosts: admin keys only (issue 11 item 14)


def test_health_degraded_when_redis_down(app_config):
    app = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    body = app.test_client().get("/health").get_json()
    assert body["status"] == "degraded"
    assert body["services"]["cache"] == "unavailable"


def test_health_with_redis(app_config, redis_url, redis_prefix):
    app = create_app({**app_config, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix})
    body = admin_get(app).get_json()
    assert body["services"]["cache"] == "operational"
    assert body["details"]["cache"] == {"status": "operational", "backend": "RedisCache"}
    assert body["status"] == "healthy"


def test_health_with_postgres(app_config, postgres_url):
    app = create_app({**app_config, "DATABASE_URL": postgres_url})
    from badgeapp.storage import migrate

    migrate.upgrade(app)
    body = admin_get(app).get_json()
    assert body["services"]["database"] == "operational"
    assert body["details"]["database"] == {"status": "operational", "backend": "postgresql"}


def test_health_matches_the_rank_spec_schema(client):
    """The rank spec's HealthResponse: status enum, version, date-time, services name -> string."""
    body = client.get("/health").get_json()
    assert body["status"] in {"healthy", "degraded", "unhealthy"}
    assert isinstance(body["version"], str)
    dt.datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    assert body["services"]
    assert all(isinstance(v, str) for v in body["services"].values()), body["services"]
