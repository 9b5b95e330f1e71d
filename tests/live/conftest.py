"""Fixtures for live stats: a fake upstream whose numbers change, and the app on a real server.

``changing_upstream.stars["pallets/flask"] = 99`` makes the fake GitHub answer 99 stars (with
a new ETag) from then on. ``live_server(**config)`` serves the app with Werkzeug's threaded
server on a free loopback port (simple-websocket supports it) and gives its ``ws://`` base.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fake_upstream import FakeUpstream
from werkzeug.serving import make_server

from badgeapp import create_app


class ChangingUpstream(FakeUpstream):
    """The fake upstream, with GitHub star counts a test can change."""

    def __init__(self) -> None:
        super().__init__()
        self.stars: dict[str, int] = {}

    def _answer(self, path: str, query: dict, headers: dict[str, str]) -> Any:
        status, body, extra = super()._answer(path, query, headers)
        match = re.fullmatch(r"/github/repos/([^/]+/[^/]+)", path)
        if match and status == 200 and match.group(1) in self.stars:
            body = {**body, "stargazers_count": self.stars[match.group(1)]}
        return status, body, extra


@pytest.fixture
def changing_upstream() -> Iterator[ChangingUpstream]:
    fake = ChangingUpstream().start()
    try:
        yield fake
    finally:
        fake.stop()


class LiveServer:
    """The app on Werkzeug's threaded server: ``ws_url(path)``, ``http_url(path)``, ``app``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.base = f"127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def ws_url(self, path: str) -> str:
        return f"ws://{self.base}{path}"

    def http_url(self, path: str) -> str:
        return f"http://{self.base}{path}"

    def stop(self) -> None:
        from badgeapp.live import existing_hub

        hub = existing_hub(self.app)
        if hub is not None:
            hub.close()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live_server(app_config: dict, changing_upstream: ChangingUpstream):
    """Factory: ``live_server(**config)`` -> a running ``LiveServer`` (stopped afterwards)."""
    started: list[LiveServer] = []

    def start(**config: Any) -> LiveServer:
        app = create_app(
            {
                **app_config,
                **changing_upstream.config(),
                "LIVE_MIN_INTERVAL": 1,
                "LIVE_MAX_INTERVAL": 1,
                **config,
            }
        )
        server = LiveServer(app)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
