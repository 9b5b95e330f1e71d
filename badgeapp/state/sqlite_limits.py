"""A ``limits`` storage backed by one SQLite file: rate limits shared by every worker process.

Registered as the ``badgeapp-sqlite`` scheme (``badgeapp-sqlite:////abs/path/limits.db``), so
flask-limiter and ``limits`` strategies use it like ``memory://`` or ``redis://``. It supports
fixed windows (counters with an expiry) and moving windows (one row per hit). Each writer takes
SQLite's write lock (``BEGIN IMMEDIATE``), so concurrent hits from several workers cannot slip
past a limit together. Meant for one host; several hosts share limits through Redis.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any

from limits.storage import MovingWindowSupport, Storage

from badgeapp.state.sqlite_files import connect

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS limit_counters"
    " (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS limit_events (key TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS limit_events_key_at ON limit_events (key, at)",
)
#: expired rows are swept at most this often (seconds)
SWEEP_INTERVAL = 60.0


def path_from_uri(uri: str) -> str:
    """``badgeapp-sqlite:////abs/file.db`` -> ``/abs/file.db``."""
    _, _, rest = uri.partition("://")
    return rest[1:] if rest.startswith("//") else rest


class SQLiteStorage(Storage, MovingWindowSupport):
    """Rate-limit counters and moving-window hits in an SQLite file."""

    STORAGE_SCHEME = ["badgeapp-sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = path_from_uri(uri)
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        self._local = threading.local()
        self._last_sweep = 0.0
        with self._conn() as conn:
            for statement in _SCHEMA:
                conn.execute(statement)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = self._local.conn = connect(self.path)  # never share one across a fork
            self._local.pid = os.getpid()
        return conn

    def _write(self, work: Any) -> Any:
        """Run ``work(conn, now)`` inside one write transaction."""
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if now - self._last_sweep > SWEEP_INTERVAL:
                self._last_sweep = now
                conn.execute("DELETE FROM limit_counters WHERE expires <= ?", (now,))
                conn.execute("DELETE FROM limit_events WHERE at <= ?", (now - 86400,))
            result = work(conn, now)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    # -- fixed windows ---------------------------------------------------------------------
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def work(conn: sqlite3.Connection, now: float) -> int:
            row = conn.execute(
                "SELECT value, expires FROM limit_counters WHERE key = ?", (key,)
            ).fetchone()
            if row is None or row[1] <= now:
                value, expires = amount, now + expiry
            else:
                value, expires = row[0] + amount, row[1]
            conn.execute(
                "INSERT OR REPLACE INTO limit_counters (key, value, expires) VALUES (?, ?, ?)",
                (key, value, expires),
            )
            return value

        return self._write(work)

    def get(self, key: str) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT value FROM limit_counters WHERE key = ? AND expires > ?", (key, time.time())
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = (
            self._conn()
            .execute("SELECT expires FROM limit_counters WHERE key = ?", (key,))
            .fetchone()
        )
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        def work(conn: sqlite3.Connection, now: float) -> int:
            count = conn.execute("SELECT COUNT(*) FROM limit_counters").fetchone()[0]
            conn.execute("DELETE FROM limit_counters")
            conn.execute("DELETE FROM limit_events")
            return int(count)

        return self._write(work)

    def clear(self, key: str) -> None:
        def work(conn: sqlite3.Connection, now: float) -> None:
            conn.execute("DELETE FROM limit_counters WHERE key = ?", (key,))
            conn.execute("DELETE FROM limit_events WHERE key = ?", (key,))

        self._write(work)

    # -- moving windows --------------------------------------------------------------------
    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False

        def work(conn: sqlite3.Connection, now: float) -> bool:
            conn.execute("DELETE FROM limit_events WHERE key = ? AND at <= ?", (key, now - expiry))
            count = conn.execute(
                "SELECT COUNT(*) FROM limit_events WHERE key = ?", (key,)
            ).fetchone()[0]
            if count + amount > limit:
                return False
            conn.executemany(
                "INSERT INTO limit_events (key, at) VALUES (?, ?)", [(key, now)] * amount
            )
            return True

        return bool(self._write(work))

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, count = (
            self._conn()
            .execute(
                "SELECT MIN(at), COUNT(*) FROM limit_events WHERE key = ? AND at > ?",
                (key, now - expiry),
            )
            .fetchone()
        )
        return (float(oldest) if oldest is not None else now), int(count)
