"""Alembic, driven from Python: ``upgrade(app)`` and ``current(app)`` on the app's own engine.

The migration scripts live in the top-level ``migrations/`` folder; Alembic is configured
here (no ``alembic.ini`` is needed, though ``migrations/alembic.ini`` exists for running
the ``alembic`` command by hand). The app's engine connection is handed to ``env.py``, so
an in-memory SQLite database or a PostgreSQL ``search_path`` works the same way.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from badgeapp.storage.db import get_engine

#: the folder holding env.py and versions/
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config() -> Config:
    """An Alembic ``Config`` pointing at ``migrations/``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(app: Flask | None = None, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on ``app``'s database."""
    config = alembic_config()
    with get_engine(app).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(app: Flask | None = None, revision: str = "base") -> None:
    """Revert migrations down to ``revision`` on ``app``'s database."""
    config = alembic_config()
    with get_engine(app).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current(app: Flask | None = None) -> tuple[str, ...]:
    """The revision(s) the database is at (empty before the first upgrade)."""
    with get_engine(app).connect() as connection:
        return MigrationContext.configure(connection).get_current_heads()


def heads() -> tuple[str, ...]:
    """The newest revision(s) in ``migrations/versions``."""
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_up_to_date(app: Flask | None = None) -> bool:
    """True when the database is at the newest revision."""
    return set(current(app)) == set(heads())
