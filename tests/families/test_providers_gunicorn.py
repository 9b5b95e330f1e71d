"""Single-flight across processes: 4 gunicorn workers sharing Redis make one upstream call."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "upstream"))

from fake_upstream import FakeUpstream, serve_fake

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fake_upstream() -> Iterator[FakeUpstream]:
    with serve_fake() as fake:
        yield fake


@pytest.fixture
def gunicorn_redis(tmp_path, fake_upstream, redis_url, redis_prefix) -> Iterator[str]:
    """gunicorn with 4 workers, Redis for the upstream state, the fake upstream as every API."""
    port = free_port()
    (tmp_path / "plugins").mkdir()
    env = {
        **os.environ,
        **fake_upstream.config(),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "4",
        "GUNICORN_THREADS": "32",
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(tmp_path / "plugins"),
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "RATE_LIMIT": "100000/minute",
        "UPSTREAM_READ_TIMEOUT": "5",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
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
                if requests.get(base + "/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
        time.sleep(1.0)  # let the other workers finish booting
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.mark.slow
@pytest.mark.redis
def test_100_concurrent_cold_requests_over_4_workers_make_one_upstream_call(
    gunicorn_redis, fake_upstream
):
    fake_upstream.latency = 0.5  # the first call is still in flight when the others arrive
    barrier = threading.Barrier(100)
    local = threading.local()

    def view(_):
        sess = getattr(local, "session", None) or requests.Session()
        local.session = sess
        barrier.wait()
        response = sess.get(gunicorn_redis + "/v2/badge/github/pallets/flask/stars", timeout=20)
        return response.status_code, SafeET.fromstring(response.content).get("aria-label")

    with ThreadPoolExecutor(100) as pool:
        results = list(pool.map(view, range(100)))
    assert results == [(200, "stars: 12k")] * 100
    assert fake_upstream.count("/github/") == 1
    # the value is shared through Redis: a later view on any worker makes no new call
    for _ in range(8):
        requests.get(gunicorn_redis + "/v2/badge/github/pallets/flask/stars", timeout=5)
    assert fake_upstream.count("/github/") == 1
