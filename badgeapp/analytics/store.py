"""Where the analytics counters live: the database (``analytics_counts``) or Redis.

Both add counts atomically (SQL ``INSERT ... ON CONFLICT DO UPDATE SET count = count + n``, or
Redis ``HINCRBY``) per time bucket of ``BUCKET_SECONDS``, so several workers and hosts add up.
Gauges (token quota) keep the last value written. Old buckets are dropped after
``ANALYTICS_RETENTION_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from flask import Flask
from sqlalchemy import delete, select

from badgeapp.storage.db import get_engine, session_scope
from badgeapp.storage.models import AnalyticsCount

#: the finest time resolution stored (5 minutes)
BUCKET_SECONDS = 300
#: metrics whose value is the last one written rather than a sum
GAUGES = ("quota",)

Row = tuple[dt.datetime, str, str, int]


def bucket_of(moment: dt.datetime) -> dt.datetime:
    """The start of the bucket holding ``moment`` (UTC)."""
    epoch = int(moment.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % BUCKET_SECONDS, dt.UTC)


class Store(Protocol):
    """Adds counters, reads them back, forgets old ones."""

    def add(
        self,
        bucket: dt.datetime,
        counts: Mapping[tuple[str, str], int],
        gauges: Mapping[tuple[str, str], int],
    ) -> None: ...

    def read(self, since: dt.datetime) -> list[Row]: ...

    def prune(self, before: dt.datetime) -> int: ...


class DatabaseStore:
    """Counters in the ``analytics_counts`` table (SQLite or PostgreSQL)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def _insert(self) -> Any:
        if get_engine(self.app).dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(AnalyticsCount)

    def add(
        self,
        bucket: dt.datetime,
        counts: Mapping[tuple[str, str], int],
        gauges: Mapping[tuple[str, str], int],
    ) -> None:
        rows = [
            {"bucket": bucket, "metric": m, "key": k[:200], "count": n}
            for (m, k), n in counts.items()
        ]
        gauge_rows = [
            {"bucket": bucket, "metric": m, "key": k[:200], "count": n}
            for (m, k), n in gauges.items()
        ]
        columns = ["bucket", "metric", "key"]
        with session_scope(self.app) as session:
            if rows:
                stmt = self._insert()
                stmt = stmt.on_conflict_do_update(
                    index_elements=columns,
                    set_={"count": AnalyticsCount.count + stmt.excluded.count},
                )
                session.execute(stmt, rows)
            if gauge_rows:
                stmt = self._insert()
                stmt = stmt.on_conflict_do_update(
                    index_elements=columns, set_={"count": stmt.excluded.count}
                )
                session.execute(stmt, gauge_rows)

    def read(self, since: dt.datetime) -> list[Row]:
        with session_scope(self.app) as session:
            result = session.execute(
                select(
                    AnalyticsCount.bucket,
                    AnalyticsCount.metric,
                    AnalyticsCount.key,
                    AnalyticsCount.count,
                ).where(AnalyticsCount.bucket >= since)
            )
            return [(b, m, k, int(n)) for b, m, k, n in result]

    def prune(self, before: dt.datetime) -> int:
        """Delete the buckets older than ``before``; how many rows went."""
        with session_scope(self.app) as session:
            result: Any = session.execute(
                delete(AnalyticsCount).where(AnalyticsCount.bucket < before)
            )
            return int(result.rowcount or 0)


class RedisStore:
    """Counters in one Redis hash per bucket (``HINCRBY``), expiring after the retention."""

    SEP = "\x1f"

    def __init__(self, client: Any, prefix: str, retention_seconds: int) -> None:
        self.client = client
        self.prefix = prefix + "analytics:"
        self.retention = retention_seconds

    def _key(self, bucket: dt.datetime) -> str:
        return f"{self.prefix}{int(bucket.timestamp())}"

    def add(
        self,
        bucket: dt.datetime,
        counts: Mapping[tuple[str, str], int],
        gauges: Mapping[tuple[str, str], int],
    ) -> None:
        key = self._key(bucket)
        pipe = self.client.pipeline(transaction=False)
        for (metric, name), n in counts.items():
            pipe.hincrby(key, f"{metric}{self.SEP}{name[:200]}", n)
        for (metric, name), n in gauges.items():
            pipe.hset(key, f"{metric}{self.SEP}{name[:200]}", n)
        pipe.expire(key, self.retention)
        pipe.execute()

    def read(self, since: dt.datetime) -> list[Row]:
        start = int(bucket_of(since).timestamp())
        now = int(dt.datetime.now(dt.UTC).timestamp())
        buckets = list(range(start, now + 1, BUCKET_SECONDS))
        pipe = self.client.pipeline(transaction=False)
        for stamp in buckets:
            pipe.hgetall(f"{self.prefix}{stamp}")
        rows: list[Row] = []
        for stamp, fields in zip(buckets, pipe.execute(), strict=True):
            moment = dt.datetime.fromtimestamp(stamp, dt.UTC)
            for field, value in (fields or {}).items():
                metric, _, name = field.decode().partition(self.SEP)
                rows.append((moment, metric, name, int(value)))
        return rows

    def prune(self, before: dt.datetime) -> int:
        """Nothing to do: every bucket expires by itself."""
        return 0


def make_store(app: Flask) -> Store:
    """Redis when ``REDIS_URL`` is set, else the database."""
    if app.config.get("REDIS_URL"):
        from badgeapp.extensions import redis_client

        retention = int(app.config["ANALYTICS_RETENTION_DAYS"]) * 86400
        return RedisStore(redis_client(app), app.config["REDIS_PREFIX"], max(retention, 3600))
    return DatabaseStore(app)
