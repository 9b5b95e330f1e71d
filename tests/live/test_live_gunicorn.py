"""Live stats through real gunicorn (2 workers) sharing Redis: one poll per interval in all."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .wsclient import WsClient

pytestmark = [pytest.mark.slow, pytest.mark.redis]

WATCHERS = 200
REPO = "/ws/live/github/pallets/flask?metrics=stars"


def test_200_watchers_on_2_workers_cost_one_poll_per_interval(
    serve_gunicorn, changing_upstream, redis_url, redis_prefix
):
    server = serve_gunicorn(
        workers=2,
        threads=WATCHERS + 20,  # each socket holds a thread
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
        LIVE_MIN_INTERVAL="1",
        LIVE_MAX_INTERVAL="1",
        LIVE_MAX_PER_ADDRESS="0",
        SCHEDULER_ENABLED="false",
        **changing_upstream.config(),
    )
    url = server.base_url.replace("http://", "ws://") + REPO
    with ThreadPoolExecutor(16) as pool:
        clients = list(pool.map(lambda _: WsClient(url), range(WATCHERS)))
    try:
        with ThreadPoolExecutor(16) as pool:
            first = list(pool.map(lambda ws: ws.poll(timeout=15), clients))
        got = [m and m["value"] for m in first]
        assert got == [12345] * WATCHERS, (got, server.log()[-3000:])

        # one upstream poll per interval (1 s) for the whole cluster, not one per watcher
        changing_upstream.reset_counts()
        time.sleep(5)
        polls = changing_upstream.count(r"^/github/repos/pallets/flask$")
        assert 3 <= polls <= 8, polls

        # a change upstream reaches a watcher within 2 s, and every watcher soon after
        changing_upstream.stars["pallets/flask"] = 20000
        changed = time.monotonic()
        message = clients[0].poll(timeout=2.0)
        assert message is not None and message["value"] == 20000
        assert time.monotonic() - changed < 2.0
        with ThreadPoolExecutor(16) as pool:
            rest = list(pool.map(lambda ws: ws.poll(timeout=10), clients[1:]))
        assert all(m is not None and m["value"] == 20000 for m in rest)
    finally:
        for ws in clients:
            ws.close()
    # the sockets were spread over both workers, yet polls came from one leader at a time
    assert "Traceback" not in server.log()


def test_stopping_gunicorn_closes_sockets_cleanly(serve_gunicorn, changing_upstream):
    server = serve_gunicorn(workers=1, SCHEDULER_ENABLED="false", **changing_upstream.config())
    ws = WsClient(server.base_url.replace("http://", "ws://") + REPO)
    assert ws.next()["value"] == 12345
    server.process.terminate()  # SIGTERM, as a deploy does
    stopped = time.monotonic()
    assert ws.closed_with(timeout=8) == 1001  # going away, before graceful_timeout (10 s)
    assert time.monotonic() - stopped < 5
    server.process.wait(timeout=20)
