"""Which ``X-GitHub-Delivery`` ids have been handled: one memory for every worker.

``claim(delivery_id, ttl)`` is True exactly once per id within ``ttl`` seconds, whichever
worker asks. Two kinds, by what the deployment has:

* ``RedisDeliveries`` (``REDIS_URL``): the upstream store's ``SET NX`` lock, shared by every
  worker and host.
* ``SqliteDeliveries`` (the embedded default): one row per id in ``instance/webhooks.sqlite3``
  (WAL), which every gunicorn worker of the host opens; the claim is one atomic upsert, so two
  workers racing on one id cannot both win. Expired rows are swept now and then.

``deliveries_for(app)`` builds the app's one instance (kept in ``app.extensions``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from typing import Any, Protocol

from badgeapp.state.sqlite_files import connect

log = logging.getLogger(__name__)

EXTENSION_KEY = "badgeapp.webhook_deliveries"
#: expired ids are swept at most this often (seconds)
SWEEP_INTERVAL = 300.0


class Deliveries(Protocol):
    """Delivery ids seen recently."""

    def claim(self, delivery_id: str, ttl: float) -> bool:
        """True the first time ``delivery_id`` is claimed within ``ttl`` seconds."""


class RedisDeliveries:
    """Ids kept as short-lived locks in the (Redis) upstream store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def claim(self, delivery_id: str, ttl: float) -> bool:
        return bool(self.store.acquire("webhook:github:" + delivery_id, "seen", ttl))


class SqliteDeliveries:
    """Ids kept in an SQLite file that every worker process of one host opens."""

    def __init__(self, path: str) -> None:
        self.path = path
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._local = threading.local()
        self._last_sweep = 0.0
        self._conn().execute(
            "CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, until REAL NOT NULL)"
        )

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = connect(self.path)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def claim(self, delivery_id: str, ttl: float) -> bool:
        """True for a new (or expired) id; an unusable file counts as new (a repeated refresh
        changes nothing, a lost one would leave badges stale)."""
        now = time.time()
        try:
            conn = self._conn()
            # inserts a new id, or takes over an expired one; a live row is left alone (0 changes)
            cursor = conn.execute(
                "INSERT INTO deliveries (id, until) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET until = excluded.until "
                "WHERE deliveries.until <= ?",
                (delivery_id, now + ttl, now),
            )
            if now - self._last_sweep > SWEEP_INTERVAL:
                self._last_sweep = now
                conn.execute("DELETE FROM deliveries WHERE until <= ?", (now,))
        except sqlite3.Error as exc:
            log.warning("webhook delivery ids unavailable (%s); handling %s", exc, delivery_id)
            return True
        return cursor.rowcount == 1


def deliveries_for(app: Any) -> Deliveries:
    """The app's delivery memory: Redis with ``REDIS_URL``, else the instance folder's file."""
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        if app.config.get("REDIS_URL"):
            from badgeapp.upstream import get_upstream

            found = RedisDeliveries(get_upstream(app.config).store)
        else:
            found = SqliteDeliveries(os.path.join(app.instance_path, "webhooks.sqlite3"))
        app.extensions[EXTENSION_KEY] = found
    return found
