"""One live socket from open to close: the client protocol, heartbeats, idle timeout, the cap.

``serve(ws, hub, ...)`` runs on the socket's own server thread, which is also the client's
sender: it drains the client's bounded queue into the socket, reads the client's messages
between sends, sends a heartbeat every ``LIVE_HEARTBEAT_SECONDS`` and closes the socket when
it watched nothing for ``LIVE_IDLE_TIMEOUT`` seconds, when the hub dropped it (too slow) or
when the server shuts down.

Client messages (JSON text):

* ``{"type": "subscribe", "metrics": ["stars"]}`` (on a subject's socket),
  ``{"type": "subscribe", "subjects": ["github/pallets/flask"]}`` (on a metric's socket) or
  ``{"type": "subscribe", "topics": ["github/pallets/flask/stars"]}`` (anywhere);
* ``{"type": "unsubscribe", ...}`` with the same fields;
* ``{"type": "ping"}``, answered ``{"type": "pong"}``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import time
from collections.abc import Mapping
from typing import Any

from simple_websocket import ConnectionClosed

from badgeapp.errors import BadgeError, InvalidParameter

from .hub import Hub, LiveClient
from .topics import error_message, now_iso, parse_topic

log = logging.getLogger(__name__)

#: how long the socket thread waits for a queued value before looking at incoming messages
WAIT_SECONDS = 0.25
#: close codes (RFC 6455)
NORMAL, GOING_AWAY, POLICY = 1000, 1001, 1008


class Scope:
    """How names in a client's messages become topics on this socket.

    ``subject`` (``github/pallets/flask``) is fixed on a subject's socket, ``metric`` on a
    metric's socket; ``topics`` are always accepted whole.
    """

    def __init__(self, subject: str | None = None, metric: str | None = None) -> None:
        self.subject = subject
        self.metric = metric

    def names(self, message: Mapping[str, Any]) -> list[str]:
        """The topic names a subscribe/unsubscribe message asks for."""
        names: list[str] = []
        for key, build in (
            ("topics", lambda item: item),
            ("metrics", lambda item: f"{self.subject}/{item}" if self.subject else None),
            ("subjects", lambda item: f"{item}/{self.metric}" if self.metric else None),
        ):
            items = message.get(key)
            if items is None:
                continue
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list):
                raise InvalidParameter(detail=f"{key} must be a list of strings")
            for item in items:
                name = build(item) if isinstance(item, str) else None
                if name is None:
                    raise InvalidParameter(detail=f"{key} is not accepted on this socket")
                names.append(name)
        return names


def _send(ws: Any, message: Mapping[str, Any]) -> None:
    ws.send(json.dumps(message))


def _subscribe(hub: Hub, client: LiveClient, names: list[str], limit: int) -> None:
    for name in names:
        try:
            topic = parse_topic(name)
        except BadgeError as error:
            client.offer(json.dumps(error_message(name, error)))
            continue
        if topic.name in client.topics:
            continue
        if limit and len(client.topics) >= limit:
            refused = InvalidParameter(detail=f"at most {limit} subscriptions per socket")
            client.offer(json.dumps(error_message(name, refused)))
            continue
        hub.subscribe(client, topic)


def _handle(hub: Hub, client: LiveClient, scope: Scope, text: Any, limit: int) -> None:
    try:
        message = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        message = None
    if not isinstance(message, dict):
        client.offer(json.dumps({"type": "error", "error": "messages are JSON objects"}))
        return
    kind = message.get("type")
    if kind == "ping":
        client.offer(json.dumps({"type": "pong", "at": now_iso()}))
        return
    if kind not in ("subscribe", "unsubscribe"):
        client.offer(json.dumps({"type": "error", "error": "unknown message type"}))
        return
    try:
        names = scope.names(message)
    except BadgeError as error:
        client.offer(json.dumps({"type": "error", "error": error.detail}))
        return
    if kind == "subscribe":
        _subscribe(hub, client, names, limit)
    else:
        for name in names:
            with contextlib.suppress(BadgeError):
                hub.unsubscribe(client, parse_topic(name).name)


def serve(
    ws: Any,
    hub: Hub,
    config: Mapping[str, Any],
    address: str,
    scope: Scope,
    initial: list[str],
) -> None:
    """Run one socket until it closes; ``initial``: topic names from the URL."""
    client = LiveClient(address, int(config["LIVE_QUEUE_SIZE"]), ws)
    heartbeat = float(config["LIVE_HEARTBEAT_SECONDS"])
    idle_timeout = float(config["LIVE_IDLE_TIMEOUT"])
    limit = int(config["LIVE_MAX_SUBSCRIPTIONS"])
    stale = heartbeat * 3
    if not hub.bus.open_slot(address, client.id, int(config["LIVE_MAX_PER_ADDRESS"]), stale):
        ws.close(POLICY, "too many live connections from this address")
        return
    hub.attach(client)
    try:
        _subscribe(hub, client, initial, limit)
        next_beat = time.monotonic() + heartbeat
        idle_since = time.monotonic()
        while True:
            if client.dropped:
                log.info("live client %s dropped: %s", address, client.dropped)
                return
            if client.closing:
                ws.close(*client.closing)
                return
            try:
                text = client.queue.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                text = None
            if text is not None:
                ws.send(text)
            incoming = ws.receive(timeout=0)
            if incoming is not None:
                _handle(hub, client, scope, incoming, limit)
            now = time.monotonic()
            if now >= next_beat:
                _send(ws, {"type": "heartbeat", "at": now_iso()})
                hub.bus.touch_slot(address, client.id, stale)
                next_beat = now + heartbeat
            if client.topics:
                idle_since = now
            elif now - idle_since > idle_timeout:
                ws.close(NORMAL, "idle: no subscription")
                return
            if not ws.connected:
                return
    except (ConnectionClosed, OSError):
        return
    finally:
        hub.leave(client)
        hub.bus.close_slot(address, client.id)
