"""The resilient upstream layer: pooled HTTP, conditional caching, single-flight, stale-on-error.

Providers call ``get_upstream(config).get(url, ...)``; one ``Upstream`` (and so one store,
one token-pool state and one set of counters) exists per distinct configuration in a
process. With ``REDIS_URL`` the store is Redis and is shared by every worker.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from .cache import MemoryStore, RedisStore, Store
from .client import Timeouts
from .service import Result, Upstream
from .settings import base_url, setting
from .tokens import TokenPool, parse_tokens

__all__ = [
    "Result",
    "TokenPool",
    "Upstream",
    "base_url",
    "forget_upstreams",
    "get_upstream",
    "github_pool",
    "setting",
]

_instances: dict[tuple, Upstream] = {}
_lock = threading.Lock()


def _identity(config: Mapping[str, Any] | None) -> tuple:
    keys = (
        "REDIS_URL",
        "REDIS_PREFIX",
        "UPSTREAM_CONNECT_TIMEOUT",
        "UPSTREAM_READ_TIMEOUT",
        "UPSTREAM_RETRIES",
        "UPSTREAM_BACKOFF",
        "UPSTREAM_FRESH_SECONDS",
        "UPSTREAM_ERROR_COOLDOWN",
        "UPSTREAM_MAX_BODY",
        "STALE_MAX_AGE",
        "UPSTREAM_USER_AGENT",
    )
    return tuple(setting(config, k) for k in keys)


def make_store(config: Mapping[str, Any] | None) -> Store:
    """A Redis store when ``REDIS_URL`` is set, else an in-process one."""
    url = setting(config, "REDIS_URL")
    if url:
        return RedisStore(url, setting(config, "REDIS_PREFIX") + "up:")
    return MemoryStore()


def get_upstream(config: Mapping[str, Any] | None) -> Upstream:
    """The process-wide ``Upstream`` for this configuration."""
    ident = _identity(config)
    up = _instances.get(ident)
    if up is None:
        with _lock:
            up = _instances.get(ident)
            if up is None:
                up = Upstream(
                    make_store(config),
                    timeouts=Timeouts(
                        connect=setting(config, "UPSTREAM_CONNECT_TIMEOUT"),
                        read=setting(config, "UPSTREAM_READ_TIMEOUT"),
                        retries=setting(config, "UPSTREAM_RETRIES"),
                        backoff=setting(config, "UPSTREAM_BACKOFF"),
                        max_body=setting(config, "UPSTREAM_MAX_BODY"),
                    ),
                    fresh_seconds=setting(config, "UPSTREAM_FRESH_SECONDS"),
                    stale_max_age=setting(config, "STALE_MAX_AGE"),
                    error_cooldown=setting(config, "UPSTREAM_ERROR_COOLDOWN"),
                    user_agent=setting(config, "UPSTREAM_USER_AGENT"),
                )
                _instances[ident] = up
    return up


def github_pool(config: Mapping[str, Any] | None) -> TokenPool:
    """The GitHub token pool from ``GITHUB_TOKEN`` / ``GITHUB_TOKENS`` (empty: anonymous)."""
    tokens = parse_tokens(setting(config, "GITHUB_TOKEN"), setting(config, "GITHUB_TOKENS"))
    return get_upstream(config).pool("github", tokens)


def forget_upstreams() -> None:
    """Drop every process-wide ``Upstream`` (stores, token-pool state, counters); the next
    ``get_upstream`` makes a new one. Tests call it when an upstream server starts: its
    loopback port may have served an earlier test, whose answers an old in-process store
    would still hold under the same URLs."""
    with _lock:
        _instances.clear()
