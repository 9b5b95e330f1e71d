"""Single-flight: concurrent requests for one upstream resource make one call.

Two layers, used together by ``badgeapp.upstream.service``:

* ``LocalFlight`` joins threads of one process on one in-flight call (followers get the
  leader's result or exception);
* ``distributed`` joins processes and hosts through the store's lock (Redis
  ``SET NX PX``): the winner calls upstream, the others poll until the lock is released
  (or expires) and then read what the winner stored.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from .cache import Store

T = TypeVar("T")


class FlightTimeout(Exception):
    """A follower waited longer than its budget for the leader."""


class _Call:
    __slots__ = ("error", "event", "result")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None


class LocalFlight:
    """Deduplicate concurrent calls by key within this process."""

    def __init__(self) -> None:
        self._calls: dict[str, _Call] = {}
        self._mutex = threading.Lock()

    def run(self, key: str, fn: Callable[[], T], timeout: float) -> T:
        """Run ``fn`` once for all concurrent callers of ``key``; followers wait ``timeout``."""
        with self._mutex:
            call = self._calls.get(key)
            leader = call is None
            if leader:
                call = self._calls[key] = _Call()
        assert call is not None
        if not leader:
            if not call.event.wait(timeout):
                raise FlightTimeout(key)
            if call.error is not None:
                raise call.error
            return call.result
        try:
            call.result = fn()
            return call.result
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._mutex:
                self._calls.pop(key, None)
            call.event.set()


def distributed(
    store: Store,
    key: str,
    leader: Callable[[], T],
    follower: Callable[[], T],
    ttl: float,
    poll: float = 0.02,
    max_wait: float | None = None,
) -> T:
    """Run ``leader`` if this process wins the lock on ``key``, else wait and run ``follower``.

    A follower waits until the lock is gone, at most ``ttl`` (or ``max_wait``) seconds.
    """
    token = uuid.uuid4().hex
    if store.acquire(key, token, ttl):
        try:
            return leader()
        finally:
            store.release(key, token)
    deadline = time.monotonic() + (ttl if max_wait is None else min(ttl, max_wait))
    while time.monotonic() < deadline and store.is_locked(key):
        time.sleep(poll)
    return follower()
