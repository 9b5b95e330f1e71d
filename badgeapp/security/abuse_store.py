"""Where abuse detection keeps its state, behind one small interface (``AbuseStore``).

Three implementations: ``RedisAbuseStore`` (``REDIS_URL`` set: every worker and host shares it),
``SqliteAbuseStore`` (the embedded default: one SQLite file in the instance folder shared by
the workers of one host) and ``MemoryAbuseStore`` (one process; tests). ``make_store`` picks.
Subjects are stored as short hashes, so what a client types never grows a key; the distinct
subjects kept per address are capped (``cap``), so one address costs bounded space.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any, Protocol

from badgeapp.state import sqlite_files
from badgeapp.state.redis_client import connect

#: block events kept for the analytics page (newest first)
MAX_EVENTS = 200


def subject_key(subject: str) -> str:
    """A fixed-size key for ``subject``."""
    return hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:24]


class AbuseStore(Protocol):
    """The state abuse detection needs; ``now`` is Unix seconds."""

    def is_warm(self, subject: str, now: float) -> bool:
        """Whether anyone asked for ``subject`` within its warm time."""

    def mark_warm(self, subject: str, now: float, ttl: float) -> None:
        """Remember that ``subject`` was just asked for (stays warm ``ttl`` seconds)."""

    def note_subject(self, address: str, subject: str, now: float, window: float, cap: int) -> int:
        """Record ``address`` asking for ``subject``; the distinct subjects in the window."""

    def block(self, address: str, now: float, until: float, subjects: int) -> None:
        """Refuse cold subjects to ``address`` until ``until``; record the event."""

    def blocked_until(self, address: str, now: float) -> float | None:
        """When the block of ``address`` ends (None: not blocked)."""

    def blocks(self, now: float) -> list[dict[str, Any]]:
        """Current blocks: ``{"address", "until", "subjects", "at"}``."""

    def events(self, limit: int) -> list[dict[str, Any]]:
        """The latest block events, newest first."""

    def incr(self, counter: str) -> None:
        """Add one to a named counter."""

    def counters(self) -> dict[str, int]:
        """Every counter."""


class MemoryAbuseStore:
    """One process's state (tests, single-process use)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._warm: dict[str, float] = {}
        self._seen: dict[str, dict[str, float]] = {}
        self._blocks: dict[str, dict[str, Any]] = {}
        self._events: deque[dict[str, Any]] = deque(maxlen=MAX_EVENTS)
        self._counters: dict[str, int] = {}

    def is_warm(self, subject: str, now: float) -> bool:
        return self._warm.get(subject_key(subject), 0.0) > now

    def mark_warm(self, subject: str, now: float, ttl: float) -> None:
        with self._lock:
            if len(self._warm) > 100_000:
                self._warm = {k: t for k, t in self._warm.items() if t > now}
            self._warm[subject_key(subject)] = now + ttl

    def note_subject(self, address: str, subject: str, now: float, window: float, cap: int) -> int:
        with self._lock:
            if len(self._seen) > 100_000:
                self._seen = {
                    a: s for a, s in self._seen.items() if max(s.values(), default=0) > now - window
                }
            seen = self._seen.setdefault(address, {})
            for key in [k for k, at in seen.items() if at <= now - window]:
                del seen[key]
            if len(seen) < cap or subject_key(subject) in seen:
                seen[subject_key(subject)] = now
            return len(seen)

    def block(self, address: str, now: float, until: float, subjects: int) -> None:
        event = {"address": address, "at": now, "until": until, "subjects": subjects}
        with self._lock:
            self._blocks[address] = event
            self._events.appendleft(event)
            self._seen.pop(address, None)

    def blocked_until(self, address: str, now: float) -> float | None:
        until = self._blocks.get(address, {}).get("until")
        return until if until is not None and until > now else None

    def blocks(self, now: float) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(b) for b in self._blocks.values() if b["until"] > now]

    def events(self, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in list(self._events)[:limit]]

    def incr(self, counter: str) -> None:
        with self._lock:
            self._counters[counter] = self._counters.get(counter, 0) + 1

    def counters(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counters)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS warm (subject TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS seen (address TEXT NOT NULL, subject TEXT NOT NULL, at REAL NOT NULL,
                                 PRIMARY KEY (address, subject));
CREATE TABLE IF NOT EXISTS blocks (address TEXT PRIMARY KEY, at REAL NOT NULL,
                                   until REAL NOT NULL, subjects INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL,
                                   at REAL NOT NULL, until REAL NOT NULL,
                                   subjects INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""


class SqliteAbuseStore:
    """A SQLite file (WAL) that every worker process of one host opens."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._writes = 0
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite_files.connect(self.path)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _tidy(self, conn: sqlite3.Connection, now: float, window: float | None) -> None:
        """Now and then (one write in 500), drop rows that have expired."""
        self._writes += 1
        if self._writes % 500 == 0:
            conn.execute("DELETE FROM warm WHERE until < ?", (now,))
            conn.execute("DELETE FROM blocks WHERE until < ?", (now,))
            if window is not None:
                conn.execute("DELETE FROM seen WHERE at <= ?", (now - window,))

    def is_warm(self, subject: str, now: float) -> bool:
        row = (
            self._connect()
            .execute("SELECT until FROM warm WHERE subject = ?", (subject_key(subject),))
            .fetchone()
        )
        return row is not None and row[0] > now

    def mark_warm(self, subject: str, now: float, ttl: float) -> None:
        conn = self._connect()
        conn.execute(
            "INSERT INTO warm (subject, until) VALUES (?, ?) "
            "ON CONFLICT (subject) DO UPDATE SET until = excluded.until",
            (subject_key(subject), now + ttl),
        )
        self._tidy(conn, now, None)

    def note_subject(self, address: str, subject: str, now: float, window: float, cap: int) -> int:
        conn = self._connect()
        key = subject_key(subject)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM seen WHERE address = ? AND at <= ?", (address, now - window))
            count = conn.execute("SELECT COUNT(*) FROM seen WHERE address = ?", (address,))
            distinct = count.fetchone()[0]
            known = conn.execute(
                "SELECT 1 FROM seen WHERE address = ? AND subject = ?", (address, key)
            ).fetchone()
            if known or distinct < cap:
                conn.execute(
                    "INSERT INTO seen (address, subject, at) VALUES (?, ?, ?) "
                    "ON CONFLICT (address, subject) DO UPDATE SET at = excluded.at",
                    (address, key, now),
                )
                distinct += 0 if known else 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._tidy(conn, now, window)
        return distinct

    def block(self, address: str, now: float, until: float, subjects: int) -> None:
        conn = self._connect()
        conn.execute(
            "INSERT INTO blocks (address, at, until, subjects) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (address) DO UPDATE SET at = excluded.at, until = excluded.until, "
            "subjects = excluded.subjects",
            (address, now, until, subjects),
        )
        conn.execute(
            "INSERT INTO events (address, at, until, subjects) VALUES (?, ?, ?, ?)",
            (address, now, until, subjects),
        )
        conn.execute(
            "DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?", (MAX_EVENTS,)
        )
        conn.execute("DELETE FROM seen WHERE address = ?", (address,))

    def blocked_until(self, address: str, now: float) -> float | None:
        row = (
            self._connect()
            .execute("SELECT until FROM blocks WHERE address = ?", (address,))
            .fetchone()
        )
        return row[0] if row is not None and row[0] > now else None

    def blocks(self, now: float) -> list[dict[str, Any]]:
        rows = self._connect().execute(
            "SELECT address, at, until, subjects FROM blocks WHERE until > ? ORDER BY at DESC",
            (now,),
        )
        return [dict(zip(("address", "at", "until", "subjects"), r, strict=True)) for r in rows]

    def events(self, limit: int) -> list[dict[str, Any]]:
        rows = self._connect().execute(
            "SELECT address, at, until, subjects FROM events ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [dict(zip(("address", "at", "until", "subjects"), r, strict=True)) for r in rows]

    def incr(self, counter: str) -> None:
        self._connect().execute(
            "INSERT INTO counters (name, n) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET n = n + 1",
            (counter,),
        )

    def counters(self) -> dict[str, int]:
        return dict(self._connect().execute("SELECT name, n FROM counters").fetchall())


class RedisAbuseStore:
    """Redis keys under ``prefix``: shared by every worker and host."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis = connect(url, timeout=1)
        self.prefix = prefix

    def _k(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def is_warm(self, subject: str, now: float) -> bool:
        until = self.redis.get(self._k("warm", subject_key(subject)))
        return until is not None and float(until) > now

    def mark_warm(self, subject: str, now: float, ttl: float) -> None:
        key = self._k("warm", subject_key(subject))
        self.redis.set(key, repr(now + ttl), ex=max(1, int(ttl) + 1))

    def note_subject(self, address: str, subject: str, now: float, window: float, cap: int) -> int:
        key = self._k("seen", address)
        member = subject_key(subject)
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(key, "-inf", now - window)
        pipe.zscore(key, member)
        pipe.zcard(key)
        _, known, distinct = pipe.execute()
        if known is None and distinct >= cap:
            return int(distinct)
        pipe = self.redis.pipeline()
        pipe.zadd(key, {member: now})
        pipe.expire(key, max(1, int(window)))
        pipe.zcard(key)
        return int(pipe.execute()[-1])

    def block(self, address: str, now: float, until: float, subjects: int) -> None:
        event = {"address": address, "at": now, "until": until, "subjects": subjects}
        pipe = self.redis.pipeline()
        pipe.set(self._k("block", address), json.dumps(event), ex=max(1, int(until - now)))
        pipe.zadd(self._k("blocks"), {address: until})
        pipe.zremrangebyscore(self._k("blocks"), "-inf", now)
        pipe.lpush(self._k("events"), json.dumps(event))
        pipe.ltrim(self._k("events"), 0, MAX_EVENTS - 1)
        pipe.delete(self._k("seen", address))
        pipe.execute()

    def blocked_until(self, address: str, now: float) -> float | None:
        raw = self.redis.get(self._k("block", address))
        if raw is None:
            return None
        until = float(json.loads(raw)["until"])
        return until if until > now else None

    def blocks(self, now: float) -> list[dict[str, Any]]:
        addresses = self.redis.zrangebyscore(self._k("blocks"), now, "+inf")
        found = []
        for address in addresses:
            raw = self.redis.get(self._k("block", address.decode()))
            if raw is not None:
                found.append(json.loads(raw))
        return found

    def events(self, limit: int) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in self.redis.lrange(self._k("events"), 0, limit - 1)]

    def incr(self, counter: str) -> None:
        self.redis.hincrby(self._k("counters"), counter, 1)

    def counters(self) -> dict[str, int]:
        raw = self.redis.hgetall(self._k("counters"))
        return {k.decode(): int(v) for k, v in raw.items()}


def make_store(config: Mapping[str, Any], instance_path: str) -> AbuseStore:
    """Redis when ``REDIS_URL`` is set, else the SQLite file ``instance/security.sqlite3``."""
    if config.get("REDIS_URL"):
        return RedisAbuseStore(config["REDIS_URL"], config.get("REDIS_PREFIX", "") + "abuse:")
    return SqliteAbuseStore(os.path.join(instance_path, "security.sqlite3"))
