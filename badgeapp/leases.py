"""Cluster-wide leases: at most one holder of a name at a time, with expiry and renewal.

``hold()`` takes the lease or renews it when this holder has it already, and says whether
this process holds it now; ``release()`` gives it up. Three kinds, by what the deployment has:

* ``RedisLease`` (``REDIS_URL``): ``SET key token NX PX ttl``, renewed by its holder with a
  compare-and-``PEXPIRE`` script, released by compare-and-delete; a dead holder's lease
  expires after ``ttl``. Shared by every worker and host.
* ``PostgresLease`` (``DATABASE_URL`` is PostgreSQL): a session advisory lock held on one
  dedicated connection; it ends when the connection (or the process) does. Every host.
* ``FileLease`` (SQLite: one host): ``flock`` on a file in the instance folder; the kernel
  releases it when the process exits.

The live pollers use the Redis scripts below for their per-topic leadership.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import threading
import uuid
from pathlib import Path
from typing import Any, Protocol

from badgeapp.state.redis_client import connect

log = logging.getLogger(__name__)

#: take the lease, or renew it when ARGV[1] holds it already (KEYS[1], ARGV[2] = ttl ms)
REDIS_HOLD_SCRIPT = """
local held = redis.call('get', KEYS[1])
if held == ARGV[1] then
    redis.call('pexpire', KEYS[1], ARGV[2])
    return 1
end
if not held then
    redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 1
end
return 0
"""

#: give the lease up, only if ARGV[1] holds it
REDIS_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


def holder_token() -> str:
    """A token naming this process (host, pid and a random part)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease(Protocol):
    """One named lease."""

    kind: str

    def hold(self) -> bool: ...

    def release(self) -> None: ...


class RedisLease:
    """A lease in Redis that expires ``ttl`` seconds after its last renewal."""

    kind = "redis"

    def __init__(self, url: str, key: str, ttl: float) -> None:
        import redis

        self.client = connect(url)
        self.key = key
        self.ttl_ms = max(1, int(ttl * 1000))
        self.token = holder_token()
        self._hold = self.client.register_script(REDIS_HOLD_SCRIPT)
        self._release = self.client.register_script(REDIS_RELEASE_SCRIPT)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)

    def hold(self) -> bool:
        try:
            return bool(self._hold(keys=[self.key], args=[self.token, self.ttl_ms]))
        except self._errors as exc:
            log.warning("lease %s: Redis unavailable (%s); not holding it", self.key, exc)
            return False

    def release(self) -> None:
        with contextlib.suppress(*self._errors):
            self._release(keys=[self.key], args=[self.token])


class FileLease:
    """An exclusive ``flock`` on ``path``: one holder among the processes of this host."""

    kind = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._lock = threading.Lock()

    def hold(self) -> bool:
        import fcntl

        with self._lock:
            if self._fd is not None:
                return True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            self._fd = fd
            return True

    def release(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)  # closing the descriptor drops the flock
                self._fd = None


class PostgresLease:
    """A PostgreSQL session advisory lock kept on one dedicated connection."""

    kind = "postgresql"

    def __init__(self, url: str, name: str) -> None:
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        digest = hashlib.sha256(name.encode()).digest()
        self.lock_id = int.from_bytes(digest[:8], "big", signed=True)
        self._conn: Any = None
        self._lock = threading.Lock()

    def hold(self) -> bool:
        import psycopg

        with self._lock:
            try:
                if self._conn is not None:
                    self._conn.execute("SELECT 1")  # still connected, so still held
                    return True
                conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
                row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.lock_id,)).fetchone()
                if row and row[0]:
                    self._conn = conn
                    return True
                conn.close()
                return False
            except psycopg.Error as exc:
                log.warning("advisory lease unavailable (%s); not holding it", exc)
                self._drop()
                return False

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def release(self) -> None:
        with self._lock:
            self._drop()  # the session's advisory locks end with it


def make_lease(config: Any, name: str, instance_path: str, ttl: float) -> Lease:
    """The right lease for this deployment: Redis, else PostgreSQL, else a file lock."""
    redis_url = config.get("REDIS_URL")
    if redis_url:
        prefix = config.get("REDIS_PREFIX") or "badgeapp:"
        return RedisLease(redis_url, f"{prefix}lease:{name}", ttl)
    database = str(config.get("DATABASE_URL") or "")
    if database.startswith("postgresql"):
        return PostgresLease(database, f"badgeapp:{name}")
    return FileLease(Path(instance_path) / f"{name}.lock")
