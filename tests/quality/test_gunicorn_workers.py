"""Several gunicorn worker processes sharing Redis: one cache, true stats, one invalidation."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from badgeapp import create_app
from badgeapp.storage import apikeys, db, migrate

WORKERS = 3


@pytest.fixture
def served(tmp_path, serve_gunicorn, redis_url, redis_prefix) -> tuple[str, str]:
    """gunicorn with WORKERS workers on a migrated SQLite file; returns (base URL, upload key)."""
    (tmp_path / "plugins").mkdir()
    config = {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(tmp_path / "plugins"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'badges.db'}",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "RATE_LIMIT": "100000/minute",
        "QUALITY_RATE_LIMIT": "100000/minute",
    }
    setup = create_app(config)
    migrate.upgrade(setup)
    with db.session_scope(setup) as session:
        key = apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]
    db.dispose(setup)
    server = serve_gunicorn(
        workers=WORKERS,
        threads=4,
        BADGEAPP_INSTANCE_PATH=config.pop("INSTANCE_PATH"),
        **config,
    )
    time.sleep(1.0)  # the other workers finish booting
    return server.base_url, key


@pytest.mark.slow
@pytest.mark.redis
def test_workers_share_one_cache(served):
    base, key = served
    auth = {"Authorization": f"Bearer {key}"}
    upload = requests.post(
        f"{base}/api/v1/reports/acme/widgets", json={"coverage": 88}, headers=auth, timeout=10
    )
    assert upload.status_code == 201, upload.text
    labels = [f"l{n}" for n in range(12)]
    url = f"{base}/api/v1/badge/coverage/acme/widgets"
    with ThreadPoolExecutor(8) as pool:  # spread over the workers
        first = list(
            pool.map(lambda lb: requests.get(url, params={"label": lb}, timeout=10), labels)
        )
        again = list(
            pool.map(lambda lb: requests.get(url, params={"label": lb}, timeout=10), labels)
        )
        stats = list(
            pool.map(
                lambda _: requests.get(f"{base}/api/v1/badge/cache/stats", timeout=10), range(12)
            )
        )
    assert [r.headers["X-Cache"] for r in first] == ["MISS"] * 12
    assert [r.headers["X-Cache"] for r in again] == ["HIT"] * 12  # whichever worker answers
    assert {r.json()["total_entries"] for r in stats} == {12}
    gone = requests.post(f"{base}/api/v1/badge/invalidate/acme/widgets", headers=auth, timeout=10)
    assert gone.json()["invalidated"] == 12
    with ThreadPoolExecutor(8) as pool:
        after = list(
            pool.map(
                lambda _: requests.get(f"{base}/api/v1/badge/cache/stats", timeout=10), range(12)
            )
        )
    assert {r.json()["total_entries"] for r in after} == {0}
