"""Opening an SQLite file that several worker processes share.

Every such file is kept in WAL mode, so readers never wait for a writer. Turning WAL on needs
SQLite's exclusive lock, and when two processes open a new file at the same moment (gunicorn's
workers booting together) SQLite answers one of them "database is locked" at once, without
waiting: each holds the shared lock the other must drop, and its busy handler would deadlock.
:func:`use_wal` waits and tries again instead; once the file is in WAL mode (a setting stored in
the file) later opens need no exclusive lock at all.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

#: how long an opener waits for a write lock, or for another process to finish turning WAL on
LOCK_WAIT_SECONDS = 10.0


def use_wal(conn: Any, wait: float = LOCK_WAIT_SECONDS) -> None:
    """Put the file behind ``conn`` (a DB-API connection or cursor) in WAL mode, waiting out
    another process doing the same."""
    deadline = time.monotonic() + wait
    pause = 0.005
    while True:
        try:
            if _journal_mode(conn, "PRAGMA journal_mode") == "wal":
                return
            _journal_mode(conn, "PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _journal_mode(conn: Any, statement: str) -> str:
    cursor = conn.execute(statement)
    row = cursor.fetchone()
    return str(row[0]).lower() if row else ""


def connect(path: str) -> sqlite3.Connection:
    """An autocommit connection in WAL mode that waits up to 10 s for the write lock."""
    conn = sqlite3.connect(
        path, timeout=LOCK_WAIT_SECONDS, isolation_level=None, check_same_thread=False
    )
    use_wal(conn)
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn
