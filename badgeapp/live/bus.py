"""How live hubs in different processes agree: who polls a topic, and who hears the values.

One small interface, two implementations:

* ``LocalBus`` (no ``REDIS_URL``): everything in this process; every topic's leader is here.
* ``RedisBus``: a lock per topic (``SET NX PX``, renewed by its holder, released on leave)
  elects one poller for the whole cluster; values go out on pub/sub (``<prefix>live:v:<topic>``)
  and each process's listener thread hands them to its hub; the last value of each topic is kept
  (``<prefix>live:last:<topic>``) so a new watcher gets it at once; refresh requests (a webhook
  said a repository changed) travel on ``<prefix>live:ctl``; open sockets per address are a
  sorted set of connection ids scored by their last heartbeat, so a killed worker's sockets age
  out instead of leaking.

If Redis stops answering, operations degrade to this process alone (logged at most once a
minute): a topic is then polled here, so watchers keep getting values.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from badgeapp.leases import REDIS_HOLD_SCRIPT, REDIS_RELEASE_SCRIPT, holder_token
from badgeapp.state.redis_client import connect

log = logging.getLogger(__name__)

Deliver = Callable[[str, str], None]
Command = Callable[[str], None]


class Bus(Protocol):
    """What a hub needs from the rest of the cluster."""

    def start(self, deliver: Deliver, command: Command) -> None: ...

    def publish(self, topic: str, text: str) -> None: ...

    def lead(self, topic: str, ttl: float) -> bool: ...

    def resign(self, topic: str) -> None: ...

    def last(self, topic: str) -> dict[str, Any] | None: ...

    def remember(self, topic: str, record: dict[str, Any], ttl: float) -> None: ...

    def request_refresh(self, scope: str) -> None: ...

    def open_slot(self, address: str, conn: str, cap: int, stale: float) -> bool: ...

    def touch_slot(self, address: str, conn: str, stale: float) -> None: ...

    def close_slot(self, address: str, conn: str) -> None: ...

    def close(self) -> None: ...


class LocalBus:
    """A bus for one process: it leads every topic and delivers to its own hub."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None
        self._command: Command | None = None
        self._last: dict[str, tuple[float, dict[str, Any]]] = {}
        self._slots: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def start(self, deliver: Deliver, command: Command) -> None:
        self._deliver, self._command = deliver, command

    def publish(self, topic: str, text: str) -> None:
        if self._deliver is not None:
            self._deliver(topic, text)

    def lead(self, topic: str, ttl: float) -> bool:
        return True

    def resign(self, topic: str) -> None:
        with self._lock:
            self._last.pop(topic, None)

    def last(self, topic: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._last.get(topic)
        return item[1] if item is not None and item[0] > time.time() else None

    def remember(self, topic: str, record: dict[str, Any], ttl: float) -> None:
        with self._lock:
            self._last[topic] = (time.time() + ttl, record)

    def request_refresh(self, scope: str) -> None:
        if self._command is not None:
            self._command(scope)

    def open_slot(self, address: str, conn: str, cap: int, stale: float) -> bool:
        now = time.time()
        with self._lock:
            conns = self._slots.setdefault(address, {})
            for old in [c for c, seen in conns.items() if seen < now - stale]:
                del conns[old]
            if cap and len(conns) >= cap:
                return False
            conns[conn] = now
            return True

    def touch_slot(self, address: str, conn: str, stale: float) -> None:
        with self._lock:
            conns = self._slots.get(address)
            if conns is not None and conn in conns:
                conns[conn] = time.time()

    def close_slot(self, address: str, conn: str) -> None:
        with self._lock:
            conns = self._slots.get(address, {})
            conns.pop(conn, None)
            if not conns:
                self._slots.pop(address, None)

    def close(self) -> None:
        self._deliver = self._command = None


_OPEN_SLOT = """
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1] - ARGV[3])
if tonumber(ARGV[4]) > 0 and redis.call('zcard', KEYS[1]) >= tonumber(ARGV[4]) then
    return 0
end
redis.call('zadd', KEYS[1], ARGV[1], ARGV[2])
redis.call('pexpire', KEYS[1], math.floor(ARGV[3] * 1000))
return 1
"""


class RedisBus:
    """The bus shared by every worker and host through Redis (keys under ``prefix``)."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis  # optional dependency, only with REDIS_URL

        self.client = connect(url, timeout=5)
        self.prefix = prefix + "live:"
        self.token = holder_token()
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._lead = self.client.register_script(REDIS_HOLD_SCRIPT)
        self._resign = self.client.register_script(REDIS_RELEASE_SCRIPT)
        self._open = self.client.register_script(_OPEN_SLOT)
        self.local = LocalBus()  # used while Redis is down
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned = 0.0

    # -- degraded mode ------------------------------------------------------------------
    def _degraded(self, exc: BaseException) -> None:
        now = time.time()
        if now - self._warned > 60:
            self._warned = now
            log.warning("Redis unavailable for live stats (%s); this process goes alone", exc)

    @staticmethod
    def publish_refresh(url: str, prefix: str, scope: str) -> None:
        """Ask every hub to poll ``scope`` now, from a process that has no hub of its own."""
        import redis

        try:
            connect(url).publish(prefix + "live:ctl", scope)
        except (redis.RedisError, OSError) as exc:
            log.warning("could not ask live pollers to refresh %s: %s", scope, exc)

    # -- pub/sub ------------------------------------------------------------------------
    def start(self, deliver: Deliver, command: Command) -> None:
        self.local.start(deliver, command)
        self._thread = threading.Thread(
            target=self._listen, args=(deliver, command), name="live-bus", daemon=True
        )
        self._thread.start()

    def _listen(self, deliver: Deliver, command: Command) -> None:
        values = self.prefix + "v:"
        while not self._stop.is_set():
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.psubscribe(values + "*")
                pubsub.subscribe(self.prefix + "ctl")
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if not message:
                        continue
                    channel = message["channel"].decode("utf-8", "replace")
                    data = message["data"].decode("utf-8", "replace")
                    if channel.startswith(values):
                        deliver(channel[len(values) :], data)
                    else:
                        command(data)
            except self._errors as exc:
                self._degraded(exc)
                self._stop.wait(1.0)
            except Exception:  # a hub bug must not end the listener
                log.exception("live bus listener")
            finally:
                with contextlib.suppress(self._errors):
                    pubsub.close()

    def publish(self, topic: str, text: str) -> None:
        try:
            self.client.publish(self.prefix + "v:" + topic, text)
        except self._errors as exc:
            self._degraded(exc)
            self.local.publish(topic, text)

    def request_refresh(self, scope: str) -> None:
        try:
            self.client.publish(self.prefix + "ctl", scope)
        except self._errors as exc:
            self._degraded(exc)
            self.local.request_refresh(scope)

    # -- leadership and last values -----------------------------------------------------
    def lead(self, topic: str, ttl: float) -> bool:
        try:
            key = self.prefix + "lock:" + topic
            return bool(self._lead(keys=[key], args=[self.token, max(1, int(ttl * 1000))]))
        except self._errors as exc:
            self._degraded(exc)
            return True

    def resign(self, topic: str) -> None:
        try:
            self._resign(keys=[self.prefix + "lock:" + topic], args=[self.token])
        except self._errors as exc:
            self._degraded(exc)

    def last(self, topic: str) -> dict[str, Any] | None:
        try:
            raw = self.client.get(self.prefix + "last:" + topic)
        except self._errors as exc:
            self._degraded(exc)
            return self.local.last(topic)
        try:
            record = json.loads(raw) if raw is not None else None
        except ValueError:
            return None
        return record if isinstance(record, dict) else None

    def remember(self, topic: str, record: dict[str, Any], ttl: float) -> None:
        self.local.remember(topic, record, ttl)
        try:
            self.client.set(
                self.prefix + "last:" + topic, json.dumps(record), px=max(1, int(ttl * 1000))
            )
        except self._errors as exc:
            self._degraded(exc)

    # -- connections per address --------------------------------------------------------
    def open_slot(self, address: str, conn: str, cap: int, stale: float) -> bool:
        try:
            key = self.prefix + "addr:" + address
            return bool(self._open(keys=[key], args=[time.time(), conn, stale, cap]))
        except self._errors as exc:
            self._degraded(exc)
            return self.local.open_slot(address, conn, cap, stale)

    def touch_slot(self, address: str, conn: str, stale: float) -> None:
        try:
            key = self.prefix + "addr:" + address
            pipe = self.client.pipeline()
            pipe.zadd(key, {conn: time.time()}, xx=True)
            pipe.pexpire(key, int(stale * 1000))
            pipe.execute()
        except self._errors as exc:
            self._degraded(exc)

    def close_slot(self, address: str, conn: str) -> None:
        self.local.close_slot(address, conn)
        try:
            self.client.zrem(self.prefix + "addr:" + address, conn)
        except self._errors as exc:
            self._degraded(exc)

    def close(self) -> None:
        self._stop.set()
        self.local.close()
        if self._thread is not None:
            self._thread.join(timeout=3)
