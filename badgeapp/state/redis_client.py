"""Redis connections made one way: short timeouts and one immediate retry, one client each.

redis-py's default retries with exponential backoff (seconds per command), so during a Redis
outage every badge request would wait that long before its fallback answered. Every client of
the app (cache, limits, generations, upstream store, leases, live bus, abuse store) is made here.
``connect`` hands every caller asking for the same URL and timeout the same client, so a
process holds one connection pool per (URL, timeout), not one per store and app (redis-py's
pools are thread-safe and start afresh in a forked worker). A shared client is never closed.
"""

from __future__ import annotations

import functools
from typing import Any

#: seconds to wait for a connection, and for a command's answer
CONNECT_TIMEOUT_SECONDS = 1.0
COMMAND_TIMEOUT_SECONDS = 2.0


def connection_options(timeout: float = COMMAND_TIMEOUT_SECONDS) -> dict[str, Any]:
    """Keyword arguments for ``redis.Redis``/``redis.from_url``: timeouts, one quick retry."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 1),
    }


@functools.lru_cache(maxsize=64)
def connect(url: str, timeout: float = COMMAND_TIMEOUT_SECONDS) -> Any:
    """The process's ``redis.Redis`` client for ``url`` with :func:`connection_options`."""
    import redis  # optional dependency: pip install badgeapp[redis]

    return redis.Redis.from_url(url, **connection_options(timeout))
