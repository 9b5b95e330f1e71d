"""Counts every badge answer: one ``after_request`` hook, a few dict increments, no I/O.

A badge family is a blueprint; pages and APIs that are not badges (the dashboard, theme API,
health) are not counted. Per answer: ``render`` by family, ``badge`` by path (popular badges),
``error`` by family when the answer is an error badge or a 4xx/5xx, ``not_modified`` for 304.
The counts reach the store from the flusher's thread.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from badgeapp.analytics.flusher import Flusher
from badgeapp.analytics.recorder import Recorder
from badgeapp.analytics.store import make_store
from badgeapp.hookspecs import hookimpl
from badgeapp.http import hot_path

#: blueprints that serve pages or APIs rather than badges
NOT_BADGES = frozenset({"dashboard", "themes", "health", "docs"})
EXTENSION_KEY = "badgeapp.analytics"


def get_flusher(app: Flask | None = None) -> Flusher | None:
    """The analytics flusher of ``app`` (None when analytics is off)."""
    app = app or current_app
    return app.extensions.get(EXTENSION_KEY)


def record(recorder: Recorder, flusher: Flusher, response: Response) -> Response:
    """Count one answer (the body of the ``after_request`` hook)."""
    current = request._get_current_object()  # one proxy lookup, not one per attribute
    family = current.blueprint
    if family is None or family in NOT_BADGES:
        return response
    status = response.status_code
    current.environ[hot_path.FAMILY_KEY] = family  # the hot path counts its repeats as this
    recorder.count_answer(family, current.path, status, error="badge_error" in g)
    flusher.ensure_started()
    return response


def count_answer(app: Flask, family: str, path: str, status: int = 200) -> None:
    """Count an answer made outside Flask's request handling (a WSGI hot path serving stored
    bytes): the same counters as ``record``, no I/O."""
    flusher = get_flusher(app)
    if flusher is None:
        return
    flusher.recorder.count_answer(family, path, status)
    flusher.ensure_started()


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Count badge answers when ``ANALYTICS_ENABLED`` (the default)."""
    if not app.config.get("ANALYTICS_ENABLED", True):
        return
    recorder = Recorder(int(app.config.get("ANALYTICS_MAX_KEYS", 2000)))
    flusher = Flusher(
        app, recorder, make_store(app), float(app.config.get("ANALYTICS_FLUSH_SECONDS", 5.0))
    )
    app.extensions[EXTENSION_KEY] = flusher

    def _count_hot(family: str | None, path: str, status: int) -> None:
        if family is not None:  # answers the hot path serves before Flask count the same way
            count_answer(app, family, path, status)
            flusher.recorder.count("cache_hit", "hot_path")

    app.extensions.setdefault(hot_path.LISTENERS_KEY, []).append(_count_hot)

    def _count_drawn(family: str | None, path: str, status: int) -> None:
        if family is not None:  # answers a lane drew outside Flask count as Flask's would
            count_answer(app, family, path, status)

    app.extensions.setdefault(hot_path.DRAWN_LISTENERS_KEY, []).append(_count_drawn)

    @app.after_request
    def _count_badge(response: Response) -> Response:
        return record(recorder, flusher, response)
