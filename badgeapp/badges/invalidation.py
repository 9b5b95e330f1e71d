"""Invalidation: the one call every family makes when what a badge shows has changed.

A *scope* names what changed, as ``<family or provider>:<subject>``:
``quality:acme/widgets``, ``github:pallets/flask``, ``nice:<button id>``, ``theme:<name>``,
``plugins`` (a plugin was reloaded) or ``*`` (everything).

``invalidate(scope)`` drops every cached answer under that scope (upstream values, rendered
badges, the hot path's stored responses) in this process, and makes every other worker and
host drop them before its next answer. ``generation(scope)`` is a number that changes whenever
``scope`` (or ``*``) is invalidated; caches fold it into their keys or compare it on read.
Listeners registered with ``on_invalidate`` run in this process for each invalidation (also for
those made by other processes, when this one notices them on its next ``generation`` call).
``depends_on(scope)`` tells the hot path that the current answer shows data of ``scope``, so its
stored copy survives invalidations of other scopes (an answer that names no scope is dropped
by any invalidation).

The counters live behind this module (``badgeapp.state.generations``): a file-backed store in
the instance folder shared by every worker of the embedded default, Redis when ``REDIS_URL`` is
set. ``configure(app)`` (called by ``create_app``) picks one per app; outside an app context the
last configured one (or a process-local one) is used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from badgeapp.state.generations import (
    FileGenerations,
    LocalGenerations,
    RedisGenerations,
)

log = logging.getLogger(__name__)

_lock = threading.Lock()
_listeners: list[Callable[[str], None]] = []
_default: Any = LocalGenerations()
EXTENSION_KEY = "badgeapp.generations"
#: WSGI environ key where ``depends_on`` records the scopes of the current answer
ENVIRON_KEY = "badgeapp.scopes"


def scope_of(family: str, *subject: str) -> str:
    """``scope_of("github", "pallets", "flask")`` -> ``"github:pallets/flask"`` (lower-cased)."""
    return f"{family}:{'/'.join(subject)}".lower() if subject else family.lower()


def configure(app: Any) -> Any:
    """Bind the app's generation store: Redis with ``REDIS_URL``, else files in instance/."""
    global _default
    from badgeapp.extensions import redis_client

    client = redis_client(app)
    if client is not None:
        backend: Any = RedisGenerations(client, str(app.config["REDIS_PREFIX"]))
    else:
        backend = FileGenerations(app.instance_path)
    app.extensions[EXTENSION_KEY] = backend
    _default = backend
    return backend


def backend() -> Any:
    """The generation store of the current app (or the process default)."""
    try:
        from flask import current_app, has_app_context

        if has_app_context():
            found = current_app.extensions.get(EXTENSION_KEY)
            if found is not None:
                return found
    except ImportError:  # pragma: no cover - flask is a dependency
        pass
    return _default


def _notify(scopes: list[str]) -> None:
    if not scopes:
        return
    with _lock:
        listeners = list(_listeners)
    for scope in scopes:
        for listener in listeners:
            try:
                listener(scope)
            except Exception:
                log.exception("invalidation listener failed on %s", scope)


def on_invalidate(listener: Callable[[str], None]) -> Callable[[str], None]:
    """Call ``listener(scope)`` on every invalidation seen by this process; returns it."""
    with _lock:
        _listeners.append(listener)
    return listener


def sync(store: Any = None) -> int:
    """Pick up other processes' invalidations (runs listeners); return the current epoch."""
    store = store or backend()
    _notify(store.sync())
    return store.epoch()


def generation(scope: str) -> int:
    """A number that changes whenever ``scope`` or ``*`` is invalidated (in any worker)."""
    store = backend()
    _notify(store.sync())
    return store.generation(scope)


def invalidate(scope: str) -> None:
    """Drop every cached answer under ``scope``, here and in every worker's next answer."""
    store = backend()
    _notify(store.sync())
    store.bump(scope)
    _notify([scope])


def depends_on(*scopes: str) -> None:
    """Record that the current request's answer shows data of ``scopes`` (for the hot path)."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover
        return
    if has_request_context():
        request.environ.setdefault(ENVIRON_KEY, set()).update(scopes)
