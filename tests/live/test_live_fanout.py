"""The hub's fan-out: a slow reader is dropped and never delays the others."""

from __future__ import annotations

import json
import socket
import threading
import time

from badgeapp.live.bus import LocalBus
from badgeapp.live.hub import Hub, LiveClient
from badgeapp.live.topics import Topic

TOPIC = Topic("github", ("pallets", "flask"), "stars")


class Socket:
    """What LiveClient needs of a simple-websocket server: its ``sock``."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


def test_a_slow_client_is_dropped_and_the_others_get_everything(app_config, fake_upstream):
    from badgeapp import create_app

    app = create_app({**app_config, **fake_upstream.config()})
    hub = Hub(app, LocalBus())
    ours, theirs = socket.socketpair()
    slow = LiveClient("10.0.0.1", 4, Socket(ours))  # nobody drains its queue
    fast = LiveClient("10.0.0.2", 100)
    hub.subscribe(slow, TOPIC)
    hub.subscribe(fast, TOPIC)
    received: list[dict] = []

    def drain() -> None:
        while len(received) < 20:
            message = json.loads(fast.queue.get(timeout=5))
            if message.get("n") is not None:
                received.append(message)

    reader = threading.Thread(target=drain)
    reader.start()
    started = time.monotonic()
    try:
        for n in range(20):
            hub.bus.publish(TOPIC.name, json.dumps({"type": "value", "value": n, "n": n}))
        published_in = time.monotonic() - started
        reader.join(timeout=10)
    finally:
        hub.close()
    assert published_in < 1.0  # offering never waits for a reader
    assert [m["n"] for m in received] == list(range(20))
    assert slow.dropped == "client too slow"
    theirs.settimeout(2)
    assert theirs.recv(10) == b""  # its socket was shut down, unblocking a stuck send
    assert not slow.offer("more")  # and it gets nothing more


def test_the_last_watcher_leaving_gives_up_the_topic(app_config, fake_upstream):
    from badgeapp import create_app

    app = create_app({**app_config, **fake_upstream.config()})
    hub = Hub(app, LocalBus())
    client = LiveClient("10.0.0.1", 10)
    try:
        hub.subscribe(client, TOPIC)
        assert hub.watchers(TOPIC.name) == 1
        hub.leave(client)
        assert hub.watchers(TOPIC.name) == 0
        assert client.topics == set()
    finally:
        hub.close()


def test_only_provider_invalidations_reach_the_pollers(app_config, fake_upstream):
    from badgeapp import create_app
    from badgeapp.badges.invalidation import invalidate

    app = create_app({**app_config, **fake_upstream.config()})
    asked: list[str] = []

    class Recording(LocalBus):
        def request_refresh(self, scope: str) -> None:
            asked.append(scope)

    hub = Hub(app, Recording())
    try:
        invalidate("nice:abc123")  # a click on a nice button is no live value
        invalidate("github:pallets/flask")
        invalidate("*")
    finally:
        hub.close()
    assert asked == ["github:pallets/flask", "*"]
