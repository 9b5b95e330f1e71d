"""The limit policy: only expensive work is counted, and an image is never refused.

Cached answers, static badges and anything else that costs no upstream call, write or heavy
render are never counted. What is counted, per client address (after ``PROXY_FIX_X_FOR``):

* ``upstream``: cold upstream fetches (``RATE_LIMIT``), charged by the upstream layer itself
  (``badgeapp.upstream.budget``), so every family that fetches inherits it;
* ``write``: uploads, invalidations (``WRITE_LIMIT``; nices and button creation keep their
  own ``NICE_LIMIT`` / ``NICE_CREATE_LIMIT``);
* ``render``: heavy renders such as layered generation and rank computations (``RENDER_LIMIT``).

A family marks expensive work with ``charge(kind)`` (raises ``RateLimitExceeded``) or the
``@expensive(kind)`` view decorator. The error goes through the one response path: a JSON client
gets 429 with ``{"error": "RateLimitExceeded", ..., "retryAfter"}`` and ``Retry-After``; an image
client gets the last good image for its URL (``X-Badge-Stale: 1``) or a ``rate limited`` badge,
both with status 200.

Limits live in Redis when ``REDIS_URL`` is set, else in ``instance/limits.db`` (SQLite, shared by
every worker of the host). If the shared store fails, counting falls back to this process's
memory: a store outage never turns into refusals.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

import badgeapp.state.sqlite_limits  # noqa: F401  registers the badgeapp-sqlite:// scheme
from badgeapp.errors import RateLimitExceeded
from badgeapp.upstream import budget

log = logging.getLogger(__name__)

#: the kinds of expensive work and the config key holding each one's limit
KINDS = {"upstream": "RATE_LIMIT", "write": "WRITE_LIMIT", "render": "RENDER_LIMIT"}
EXTENSION_KEY = "badgeapp.limits"


def storage_uri(app: Flask) -> str:
    """Where limits are counted: Redis when ``REDIS_URL`` is set, else instance/limits.db."""
    if app.config.get("REDIS_URL"):
        return str(app.config["REDIS_URL"])
    return "badgeapp-sqlite:///" + os.path.join(app.instance_path, "limits.db")


class Limits:
    """One app's counters: a moving-window limiter over the shared store, memory as fallback."""

    def __init__(self, app: Flask) -> None:
        self.config = app.config
        options: dict[str, Any] = {}
        if app.config.get("REDIS_URL"):
            options["key_prefix"] = str(app.config["REDIS_PREFIX"]) + "limits"
        self.shared = MovingWindowRateLimiter(storage_from_string(storage_uri(app), **options))
        self.local = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, kind: str, client: str, cost: int = 1) -> int:
        """Count ``cost`` units of ``kind`` for ``client``: 0 when allowed, else retry-after."""
        if not self.config.get("RATE_LIMIT_ENABLED", True):
            return 0
        item = parse(str(self.config[KINDS[kind]]))
        key = f"{kind}:{client}"
        limiter = self.shared
        try:
            allowed = limiter.hit(item, "badgeapp", key, cost=cost)
        except Exception:  # shared store away: count here, never refuse because of it
            log.warning("limits: shared store unavailable, counting in memory", exc_info=True)
            limiter = self.local
            allowed = limiter.hit(item, "badgeapp", key, cost=cost)
        if allowed:
            return 0
        try:
            reset = limiter.get_window_stats(item, "badgeapp", key).reset_time
        except Exception:
            reset = time.time() + item.get_expiry()
        return max(1, int(reset - time.time()) + 1)


def client_address() -> str:
    """The client's address (``X-Forwarded-For`` only as far as ``PROXY_FIX_X_FOR`` trusts)."""
    return request.remote_addr or "unknown"


def limits_of(app: Flask | None = None) -> Limits:
    """The app's ``Limits``."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = app.extensions.setdefault(EXTENSION_KEY, Limits(app))
    return found


def charge(kind: str, cost: int = 1) -> None:
    """Count expensive work of ``kind`` for the current client; ``RateLimitExceeded`` when over.

    Outside a request (CLI, scheduler) nothing is counted.
    """
    if not has_request_context():
        return
    retry_after = limits_of().hit(kind, client_address(), cost)
    if retry_after:
        raise RateLimitExceeded(retry_after)


def expensive(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: the view's work counts as one unit of ``kind`` before it runs."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            charge(kind)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _upstream_spender(app: Flask, client: str) -> Callable[[], int]:
    limits = limits_of(app)

    def spend() -> int:
        return limits.hit("upstream", client)

    return spend


def init_limits(app: Flask) -> None:
    """Create the app's counters and install the cold-fetch budget around each request."""
    limits_of(app)

    @app.before_request
    def _install_budget() -> None:
        g._badgeapp_budget = budget.install(_upstream_spender(app, client_address()))

    @app.teardown_request
    def _remove_budget(exc: BaseException | None) -> None:
        token = g.pop("_badgeapp_budget", None)
        if token is not None:
            try:
                budget.reset(token)
            except ValueError:  # created in another context (streamed responses)
                budget.install(None)
