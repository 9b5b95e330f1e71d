"""The Flask extension objects, created once here and bound to each app in ``init_extensions``.

Embedded mode (no ``REDIS_URL``): SimpleCache per process; rate limits in an SQLite file of the
instance folder, shared by every worker of the host (``badgeapp.state.sqlite_limits``).
Scale-out mode (``REDIS_URL`` set): RedisCache and Redis-backed limits shared by every worker.

The limiter has no default limit: routes that do expensive work name their own (see
``badgeapp.badges.limits`` for the policy); cheap image routes are never limited.

Decorator order (see the reference notes): ``@limiter.limit`` must sit above ``@cache.cached``,
and ``@sock.route`` must be outermost because it returns None.
"""

from __future__ import annotations

import os

from flask import Flask
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sock import Sock

import badgeapp.state.sqlite_limits  # noqa: F401  registers the badgeapp-sqlite:// scheme
from badgeapp.state.redis_client import connect, connection_options

cache = Cache()


limiter = Limiter(
    get_remote_address,
    # no X-RateLimit-* headers on every 200: Retry-After is sent where a limit applies
    headers_enabled=False,
    # Moving window: "2/minute" means two in any 60 s, not two per clock minute (a fixed window
    # lets a client double its rate across a boundary, and makes limits flaky to test).
    strategy="moving-window",
    swallow_errors=True,  # a Redis outage must not take badges down
    in_memory_fallback_enabled=True,
)
sock = Sock()


def redis_client(app: Flask):
    """One shared ``redis.Redis`` client per app (None in embedded mode)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("badgeapp.redis")
    if client is None:
        client = connect(url)
        app.extensions["badgeapp.redis"] = client
    return client


def init_extensions(app: Flask) -> None:
    """Configure and bind cache, limiter and sock from the app's validated config."""
    redis_url = app.config["REDIS_URL"]
    prefix = app.config["REDIS_PREFIX"]
    if redis_url:
        app.config.setdefault("CACHE_TYPE", "RedisCache")
        app.config.setdefault("CACHE_REDIS_URL", redis_url)
        app.config.setdefault("CACHE_KEY_PREFIX", prefix + "cache:")
        app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url)
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"key_prefix": prefix + "limits", **connection_options()}
        )
        app.config.setdefault("CACHE_OPTIONS", connection_options())
    else:
        app.config.setdefault("CACHE_TYPE", "SimpleCache")
        app.config.setdefault("CACHE_THRESHOLD", 5000)
        app.config.setdefault(
            "RATELIMIT_STORAGE_URI",
            "badgeapp-sqlite:///" + os.path.join(app.instance_path, "limits.db"),
        )
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", app.config["CACHE_TTL"])
    app.config.setdefault("CACHE_ENABLE_SIGNALS", True)
    app.config["RATELIMIT_ENABLED"] = app.config["RATE_LIMIT_ENABLED"]
    cache.init_app(app)
    limiter.init_app(app)
    _drop_limiter_middleware(app)
    sock.init_app(app)


def _drop_limiter_middleware(app: Flask) -> None:
    """Remove flask-limiter's per-request hooks: with no default limit they only cost time.

    Routes decorated with ``@limiter.limit`` check their limits in the decorator itself (it
    calls the same check with ``in_middleware=False``), and response headers are off; so the
    app-wide ``before_request``/``after_request`` hooks never change an answer.
    """
    check = limiter._check_request_limit
    befores = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [f for f in befores if f != check]
    afters = app.after_request_funcs.get(None, [])
    app.after_request_funcs[None] = [
        f
        for f in afters
        if getattr(f, "args", None) != (limiter,)  # partial(__inject_headers)
    ]
