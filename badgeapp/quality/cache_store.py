"""The quality badge cache: resolved badges by the spec's key, TTL 300 s.

The key is ``{org}/{repo}:{badge_type}:`` (names that cannot hold a colon) followed by a hash of
the structured tuple (style, colour, label, branch, generation): never user text joined with
separators, so ``?label=:branch=dev`` cannot collide with ``?branch=dev``.
Two stores share one interface.
``MemoryBadgeCache`` (default) is a thread-safe dict per process; expired entries stay (counted as
expired) until the next write sweeps them. ``RedisBadgeCache`` (when ``REDIS_URL`` is set) is
shared by every worker, so invalidation and ``stats()`` are true across processes: each entry
lives ``ttl + grace`` seconds in Redis and counts as expired during its grace period; keys carry a
prefix and are counted with SCAN (never KEYS). It also keeps a local copy, used while Redis is
unreachable: an outage degrades to this worker's cache, never to uncached (and so limited) badges.

Values are small JSON-able dicts (what the badge says), not rendered bytes: rendering is cached by
the one badge response path, which every family goes through.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from badgeapp.state.redis_client import connect

try:
    from redis.exceptions import RedisError
except ImportError:  # redis is optional: only RedisBadgeCache needs it

    class RedisError(Exception):  # type: ignore[no-redef]
        """Stand-in when the redis package is absent."""


log = logging.getLogger(__name__)

DEFAULT_TTL = 300
DEFAULT_PREFIX = "badgeapp:quality:"
#: most entries one process keeps in memory (labels and colours are user input: bound them)
DEFAULT_MAX_ENTRIES = 10_000
#: how long an expired entry stays visible to ``stats()`` in Redis before Redis drops it
REDIS_GRACE_SECONDS = 60


def cache_key(
    project_id: str,
    badge_type: str,
    style: str,
    color: str,
    label: str,
    branch: str | None = None,
    generation: int = 0,
) -> str:
    """The key of one badge: ``{project}:{badge_type}:`` then a hash of the rest (structured).

    The project id is lower-cased: GitHub-style names are case-insensitive. ``generation`` is
    the project's invalidation generation (a new upload makes every worker miss).
    """
    from badgeapp.badges.cache_keys import structured_key

    rest = structured_key(style, color, label, branch or None, generation)
    return f"{project_id.lower()}:{badge_type}:{rest}"


def _prefix_for(project_id: str, badge_type: str | None) -> str:
    project_id = project_id.lower()
    return f"{project_id}:{badge_type}:" if badge_type else f"{project_id}:"


class BadgeCache(Protocol):
    """What the quality family needs from a cache."""

    ttl: int

    def get(self, key: str) -> dict[str, Any] | None:
        """The live value, or None (missing or expired)."""
        ...

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store for ``ttl`` seconds."""
        ...

    def invalidate(self, project_id: str, badge_type: str | None = None) -> int:
        """Drop the project's entries (of one badge type); return how many were dropped."""
        ...

    def stats(self) -> dict[str, int]:
        """``{"total_entries", "active_entries", "expired_entries", "default_ttl"}``."""
        ...

    def clear(self) -> None:
        """Drop everything (tests, admin)."""
        ...


class MemoryBadgeCache:
    """Per-process store: a dict of key -> (expires_at, value) under a lock."""

    def __init__(
        self,
        ttl: int = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        self.ttl = int(ttl)
        self.max_entries = int(max_entries)
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}
        self._last_sweep = clock()

    def get(self, key: str) -> dict[str, Any] | None:
        """The live value, or None."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry[0] <= self._clock():
            return None
        return entry[1]

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store for ``ttl`` seconds; sweep expired entries at most once per ttl, or when full
        (then the oldest entries go too)."""
        now = self._clock()
        with self._lock:
            full = len(self._entries) >= self.max_entries and key not in self._entries
            if full or now - self._last_sweep >= self.ttl:
                self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
                self._last_sweep = now
            while len(self._entries) >= self.max_entries and key not in self._entries:
                del self._entries[next(iter(self._entries))]
            self._entries.pop(key, None)
            self._entries[key] = (now + self.ttl, value)

    def invalidate(self, project_id: str, badge_type: str | None = None) -> int:
        """Drop matching entries, live or expired; return how many."""
        prefix = _prefix_for(project_id, badge_type)
        with self._lock:
            doomed = [key for key in self._entries if key.startswith(prefix)]
            for key in doomed:
                del self._entries[key]
        return len(doomed)

    def stats(self) -> dict[str, int]:
        """Counts of this process's entries."""
        now = self._clock()
        with self._lock:
            total = len(self._entries)
            active = sum(1 for expires, _ in self._entries.values() if expires > now)
        return {
            "total_entries": total,
            "active_entries": active,
            "expired_entries": total - active,
            "default_ttl": self.ttl,
        }

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._entries.clear()


def _glob_escape(text: str) -> str:
    """Escape Redis MATCH wildcards (``* ? [ ] \\``) in a literal prefix."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisBadgeCache:
    """Shared store in Redis; entries expire by Redis TTL after a grace period (for stats)."""

    def __init__(
        self,
        client: Any,
        ttl: int = DEFAULT_TTL,
        prefix: str = DEFAULT_PREFIX,
        grace: int = REDIS_GRACE_SECONDS,
    ) -> None:
        self.client = client
        self.ttl = int(ttl)
        self.prefix = prefix
        self.grace = int(grace)
        self.local = MemoryBadgeCache(ttl=ttl)  # used while Redis is unreachable

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisBadgeCache:
        """Connect lazily to ``url`` (``redis://host:port/db``)."""
        return cls(connect(url), **kwargs)

    def get(self, key: str) -> dict[str, Any] | None:
        """The live value (remaining Redis TTL above the grace period), or None (also when Redis
        is down: badges are then served uncached)."""
        pipe = self.client.pipeline(transaction=False)
        pipe.get(self.prefix + key)
        pipe.pttl(self.prefix + key)
        try:
            raw, pttl = pipe.execute()
        except RedisError:
            log.warning("quality cache: Redis unavailable, using the local cache", exc_info=True)
            return self.local.get(key)
        if raw is None or pttl is None or pttl <= self.grace * 1000:
            return None
        return json.loads(raw)

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store for ``ttl`` seconds plus the grace period (in Redis, and locally)."""
        self.local.set(key, value)
        try:
            self.client.set(self.prefix + key, json.dumps(value), ex=self.ttl + self.grace)
        except RedisError:
            log.warning("quality cache: Redis unavailable, value not cached", exc_info=True)

    def _keys(self, prefix: str = "") -> list[bytes]:
        pattern = _glob_escape(self.prefix + prefix) + "*"
        return list(self.client.scan_iter(match=pattern, count=500))

    def invalidate(self, project_id: str, badge_type: str | None = None) -> int:
        """Delete matching keys (found with SCAN); return how many Redis deleted."""
        self.local.invalidate(project_id, badge_type)
        keys = self._keys(_prefix_for(project_id, badge_type))
        deleted = 0
        for start in range(0, len(keys), 500):
            deleted += int(self.client.delete(*keys[start : start + 500]))
        return deleted

    def stats(self) -> dict[str, int]:
        """Counts over every worker's entries (SCAN, then one pipelined PTTL per key)."""
        keys = self._keys()
        active = 0
        for start in range(0, len(keys), 500):
            pipe = self.client.pipeline(transaction=False)
            for key in keys[start : start + 500]:
                pipe.pttl(key)
            active += sum(1 for pttl in pipe.execute() if pttl and pttl > self.grace * 1000)
        return {
            "total_entries": len(keys),
            "active_entries": active,
            "expired_entries": len(keys) - active,
            "default_ttl": self.ttl,
        }

    def clear(self) -> None:
        """Delete every key under the prefix."""
        self.local.clear()
        keys = self._keys()
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])


def make_cache(ttl: int = DEFAULT_TTL, redis_client: Any = None, prefix: str = DEFAULT_PREFIX):
    """``RedisBadgeCache`` over ``redis_client`` when one is given, else ``MemoryBadgeCache``."""
    if redis_client is not None:
        return RedisBadgeCache(redis_client, ttl=ttl, prefix=prefix)
    return MemoryBadgeCache(ttl=ttl)
