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

from badgeapp.state.sqlite_files import connect

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
    """Counters shared by the processes of one host through files in ``folder``.

    Each row remembers the epoch of its last change, so a process that notices a new epoch
    reads only the rows changed since the epoch it had seen (never the whole table).
    """

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
        conn = self._db()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS generations (scope TEXT PRIMARY KEY,"
            " value INTEGER NOT NULL, epoch INTEGER NOT NULL DEFAULT 0)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS generations_by_epoch ON generations (epoch)")
        conn.execute("CREATE TABLE IF NOT EXISTS generations_clock (epoch INTEGER NOT NULL)")
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT COUNT(*) FROM generations_clock").fetchone()[0] == 0:
            conn.execute("INSERT INTO generations_clock (epoch) VALUES (0)")
        conn.execute("COMMIT")
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
        """One memory read; rows are read only when another process changed one."""
        shared = self._read_epoch()
        if shared == self._seen:
            return []
        with self._lock:
            seen = self._seen
            rows = (
                self._db()
                .execute("SELECT scope, value, epoch FROM generations WHERE epoch > ?", (seen,))
                .fetchall()
            )
            counts = dict(self._counts)
            changed = []
            newest = max([shared, *(int(row[2]) for row in rows)])
            for scope, value, _ in rows:
                if counts.get(scope) != int(value):
                    counts[scope] = int(value)
                    changed.append(scope)
            self._counts, self._epoch, self._seen = counts, newest, newest
        return changed

    def bump(self, scope: str) -> None:
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            epoch = conn.execute(
                "UPDATE generations_clock SET epoch = epoch + 1 RETURNING epoch"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO generations (scope, value, epoch) VALUES (?, 1, ?)"
                " ON CONFLICT(scope) DO UPDATE SET value = value + 1, epoch = excluded.epoch",
                (scope, epoch),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        with open(self.epoch_path, "rb+") as handle:  # the row first, then the signal
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                if self._read_epoch() < epoch:
                    _EPOCH.pack_into(self._map, 0, epoch)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        self.sync()


_BUMP_SCRIPT = """
local epoch = redis.call('INCR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('ZADD', KEYS[3], epoch, ARGV[1])
return epoch
"""


class RedisGenerations(LocalGenerations):
    """Counters in a Redis hash, the epoch in one key, and a sorted set of scopes by the epoch of
    their last change (so a worker reads only what changed); a local copy while Redis is away."""

    def __init__(self, client: Any, prefix: str) -> None:
        super().__init__()
        self.client = client
        self.hash_key = prefix + "generations"
        self.epoch_key = prefix + "generations:epoch"
        self.changes_key = prefix + "generations:changes"
        self._seen: int | None = None

    def sync(self) -> list[str]:
        try:
            shared = int(self.client.get(self.epoch_key) or 0)
            if shared == self._seen:
                return []
            if self._seen is None:
                fresh = {
                    key.decode(): int(value)
                    for key, value in self.client.hgetall(self.hash_key).items()
                }
            else:
                scopes = self.client.zrangebyscore(self.changes_key, f"({self._seen}", "+inf")
                values = self.client.hmget(self.hash_key, scopes) if scopes else []
                fresh = {
                    scope.decode(): int(value or 0)
                    for scope, value in zip(scopes, values, strict=True)
                }
        except Exception:  # Redis away: keep the local copy, never fail a request
            log.warning("generations: Redis unavailable, using the local copy", exc_info=True)
            return []
        with self._lock:
            counts = dict(self._counts) if self._seen is not None else {}
            changed = [scope for scope, value in fresh.items() if counts.get(scope) != value]
            counts.update(fresh)
            self._counts, self._epoch, self._seen = counts, shared, shared
        return changed

    def bump(self, scope: str) -> None:
        try:
            self.client.eval(
                _BUMP_SCRIPT, 3, self.epoch_key, self.hash_key, self.changes_key, scope
            )
        except Exception:
            log.warning("generations: Redis unavailable, %s invalidated locally", scope)
            super().bump(scope)
            return
        self.sync()
