"""Generation counters behind ``badgeapp.badges.invalidation``: local, file-shared or Redis.

A generation is a number per scope that grows on every invalidation; the *epoch* is one number
that grows on every invalidation of any scope. ``sync()`` is the cheap per-request check: it
reads the epoch and, only when it moved, reloads the counters and returns the scopes that
changed (so listeners can run in this process too).

* ``LocalGenerations``: one process (tests, the CLI).
* ``FileGenerations``: every worker on one host (the embedded default). Counters are rows of
  an SQLite file in the instance folder; the epoch is 8 bytes of a memory-mapped file, so the
  per-request check is one memory read, and an invalidation is visible to the next request of
  any worker.
* ``RedisGenerations``: every worker on every host (``REDIS_URL``): a hash of counters and an
  epoch key. While Redis is unreachable it keeps working from its local copy (invalidations
  made meanwhile count locally) and never fails a request.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import struct
import threading
from typing import Any

from badgeapp.state.sqlite_limits import connect

log = logging.getLogger(__name__)

_EPOCH = struct.Struct("<Q")


class LocalGenerations:
    """Counters in this process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._epoch = 0

    def sync(self) -> list[str]:
        """Nothing to learn from elsewhere."""
        return []

    def epoch(self) -> int:
        return self._epoch

    def generation(self, scope: str) -> int:
        counts = self._counts
        return counts.get(scope, 0) + counts.get("*", 0)

    def bump(self, scope: str) -> None:
        with self._lock:
            self._counts[scope] = self._counts.get(scope, 0) + 1
            self._epoch += 1

    def _replace(self, counts: dict[str, int], epoch: int) -> list[str]:
        """Adopt counters read from a shared store; the scopes whose number changed."""
        with self._lock:
            old = self._counts
            changed = [s for s in set(old) | set(counts) if old.get(s, 0) != counts.get(s, 0)]
            self._counts, self._epoch = counts, epoch
        return changed


class FileGenerations(LocalGenerations):
    """Counters shared by the processes of one host through files in ``folder``."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        os.makedirs(folder, exist_ok=True)
        self.db_path = os.path.join(folder, "state.db")
        self.epoch_path = os.path.join(folder, "generations.epoch")
        fd = os.open(self.epoch_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if os.fstat(fd).st_size < _EPOCH.size:
                os.ftruncate(fd, _EPOCH.size)
            self._map = mmap.mmap(fd, _EPOCH.size)
        finally:
            os.close(fd)
        self._tls = threading.local()
        with self._db() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS generations"
                " (scope TEXT PRIMARY KEY, value INTEGER NOT NULL)"
            )
        self._seen = -1
        self.sync()

    def _db(self) -> Any:
        conn = getattr(self._tls, "conn", None)
        if conn is None or getattr(self._tls, "pid", None) != os.getpid():
            conn = self._tls.conn = connect(self.db_path)
            self._tls.pid = os.getpid()
        return conn

    def _read_epoch(self) -> int:
        return _EPOCH.unpack_from(self._map, 0)[0]

    def sync(self) -> list[str]:
        """One memory read; the counters are reloaded only when another process bumped one."""
        shared = self._read_epoch()
        if shared == self._seen:
            return []
        rows = self._db().execute("SELECT scope, value FROM generations").fetchall()
        self._seen = shared
        return self._replace({scope: int(value) for scope, value in rows}, shared)

    def bump(self, scope: str) -> None:
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO generations (scope, value) VALUES (?, 1)"
                " ON CONFLICT(scope) DO UPDATE SET value = value + 1",
                (scope,),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        with open(self.epoch_path, "rb+") as handle:  # the row first, then the signal
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                _EPOCH.pack_into(self._map, 0, self._read_epoch() + 1)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        self.sync()


class RedisGenerations(LocalGenerations):
    """Counters in a Redis hash, the epoch in one key; local copy while Redis is away."""

    def __init__(self, client: Any, prefix: str) -> None:
        super().__init__()
        self.client = client
        self.hash_key = prefix + "generations"
        self.epoch_key = prefix + "generations:epoch"
        self._seen: int | None = None

    def sync(self) -> list[str]:
        try:
            raw = self.client.get(self.epoch_key)
            shared = int(raw or 0)
            if shared == self._seen:
                return []
            counts = {
                key.decode(): int(value)
                for key, value in self.client.hgetall(self.hash_key).items()
            }
        except Exception:  # Redis away: keep the local copy, never fail a request
            log.warning("generations: Redis unavailable, using the local copy", exc_info=True)
            return []
        self._seen = shared
        return self._replace(counts, shared)

    def bump(self, scope: str) -> None:
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.hincrby(self.hash_key, scope, 1)
            pipe.incr(self.epoch_key)
            pipe.execute()
        except Exception:
            log.warning("generations: Redis unavailable, %s invalidated locally", scope)
            super().bump(scope)
            return
        self.sync()
