"""Stored themes served through the ``badgeapp_themes`` hook, like any plugin's themes.

The plugin registry keeps its theme list until ``generation("themes")`` changes (the store
invalidates that scope on every change). Other processes learn of a change through the
invalidation contract; as a fallback that needs nothing shared but the database, each process
also compares the stored themes' version at most once per ``POLL_SECONDS`` before a request and
invalidates its own copy when it moved.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from flask import Flask, current_app, has_app_context

from badgeapp.badges.invalidation import invalidate, scope_of
from badgeapp.hookspecs import hookimpl
from badgeapp.theming import store

log = logging.getLogger(__name__)

#: how often (seconds, per process) the stored themes' version is compared
POLL_SECONDS = 1.0


@hookimpl
def badgeapp_themes() -> list[dict[str, Any]]:
    """Themes saved in the dashboard editor, imported, or installed from a URL."""
    if not has_app_context():
        return []
    try:
        return store.list_docs(current_app._get_current_object())  # type: ignore[attr-defined]
    except Exception:  # no table yet (database not migrated) or the database is down
        log.debug("stored themes unavailable", exc_info=True)
        return []


class VersionPoll:
    """Invalidates ``themes`` in this process when another process changed the stored themes."""

    def __init__(self, app: Flask, interval: float = POLL_SECONDS) -> None:
        self.app = app
        self.interval = interval
        self.seen: tuple[int, str] | None = None
        self.docs: dict[str, str] = {}
        self.checked_at = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> None:
        now = time.monotonic()
        if now - self.checked_at < self.interval or not self._lock.acquire(blocking=False):
            return
        try:
            self.checked_at = now
            try:
                current = store.version(self.app)
            except Exception:  # not migrated, or the database is down: nothing to follow
                return
            if current != self.seen:
                docs = {d["name"]: json.dumps(d, sort_keys=True) for d in store.list_docs(self.app)}
                if self.seen is not None:
                    for name in set(docs) ^ set(self.docs) | {
                        n for n in docs if self.docs.get(n) not in (None, docs[n])
                    }:
                        invalidate(scope_of("theme", name))
                    invalidate(store.ALL_THEMES_SCOPE)
                self.seen, self.docs = current, docs
        finally:
            self._lock.release()


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Follow stored-theme changes made by other workers (at most one query a second)."""
    app.before_request(VersionPoll(app))
