"""The upstream state store: cached bodies with their validators, locks and small records.

One small interface, two implementations:

* ``MemoryStore``: per process, a bounded dict guarded by a lock (the default);
* ``RedisStore``: shared by every worker and host (``REDIS_URL``); locks are
  ``SET key token NX PX ttl`` and released only by their owner (a compare-and-delete script).

An ``Entry`` is one upstream answer: status, body bytes, the ETag / Last-Modified
validators used for conditional revalidation, the few headers providers read
(``Link``, ``X-Total``) and when it was last confirmed by upstream (``fetched_at``).
Entries are kept for ``STALE_MAX_AGE`` so a failing upstream can be answered from them.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import threading
import time
from collections import OrderedDict
from typing import Any, Protocol

from badgeapp.state.redis_client import connect

log = logging.getLogger(__name__)

#: response headers kept with a cached body (lower-case)
KEPT_HEADERS = ("link", "x-total", "content-type")


@dataclasses.dataclass
class Entry:
    """One cached upstream answer."""

    status: int
    body: bytes
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    fetched_at: float

    def to_json(self) -> str:
        """Serialise (bodies as base64: never pickle data another process wrote)."""
        data = dataclasses.asdict(self)
        data["body"] = base64.b64encode(self.body).decode("ascii")
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Entry:
        """Parse what ``to_json`` wrote."""
        data = json.loads(text)
        data["body"] = base64.b64decode(data["body"])
        return cls(**data)


class Store(Protocol):
    """Where entries, locks and small JSON records live."""

    def get(self, key: str) -> Entry | None: ...

    def put(self, key: str, entry: Entry, ttl: float) -> None: ...

    def acquire(self, key: str, token: str, ttl: float) -> bool: ...

    def release(self, key: str, token: str) -> None: ...

    def is_locked(self, key: str) -> bool: ...

    def get_record(self, key: str) -> Any: ...

    def put_record(self, key: str, value: Any, ttl: float) -> None: ...


class MemoryStore:
    """A per-process store; ``max_entries`` bounds memory (least recently used go first)."""

    def __init__(self, max_entries: int = 20_000) -> None:
        self._data: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._locks: dict[str, tuple[float, str]] = {}
        self._mutex = threading.Lock()
        self._max = max_entries

    def _get(self, key: str) -> Any:
        with self._mutex:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.time():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def _put(self, key: str, value: Any, ttl: float) -> None:
        with self._mutex:
            self._data[key] = (time.time() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def get(self, key: str) -> Entry | None:
        value = self._get("e:" + key)
        return dataclasses.replace(value) if value is not None else None

    def put(self, key: str, entry: Entry, ttl: float) -> None:
        self._put("e:" + key, dataclasses.replace(entry), ttl)

    def get_record(self, key: str) -> Any:
        return self._get("r:" + key)

    def put_record(self, key: str, value: Any, ttl: float) -> None:
        self._put("r:" + key, value, ttl)

    def acquire(self, key: str, token: str, ttl: float) -> bool:
        now = time.time()
        with self._mutex:
            held = self._locks.get(key)
            if held is not None and held[0] > now:
                return False
            self._locks[key] = (now + ttl, token)
            return True

    def release(self, key: str, token: str) -> None:
        with self._mutex:
            held = self._locks.get(key)
            if held is not None and held[1] == token:
                del self._locks[key]

    def is_locked(self, key: str) -> bool:
        with self._mutex:
            held = self._locks.get(key)
            return held is not None and held[0] > time.time()

    def purge_expired(self) -> int:
        """Drop expired entries, records and locks now (the scheduler's cleanup job); a count."""
        now = time.time()
        with self._mutex:
            stale = [key for key, (expires, _) in self._data.items() if expires < now]
            for key in stale:
                del self._data[key]
            locks = [key for key, (expires, _) in self._locks.items() if expires <= now]
            for key in locks:
                del self._locks[key]
            return len(stale) + len(locks)


_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class RedisStore:
    """A store shared through Redis; every key starts with ``prefix``.

    If Redis stops answering, each operation falls back to a per-process ``MemoryStore``
    (logged at most once a minute), so badges keep working, unshared, until Redis is back.
    """

    def __init__(self, url: str, prefix: str = "badgeapp:up:") -> None:
        import redis  # optional dependency, only needed with REDIS_URL

        self.client = connect(url, timeout=1)
        self.prefix = prefix
        self._release = self.client.register_script(_RELEASE_SCRIPT)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self.fallback = MemoryStore()
        self._warned = 0.0

    def _degraded(self, exc: BaseException) -> None:
        now = time.time()
        if now - self._warned > 60:
            self._warned = now
            log.warning("Redis unavailable (%s); using the in-process upstream store", exc)

    def get(self, key: str) -> Entry | None:
        try:
            raw = self.client.get(self.prefix + "e:" + key)
        except self._errors as exc:
            self._degraded(exc)
            return self.fallback.get(key)
        return Entry.from_json(raw) if raw is not None else None

    def put(self, key: str, entry: Entry, ttl: float) -> None:
        try:
            self.client.set(self.prefix + "e:" + key, entry.to_json(), px=max(1, int(ttl * 1000)))
        except self._errors as exc:
            self._degraded(exc)
            self.fallback.put(key, entry, ttl)

    def get_record(self, key: str) -> Any:
        try:
            raw = self.client.get(self.prefix + "r:" + key)
        except self._errors as exc:
            self._degraded(exc)
            return self.fallback.get_record(key)
        return json.loads(raw) if raw is not None else None

    def put_record(self, key: str, value: Any, ttl: float) -> None:
        try:
            self.client.set(self.prefix + "r:" + key, json.dumps(value), px=max(1, int(ttl * 1000)))
        except self._errors as exc:
            self._degraded(exc)
            self.fallback.put_record(key, value, ttl)

    def acquire(self, key: str, token: str, ttl: float) -> bool:
        try:
            return bool(
                self.client.set(
                    self.prefix + "l:" + key, token, nx=True, px=max(1, int(ttl * 1000))
                )
            )
        except self._errors as exc:
            self._degraded(exc)
            return self.fallback.acquire(key, token, ttl)

    def release(self, key: str, token: str) -> None:
        self.fallback.release(key, token)
        try:
            self._release(keys=[self.prefix + "l:" + key], args=[token])
        except self._errors as exc:
            self._degraded(exc)

    def is_locked(self, key: str) -> bool:
        try:
            return bool(self.client.exists(self.prefix + "l:" + key))
        except self._errors as exc:
            self._degraded(exc)
            return self.fallback.is_locked(key)

    def purge_expired(self) -> int:
        """Redis expires its keys itself; only the in-process fallback needs a sweep."""
        return self.fallback.purge_expired()
