"""Single-flight across processes: 4 gunicorn workers sharing Redis make one upstream call."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import defusedxml.ElementTree as SafeET
import pytest
import requests


@pytest.fixture
def gunicorn_redis(serve_gunicorn, fake_upstream, redis_url, redis_prefix) -> str:
    """gunicorn with 4 workers, Redis for the upstream state, the fake upstream as every API."""
    server = serve_gunicorn(
        workers=4,
        threads=32,
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
        UPSTREAM_READ_TIMEOUT="5",
        **fake_upstream.config(),
    )
    time.sleep(1.0)  # let the other workers finish booting
    return server.base_url


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
