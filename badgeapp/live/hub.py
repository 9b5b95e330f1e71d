"""The live hub of one process: who watches which topic, polling, and fan-out.

``Hub.subscribe(client, topic)`` adds a watcher; the first watcher of a topic in this process
makes the hub try to lead it (``Bus.lead``: one leader in the cluster). A ticker thread renews
leadership about once a second and, for the topics this process leads, hands due polls to a
small thread pool. A poll resolves the metric through the upstream layer
(``find_provider``/``resolve_with``, which bring the cache, single-flight and stale-on-error) at
the metric's lifetime (``Value.cache_seconds`` clamped to ``LIVE_MIN_INTERVAL`` ..
``LIVE_MAX_INTERVAL``), remembers the answer, and publishes it when it changed. Every process
hears published values and offers them to its own watchers.

Watchers are ``LiveClient`` objects: a bounded queue that the socket's own thread drains.
``offer`` never blocks; a full queue means the client is too slow, and it is dropped (its socket
shut down), so one slow reader never delays the others. 1,000 watchers of a repository cost the
same upstream calls as one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask

from badgeapp.badges.invalidation import on_invalidate, scope_of
from badgeapp.badges.provider_values import find_provider, resolve_with
from badgeapp.errors import BadgeError
from badgeapp.upstream import setting

from .bus import Bus
from .topics import Topic, error_message, same_value, value_message

log = logging.getLogger(__name__)

#: seconds between two runs of the ticker (leadership renewal, due polls)
TICK_SECONDS = 0.25
#: how long a topic's leadership lasts without renewal (its holder renews every tick)
LEAD_TTL_SECONDS = 5.0
#: polls running at once in one process
POLL_THREADS = 4


class LiveClient:
    """One connected watcher: its topics and a bounded queue of JSON texts to send."""

    def __init__(self, address: str, queue_size: int, ws: Any = None) -> None:
        self.id = uuid.uuid4().hex
        self.address = address
        self.ws = ws
        self.topics: set[str] = set()
        self.queue: queue.Queue[str] = queue.Queue(maxsize=max(1, queue_size))
        self.dropped: str | None = None
        self.closing: tuple[int, str] | None = None

    def offer(self, text: str) -> bool:
        """Queue ``text`` without waiting; a full queue drops the client. Returns success."""
        if self.dropped or self.closing:
            return False
        try:
            self.queue.put_nowait(text)
            return True
        except queue.Full:
            self.drop("client too slow")
            return False

    def drop(self, reason: str) -> None:
        """Give up on this client: shut its socket so a send blocked on it returns at once."""
        if self.dropped:
            return
        self.dropped = reason
        sock = getattr(self.ws, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self, code: int, reason: str) -> None:
        """Ask the client's own thread to close the socket with ``code`` (e.g. on shutdown)."""
        self.closing = (code, reason)


class _State:
    """A topic watched in this process."""

    def __init__(self, topic: Topic) -> None:
        self.topic = topic
        self.clients: set[LiveClient] = set()
        self.last: dict[str, Any] | None = None
        self.leader = False
        self.lead_checked = 0.0
        self.next_due = 0.0
        self.force = False
        self.polling = False
        self.interval = 0.0
        #: watchers still waiting for a first value, and whether one is being fetched
        self.waiting: set[LiveClient] = set()
        self.fetching_first = False


_hubs: weakref.WeakSet[Hub] = weakref.WeakSet()


def all_hubs() -> list[Hub]:
    """Every live hub in this process (for a clean close on shutdown)."""
    return list(_hubs)


class Hub:
    """Subscriptions, leadership, polls and fan-out for one app in one process."""

    def __init__(self, app: Flask, bus: Bus) -> None:
        self.app = app
        self.config: Mapping[str, Any] = app.config
        self.bus = bus
        self._states: dict[str, _State] = {}
        self._clients: set[LiveClient] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(POLL_THREADS, thread_name_prefix="live-poll")
        self.polls = 0  # counted for tests and /health-style introspection
        bus.start(self._deliver, self._command)
        self._ticker = threading.Thread(target=self._run, name="live-ticker", daemon=True)
        self._ticker.start()
        me = weakref.ref(self)

        def listener(scope: str) -> None:
            hub = me()
            if hub is not None and not hub._stop.is_set() and hub.concerns(scope):
                hub.bus.request_refresh(scope)

        on_invalidate(listener)
        _hubs.add(self)

    # -- watchers -----------------------------------------------------------------------
    def attach(self, client: LiveClient) -> None:
        """Know ``client`` from its connection on (closed cleanly on shutdown)."""
        with self._lock:
            self._clients.add(client)
        if self._stop.is_set():
            client.close(1001, "server shutting down")

    def subscribe(self, client: LiveClient, topic: Topic) -> None:
        """Add ``client`` to ``topic``; it gets the current value at once when one is known."""
        with self._lock:
            state = self._states.get(topic.name)
            if state is None:
                state = self._states[topic.name] = _State(topic)
            state.clients.add(client)
            client.topics.add(topic.name)
            last = state.last
        if last is None:
            record = self.bus.last(topic.name)
            if record is not None and isinstance(record.get("message"), dict):
                last = record["message"]
                with self._lock:
                    if state.last is None:
                        state.last = last
                        state.next_due = float(record.get("due", 0))
        if last is not None:
            client.offer(json.dumps(last))
            return
        start = False
        with self._lock:  # answer it now, through the upstream cache, whoever leads
            if state.last is not None:
                last = state.last
            else:
                state.waiting.add(client)
                start = not state.fetching_first
                state.fetching_first = True
        if last is not None:
            client.offer(json.dumps(last))
        elif start:
            self._pool.submit(self._first_value, state)

    def unsubscribe(self, client: LiveClient, name: str) -> None:
        """Stop sending ``name`` to ``client``; the last watcher here gives up leadership."""
        resign = False
        with self._lock:
            client.topics.discard(name)
            state = self._states.get(name)
            if state is not None:
                state.clients.discard(client)
                if not state.clients:
                    del self._states[name]
                    resign = state.leader
        if resign:
            self.bus.resign(name)

    def leave(self, client: LiveClient) -> None:
        """Forget ``client`` entirely (its socket closed)."""
        for name in list(client.topics):
            self.unsubscribe(client, name)
        with self._lock:
            self._clients.discard(client)

    def watchers(self, name: str) -> int:
        """How many clients in this process watch topic ``name``."""
        with self._lock:
            state = self._states.get(name)
            return len(state.clients) if state else 0

    # -- values in ----------------------------------------------------------------------
    def _deliver(self, name: str, text: str) -> None:
        """A value published by whichever process polled ``name``: offer it to our watchers."""
        try:
            message = json.loads(text)
        except ValueError:
            return
        with self._lock:
            state = self._states.get(name)
            if state is None:
                return
            state.last = message
            state.waiting.clear()
            clients = list(state.clients)
        for client in clients:
            client.offer(text)

    def _command(self, scope: str) -> None:
        """A refresh request: poll every topic under ``scope`` now (the leader does)."""
        with self._lock:
            for state in self._states.values():
                topic = state.topic
                if scope in ("*", scope_of(topic.provider, *topic.subject)):
                    state.next_due = 0.0
                    state.force = True

    def concerns(self, scope: str) -> bool:
        """Whether an invalidation of ``scope`` can change a live value (a provider's scope)."""
        if scope == "*":
            return True
        family = scope.partition(":")[0]
        registry = self.app.extensions.get("badgeapp.plugins")
        return registry is not None and family in registry.providers()

    def refresh(self, scope: str) -> None:
        """Ask the cluster to poll the topics under ``scope`` now (a webhook saw a change)."""
        self.bus.request_refresh(scope)

    # -- polling ------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            try:
                self._tick()
            except Exception:  # the ticker must survive anything
                log.exception("live ticker")

    def _tick(self) -> None:
        now = time.time()
        with self._lock:
            states = list(self._states.values())
        for state in states:
            if now - state.lead_checked >= 1.0 or (state.force and not state.leader):
                was = state.leader
                state.leader = self.bus.lead(state.topic.name, LEAD_TTL_SECONDS)
                state.lead_checked = now
                if state.leader and not was:
                    record = self.bus.last(state.topic.name)  # when did the last leader poll?
                    if record is not None and not state.force:
                        state.next_due = float(record.get("due", 0))
            if state.leader and not state.polling and (state.force or now >= state.next_due):
                state.polling = True
                self._pool.submit(self._poll, state)

    def _bounds(self) -> tuple[float, float]:
        low = float(self.config.get("LIVE_MIN_INTERVAL") or 30.0)
        high = float(self.config.get("LIVE_MAX_INTERVAL") or 900.0)
        return low, max(low, high)

    def _resolve(self, topic: Topic, fresh: float | None) -> tuple[dict[str, Any], float]:
        """The message for ``topic`` now, and the seconds until it should be polled again."""
        low, high = self._bounds()
        try:
            with self.app.app_context():  # the plugin registry belongs to the app
                provider = find_provider(topic.provider)
                resolved = resolve_with(provider, topic.parts, {}, self.config, fresh=fresh)
        except BadgeError as error:
            return error_message(topic.name, error), low
        lifetime = resolved.value.cache_seconds
        if lifetime is None:
            lifetime = setting(self.config, "UPSTREAM_FRESH_SECONDS")
        return value_message(topic, resolved), min(max(float(lifetime), low), high)

    def _poll(self, state: _State) -> None:
        topic = state.topic
        try:
            fresh = 0.0 if state.force else (state.interval or self._bounds()[0]) / 2
            state.force = False
            message, interval = self._resolve(topic, fresh)
            state.interval = interval
            self.polls += 1
            due = time.time() + interval
            state.next_due = due
            previous = state.last
            self.bus.remember(topic.name, {"message": message, "due": due}, interval * 3)
            if not same_value(previous, message):
                with self._lock:
                    state.last = message
                self.bus.publish(topic.name, json.dumps(message))
        except Exception:
            log.exception("live poll of %s", topic.name)
            state.next_due = time.time() + self._bounds()[0]
        finally:
            state.polling = False

    def _first_value(self, state: _State) -> None:
        """The current value for the watchers that arrived before any value was known."""
        try:
            message, _ = self._resolve(state.topic, None)
        except Exception:
            log.exception("live first value of %s", state.topic.name)
            message = None
        with self._lock:
            if message is not None and state.last is None:
                state.last = message
            message = state.last
            waiting = [c for c in state.waiting if c in state.clients]
            state.waiting.clear()
            state.fetching_first = False
        if message is not None:
            text = json.dumps(message)
            for client in waiting:
                client.offer(text)

    # -- shutdown -----------------------------------------------------------------------
    def close(self, reason: str = "server shutting down") -> None:
        """Close every socket cleanly (1001 going away), give up leadership, stop threads."""
        if self._stop.is_set():
            return
        self._stop.set()
        with self._lock:
            states = list(self._states.values())
            self._states.clear()
            clients = list(self._clients)
        for client in clients:
            client.close(1001, reason)
        for state in states:
            if state.leader:
                self.bus.resign(state.topic.name)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.bus.close()
