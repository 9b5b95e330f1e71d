"""Stored themes served through the ``badgeapp_themes`` hook, like any plugin's themes.

The plugin registry keeps its theme list until ``generation("themes")`` changes (the store
invalidates that scope on every change). Other processes learn of a change through the
invalidation contract; as a fallback that needs nothing shared but the database, each process
also compares the stored themes' version every ``POLL_SECONDS`` on its background thread
(``badgeapp.background``) and invalidates its own copy when it moved.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any

from flask import Flask, current_app, has_app_context

from badgeapp import background
from badgeapp.badges.invalidation import invalidate, scope_of
from badgeapp.hookspecs import hookimpl
from badgeapp.storage.db import is_disposed
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
    """Invalidates ``themes`` in this process when another process changed the stored themes.

    ``check()`` compares the stored themes' version; the process's background thread calls it
    every ``interval`` seconds (registered by the first request after a fork), so no request
    ever waits for the database on its behalf.
    """

    def __init__(self, app: Flask, interval: float = POLL_SECONDS) -> None:
        self.app = app
        self.interval = interval
        self.seen: tuple[int, str] | None = None
        self.docs: dict[str, str] = {}
        self._pid: int | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Compare the version once; invalidate what changed since the last look."""
        with self._lock:
            try:
                current = store.version(self.app)
                if current == self.seen:
                    return
                docs = {d["name"]: json.dumps(d, sort_keys=True) for d in store.list_docs(self.app)}
            except Exception:  # not migrated, or the database is down: nothing to follow
                return
            if self.seen is not None:
                changed = set(docs) ^ set(self.docs)
                changed |= {n for n in docs if self.docs.get(n) not in (None, docs[n])}
                for name in changed:
                    invalidate(scope_of("theme", name))
                invalidate(store.ALL_THEMES_SCOPE)
            self.seen, self.docs = current, docs

    def _tick(self) -> bool:
        """One periodic check; ``False`` (stop) once the app's storage was disposed of."""
        if is_disposed(self.app):
            return False
        self.check()
        return True

    def __call__(self) -> None:
        """``before_request``: make sure this process's thread runs (a pid comparison)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            background.every(self.interval, self._tick, first=0)


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Follow stored-theme changes made by other workers (one query a second, off requests)."""
    app.before_request(VersionPoll(app))
