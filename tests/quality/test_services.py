"""Quality badges on the real services: PostgreSQL storage and a Redis cache shared by workers."""

from __future__ import annotations

import threading

import pytest

from badgeapp import create_app
from badgeapp.storage import apikeys, db, migrate

BADGE = "/api/v1/badge"


def _key(app, scope: str) -> str:
    with db.session_scope(app) as session:
        return apikeys.create_key(session, "ci", [scope])[1]


def _concurrent_first_uploads(app, threads: int = 6) -> None:
    """Several CI jobs upload the first reports of a new project at once: none fails."""
    key = _key(app, "upload:new/*")
    # the key's first use records last_used_at; done here so that only the uploads race
    warm = app.test_client().post(
        "/api/v1/reports/new/warmup",
        json={"coverage": 1},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert warm.status_code == 201
    start = threading.Barrier(threads)
    statuses: list[int] = []

    def run(n: int) -> None:
        client = app.test_client()
        start.wait(10)
        response = client.post(
            "/api/v1/reports/new/project",
            json={"coverage": 50 + n},
            headers={"Authorization": f"Bearer {key}"},
        )
        statuses.append(response.status_code)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert statuses == [201] * threads
    history = app.test_client().get("/api/v1/reports/new/project?limit=100").get_json()
    assert sorted(r["metrics"]["coverage"] for r in history["reports"]) == [
        50.0 + n for n in range(threads)
    ]
    from sqlalchemy import select

    from badgeapp.storage.models import Project

    with db.session_scope(app) as session:
        names = session.scalars(select(Project.repo).order_by(Project.repo)).all()
    assert names == ["project", "warmup"]


def test_concurrent_first_uploads_sqlite(app):
    _concurrent_first_uploads(app)


@pytest.fixture
def postgres_app(app_config, postgres_url):
    application = create_app({**app_config, "DATABASE_URL": postgres_url})
    migrate.upgrade(application)
    yield application
    db.dispose(application)


@pytest.mark.postgres
def test_upload_and_badge_on_postgresql(postgres_app, real_reports, sarif_report):
    client = postgres_app.test_client()
    auth = {"Authorization": f"Bearer {_key(postgres_app, 'upload:acme/widgets')}"}
    for body in (
        real_reports.cobertura.read_bytes(),
        real_reports.junit.read_bytes(),
        sarif_report,
    ):
        response = client.post("/api/v1/reports/acme/widgets", data=body, headers=auth)
        assert response.status_code == 201, response.get_json()
    response = client.post(
        "/api/v1/reports/acme/widgets?branch=dev", json={"grade": "A+"}, headers=auth
    )
    assert response.status_code == 201
    tests = client.get(f"{BADGE}/tests/acme/widgets?format=json").get_json()
    assert tests["message"] == "4 passing"
    security = client.get(f"{BADGE}/security/acme/widgets?format=json").get_json()
    assert security["message"] == "2 critical"
    dev = client.get(f"{BADGE}/security/acme/widgets?branch=dev&format=json").get_json()
    assert (dev["message"], dev["color"]) == ("A+", "00b140")
    coverage = client.get(f"{BADGE}/coverage/acme/widgets")
    assert coverage.status_code == 200
    assert coverage.headers["Cache-Control"] == "max-age=300"
    missing = client.get(f"{BADGE}/coverage/acme/nothing?format=json")
    assert missing.status_code == 404


@pytest.mark.postgres
def test_concurrent_first_uploads_postgresql(postgres_app):
    _concurrent_first_uploads(postgres_app)


@pytest.fixture
def two_workers(app_config, redis_url, redis_prefix):
    """Two app instances (as two gunicorn workers) on one database and one Redis."""
    config = {**app_config, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix}
    workers = (create_app(config), create_app(config))
    yield workers
    for worker in workers:
        db.dispose(worker)


@pytest.mark.redis
def test_stats_and_invalidation_are_shared_through_redis(two_workers):
    worker_a, worker_b = two_workers
    a, b = worker_a.test_client(), worker_b.test_client()
    key = _key(worker_a, "upload:acme/widgets")
    auth = {"Authorization": f"Bearer {key}"}
    assert (
        a.post("/api/v1/reports/acme/widgets", json={"coverage": 90}, headers=auth).status_code
        == 201
    )
    assert a.get(f"{BADGE}/coverage/acme/widgets").headers["X-Cache"] == "MISS"
    assert b.get(f"{BADGE}/coverage/acme/widgets").headers["X-Cache"] == "HIT"
    assert a.get(f"{BADGE}/coverage/acme/widgets?style=plastic").status_code == 200
    stats = b.get(f"{BADGE}/cache/stats").get_json()
    assert stats == {
        "total_entries": 2,
        "active_entries": 2,
        "expired_entries": 0,
        "default_ttl": 300,
    }
    # an upload through worker B refreshes the badge worker A serves
    assert (
        b.post("/api/v1/reports/acme/widgets", json={"coverage": 40}, headers=auth).status_code
        == 201
    )
    fresh = a.get(f"{BADGE}/coverage/acme/widgets?format=json")
    assert fresh.headers["X-Cache"] == "MISS"
    assert fresh.get_json()["message"] == "40%"
    gone = a.post(f"{BADGE}/invalidate/acme/widgets", headers=auth).get_json()
    assert gone["invalidated"] == 1
    assert b.get(f"{BADGE}/cache/stats").get_json()["total_entries"] == 0


@pytest.fixture
def redis_down_app(app_config):
    """REDIS_URL names a port nobody listens on: Redis is down."""
    application = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    yield application
    db.dispose(application)


def test_badges_are_served_while_redis_is_down(redis_down_app):
    client = redis_down_app.test_client()
    key = _key(redis_down_app, "upload:acme/widgets")
    auth = {"Authorization": f"Bearer {key}"}
    uploaded = client.post("/api/v1/reports/acme/widgets", json={"coverage": 90}, headers=auth)
    assert uploaded.status_code == 201
    assert uploaded.get_json()["invalidated"] == 0
    for expected in ("MISS", "HIT"):  # issue 11 item 7: the local copy serves meanwhile
        response = client.get(f"{BADGE}/coverage/acme/widgets?format=json")
        assert response.status_code == 200
        assert response.get_json()["message"] == "90%"
        assert response.headers["X-Cache"] == expected
    stats = client.get(f"{BADGE}/cache/stats")
    assert stats.status_code == 503
    assert stats.get_json() == {"detail": "Cache unavailable"}
    gone = client.post(f"{BADGE}/invalidate/acme/widgets", headers=auth)
    assert gone.status_code == 503


@pytest.fixture
def broken_db_app(app_config, tmp_path):
    """DATABASE_URL names a folder: every query fails."""
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    application = create_app(
        # not TESTING: exceptions reach the error handlers instead of the test
        {**app_config, "TESTING": False, "DATABASE_URL": f"sqlite:///{folder}"}
    )
    yield application
    db.dispose(application)


def test_database_failure_is_the_spec_500(broken_db_app, caplog):
    client = broken_db_app.test_client()
    as_json = client.get(f"{BADGE}/coverage/acme/widgets?format=json")
    assert as_json.status_code == 500
    assert as_json.get_json() == {"detail": "Badge generation failed"}
    image = client.get(f"{BADGE}/coverage/acme/widgets")
    assert image.status_code == 500
    assert image.content_type.startswith("image/svg+xml")
    assert b'aria-label="coverage: internal error"' in image.data
    assert "quality: GET /api/v1/badge/coverage/acme/widgets failed" in caplog.text
    history = client.get("/api/v1/reports/acme/widgets")
    assert history.status_code == 500
    assert history.get_json() == {"detail": "Internal server error"}
