"""Several gunicorn worker processes sharing Redis: one cache, true stats, one invalidation."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from badgeapp import create_app
from badgeapp.storage import apikeys, db, migrate

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path, redis_url, redis_prefix) -> Iterator[tuple[str, str]]:
    """gunicorn with WORKERS workers on a migrated SQLite file; yields (base URL, upload key)."""
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
    port = free_port()
    env = {
        **os.environ,
        **config,
        "BADGEAPP_INSTANCE_PATH": config["INSTANCE_PATH"],
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": "4",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/api/v1/badge/cache/stats", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
        time.sleep(1.0)  # the other workers finish booting
        yield base, key
    finally:
        process.terminate()
        process.wait(30)


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
