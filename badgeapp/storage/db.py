"""One SQLAlchemy engine per Flask app, built from ``DATABASE_URL``, and sessions bound to it.

* ``get_engine(app)`` creates the engine on first use and keeps it in ``app.extensions``.
* SQLite files get WAL mode, a busy timeout (``DATABASE_BUSY_TIMEOUT`` ms) and foreign
  keys through a connect event; transactions are started explicitly so that SAVEPOINTs and
  isolation behave as documented by SQLAlchemy. ``sqlite://`` (memory) shares one connection.
* ``postgresql://`` and ``postgres://`` URLs use psycopg 3.
* ``session_scope(app)`` is the unit of work: commit on success, roll back on error.
* ``get_session()`` returns a session for the current request, closed at teardown
  (``init_app`` registers that; it runs from the ``badgeapp_startup`` hook).
* ``ping(app)`` raises when the database cannot answer ``SELECT 1`` (used by ``/health``).
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from badgeapp.hookspecs import hookimpl
from badgeapp.state.sqlite_files import use_wal

_EXTENSION_KEY = "badgeapp.storage"
#: set on an app whose engine ``dispose`` closed (until ``_storage`` makes one again)
_DISPOSED_KEY = "badgeapp.storage.disposed"
#: default busy timeout for SQLite, in milliseconds
DEFAULT_BUSY_TIMEOUT_MS = 30_000

_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
#: two threads of a fresh worker must not both build an engine for the same app
_CREATE_LOCK = threading.Lock()


def _reset_pools_after_fork() -> None:
    """A forked worker must not reuse its parent's pooled connections."""
    for engine in list(_ENGINES):
        engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_pools_after_fork)


def normalise_url(url: str) -> str:
    """Return ``url`` with a driver SQLAlchemy can use (psycopg 3 for PostgreSQL)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def default_url(app: Flask) -> str:
    """The SQLite file in the instance folder, used when ``DATABASE_URL`` is unset."""
    return f"sqlite:///{Path(app.instance_path) / 'badgeapp.db'}"


def database_url(app: Flask) -> str:
    """The configured database URL of ``app`` (normalised)."""
    return normalise_url(str(app.config.get("DATABASE_URL") or default_url(app)))


def _is_memory_sqlite(url: Any) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def make_engine(
    url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, echo: bool = False
) -> Engine:
    """Create an engine for ``url`` with the settings badgeapp relies on."""
    sa_url = make_url(normalise_url(url))
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if sa_url.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        if _is_memory_sqlite(sa_url):
            kwargs["poolclass"] = StaticPool
        elif sa_url.database:
            Path(sa_url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(sa_url, **kwargs)
    if sa_url.get_backend_name() == "sqlite":
        _configure_sqlite(engine, busy_timeout_ms, memory=_is_memory_sqlite(sa_url))
    _ENGINES.add(engine)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, *, memory: bool) -> None:
    """WAL, busy timeout, foreign keys; explicit BEGIN (SQLAlchemy's pysqlite recipe)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            if not memory:
                use_wal(cursor, wait=busy_timeout_ms / 1000)
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


class _Storage:
    """What one app keeps in ``app.extensions``: its engine and session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessionmaker = sessionmaker(bind=engine, expire_on_commit=False)


def _storage(app: Flask | None) -> _Storage:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    storage = app.extensions.get(_EXTENSION_KEY)
    if storage is not None:
        return storage
    with _CREATE_LOCK:
        storage = app.extensions.get(_EXTENSION_KEY)
        if storage is None:
            busy = int(app.config.get("DATABASE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_MS))
            engine = make_engine(
                database_url(app),
                busy_timeout_ms=busy,
                echo=bool(app.config.get("DATABASE_ECHO")),
            )
            storage = app.extensions[_EXTENSION_KEY] = _Storage(engine)
            app.extensions.pop(_DISPOSED_KEY, None)
    return storage


def get_engine(app: Flask | None = None) -> Engine:
    """The engine of ``app`` (default: the current app), created on first use."""
    return _storage(app).engine


def dispose(app: Flask | None = None) -> None:
    """Close the pooled connections of ``app``'s engine and forget it."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    storage = app.extensions.pop(_EXTENSION_KEY, None)
    if storage is not None:
        storage.engine.dispose()
        app.extensions[_DISPOSED_KEY] = True


def has_engine(app: Flask) -> bool:
    """Whether ``app``'s engine is made and not disposed of (its database is in use)."""
    return _EXTENSION_KEY in app.extensions


def is_disposed(app: Flask) -> bool:
    """Whether ``app``'s engine was disposed of and not made again since (background tasks of
    such an app stop: nothing of it is in use any more)."""
    return _DISPOSED_KEY in app.extensions


@contextlib.contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back on an exception."""
    session = _storage(app).sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_session() -> Session:
    """The session of the current request (or app context); closed when the context ends.

    The caller commits. Prefer ``session_scope`` outside request handling.
    """
    session = g.get("_badgeapp_session")
    if session is None:
        session = _storage(None).sessionmaker()
        g._badgeapp_session = session
    return session


def _close_request_session(_exc: BaseException | None = None) -> None:
    session = g.pop("_badgeapp_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Register the teardown that closes ``get_session()`` sessions (idempotent)."""
    if _close_request_session not in app.teardown_appcontext_funcs:
        app.teardown_appcontext(_close_request_session)


def ping(app: Flask | None = None) -> None:
    """Run ``SELECT 1``; raises (an SQLAlchemy error) when the database is unreachable."""
    with get_engine(app).connect() as connection:
        connection.execute(text("SELECT 1")).scalar_one()


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Bind storage to a new app: request sessions are closed at teardown."""
    init_app(app)
