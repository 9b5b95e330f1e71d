"""Alembic environment for badgeapp: the target metadata is ``badgeapp.storage.models``.

Called from ``badgeapp.storage.migrate`` with an open connection in
``config.attributes["connection"]``; run by hand (``alembic -c migrations/alembic.ini``)
it connects to ``DATABASE_URL`` (or ``sqlalchemy.url`` from the ini file).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from badgeapp.storage.db import make_engine
from badgeapp.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set DATABASE_URL (or sqlalchemy.url) to run migrations by hand")
    return url


def run_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade head --sql``)."""
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run against the app's connection, or a fresh engine for ``DATABASE_URL``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.begin() as conn:
            _configure(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
