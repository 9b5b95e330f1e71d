"""Live stats over WebSocket: one poller per watched metric for the whole cluster, fan-out to
every watcher (see ``hub.py``), the socket protocol (``session.py``), topics and messages
(``topics.py``), how processes agree (``bus.py``) and a clean close on shutdown.

``get_hub(app)`` makes the app's hub on first use, in the process that serves the socket (so
no thread starts before gunicorn forks its workers).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from .bus import Bus, LocalBus, RedisBus
from .hub import Hub, LiveClient, all_hubs

__all__ = [
    "Hub",
    "LiveClient",
    "close_all",
    "close_on_signal",
    "get_hub",
    "make_bus",
    "request_refresh",
]

_EXTENSION_KEY = "badgeapp.live"
_create_lock = threading.Lock()


def make_bus(config: Any) -> Bus:
    """A Redis bus when ``REDIS_URL`` is set, else one for this process alone."""
    url = config.get("REDIS_URL")
    if url:
        return RedisBus(url, config.get("REDIS_PREFIX") or "badgeapp:")
    return LocalBus()


def get_hub(app: Flask) -> Hub:
    """The app's live hub in this process (created on first use)."""
    hub = app.extensions.get(_EXTENSION_KEY)
    if hub is None:
        with _create_lock:
            hub = app.extensions.get(_EXTENSION_KEY)
            if hub is None:
                hub = Hub(app, make_bus(app.config))
                app.extensions[_EXTENSION_KEY] = hub
    return hub


def existing_hub(app: Flask) -> Hub | None:
    """The app's hub if one was made in this process, else None (nothing is started)."""
    return app.extensions.get(_EXTENSION_KEY)


def request_refresh(app: Flask, scope: str) -> None:
    """Make the cluster's pollers poll the topics under ``scope`` now (a webhook saw a change).

    A process with a hub already did, through its ``on_invalidate`` listener; one without a
    hub publishes the request on Redis itself (nothing to do in process-only mode).
    """
    if existing_hub(app) is not None:
        return
    url = app.config.get("REDIS_URL")
    if url:
        RedisBus.publish_refresh(url, app.config.get("REDIS_PREFIX") or "badgeapp:", scope)


def close_all(reason: str = "server shutting down") -> None:
    """Close every live socket of every hub in this process (1001 going away)."""
    for hub in all_hubs():
        hub.close(reason)


def close_on_signal(signum: int = signal.SIGTERM) -> None:
    """Close live sockets first when ``signum`` arrives, then run the handler that was there.

    gunicorn's ``post_worker_init`` calls this in each worker: a worker told to stop would
    otherwise wait ``graceful_timeout`` for its sockets and then cut them.
    """
    previous = signal.getsignal(signum)

    def handler(num: int, frame: Any) -> None:
        threading.Thread(target=close_all, name="live-close", daemon=True).start()
        if callable(previous):
            chained: Callable[[int, Any], Any] = previous
            chained(num, frame)

    signal.signal(signum, handler)
