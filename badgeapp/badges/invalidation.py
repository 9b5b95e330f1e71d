"""Invalidation: the one call every family makes when what a badge shows has changed.

A *scope* names what changed, as ``<family or provider>:<subject>``:
``quality:acme/widgets``, ``github:pallets/flask``, ``nice:<button id>``, ``theme:<name>``,
``plugins`` (a plugin was reloaded) or ``*`` (everything).

``invalidate(scope)`` drops every cached answer under that scope (upstream values, rendered
badges, the hot path's stored responses) in this process, and makes every other worker and
host drop them before its next answer. ``generation(scope)`` is a number that changes whenever
``scope`` (or ``*``) is invalidated; caches fold it into their keys or compare it on read.
Listeners registered with ``on_invalidate`` run in this process for each invalidation.

This module is the contract; the cross-process mechanism (shared generation counters in the
database, or Redis when ``REDIS_URL`` is set) lives behind it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_lock = threading.Lock()
_generations: dict[str, int] = {}
_listeners: list[Callable[[str], None]] = []


def scope_of(family: str, *subject: str) -> str:
    """``scope_of("github", "pallets", "flask")`` -> ``"github:pallets/flask"`` (lower-cased)."""
    return f"{family}:{'/'.join(subject)}".lower() if subject else family.lower()


def on_invalidate(listener: Callable[[str], None]) -> Callable[[str], None]:
    """Call ``listener(scope)`` on every invalidation seen by this process; returns it."""
    with _lock:
        _listeners.append(listener)
    return listener


def generation(scope: str) -> int:
    """A number that changes whenever ``scope`` or ``*`` is invalidated."""
    with _lock:
        return _generations.get(scope, 0) + _generations.get("*", 0)


def invalidate(scope: str) -> None:
    """Drop every cached answer under ``scope``, here and (soon: next request) everywhere."""
    with _lock:
        _generations[scope] = _generations.get(scope, 0) + 1
        listeners = list(_listeners)
    for listener in listeners:
        listener(scope)
