"""Which provider badges are viewed most: the pre-warm job's list, until analytics replaces it.

``record_view(app, name)`` counts one view of ``provider/subject.../metric``;
``most_viewed(app, n)`` gives the ``n`` most counted names, most first; ``trim(app)`` keeps the
counts bounded and lets old favourites fade (every count is halved). With ``REDIS_URL`` the
counts are one sorted set shared by every worker; otherwise a bounded dict in this process.
The dashboard's analytics can take over by feeding ``record_view`` or replacing
``most_viewed``: nothing else reads these counts.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

#: most names kept (anonymous traffic must not grow the store without bound)
MAX_NAMES = 10_000
_EXTENSION_KEY = "badgeapp.popular"
_lock = threading.Lock()


def _key(app: Flask) -> str:
    return (app.config.get("REDIS_PREFIX") or "badgeapp:") + "popular"


def _local(app: Flask) -> Counter[str]:
    counts = app.extensions.get(_EXTENSION_KEY)
    if counts is None:
        with _lock:
            counts = app.extensions.setdefault(_EXTENSION_KEY, Counter())
    return counts


def _redis(app: Flask) -> Any:
    from badgeapp.extensions import redis_client

    return redis_client(app)


def record_view(app: Flask, name: str) -> None:
    """Count one view of the badge ``provider/subject.../metric``."""
    client = _redis(app)
    if client is not None:
        try:
            client.zincrby(_key(app), 1, name)
            return
        except Exception as exc:  # a Redis outage must not fail a badge
            log.debug("popular: %s", exc)
    counts = _local(app)
    with _lock:
        if name in counts or len(counts) < MAX_NAMES:
            counts[name] += 1


def most_viewed(app: Flask, n: int) -> list[str]:
    """The ``n`` most viewed badge names, most viewed first."""
    if n <= 0:
        return []
    client = _redis(app)
    if client is not None:
        try:
            return [raw.decode() for raw in client.zrevrange(_key(app), 0, n - 1)]
        except Exception as exc:
            log.warning("popular: Redis unavailable (%s)", exc)
    with _lock:
        return [name for name, _ in _local(app).most_common(n)]


def trim(app: Flask) -> int:
    """Halve every count and keep the ``MAX_NAMES`` most viewed; returns how many were dropped."""
    client = _redis(app)
    if client is not None:
        key = _key(app)
        pipe = client.pipeline()
        pipe.zunionstore(key, {key: 0.5})
        pipe.zremrangebyscore(key, "-inf", 0.5)
        pipe.zremrangebyrank(key, 0, -MAX_NAMES - 1)
        results = pipe.execute()
        return int(results[1]) + int(results[2])
    counts = _local(app)
    with _lock:
        before = len(counts)
        for name in list(counts):
            counts[name] //= 2
            if counts[name] <= 0:
                del counts[name]
        return before - len(counts)
