"""Alembic migrations: head matches the models, upgrade/downgrade work on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from badgeapp import create_app
from badgeapp.storage import db, migrate
from badgeapp.storage.models import Base

TABLES = {"api_keys", "buttons", "projects", "reports", "stored_themes", "analytics_counts"}


@pytest.fixture
def fresh_app(app_config, tmp_path):
    app_config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.db'}"
    application = create_app(app_config)
    yield application
    db.dispose(application)


@pytest.fixture
def pg_app(app_config, postgres_url):
    app_config["DATABASE_URL"] = postgres_url
    application = create_app(app_config)
    yield application
    db.dispose(application)


def _tables(application) -> set[str]:
    return set(sa.inspect(db.get_engine(application)).get_table_names()) - {"alembic_version"}


def _diff(application) -> list:
    with db.get_engine(application).connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_upgrade_creates_every_table_and_matches_the_models(fresh_app):
    assert migrate.current(fresh_app) == ()
    assert not migrate.is_up_to_date(fresh_app)
    migrate.upgrade(fresh_app)
    assert _tables(fresh_app) == TABLES
    assert migrate.current(fresh_app) == migrate.heads()
    assert _diff(fresh_app) == []


def test_upgrade_is_idempotent_and_downgrade_removes_everything(fresh_app):
    migrate.upgrade(fresh_app)
    migrate.upgrade(fresh_app)
    migrate.downgrade(fresh_app, "base")
    assert _tables(fresh_app) == set()
    assert migrate.current(fresh_app) == ()


def test_report_lookup_index_exists(fresh_app):
    migrate.upgrade(fresh_app)
    indexes = sa.inspect(db.get_engine(fresh_app)).get_indexes("reports")
    assert {"name": "ix_reports_lookup"}.items() <= indexes[0].items()
    assert indexes[0]["column_names"] == ["project_id", "kind", "branch", "created_at"]


@pytest.mark.postgres
def test_postgres_upgrade_matches_the_models_and_downgrades(pg_app):
    migrate.upgrade(pg_app)
    assert _tables(pg_app) == TABLES
    assert _diff(pg_app) == []
    columns = {c["name"]: c for c in sa.inspect(db.get_engine(pg_app)).get_columns("buttons")}
    assert isinstance(columns["count"]["type"], sa.BigInteger)
    migrate.downgrade(pg_app, "base")
    assert _tables(pg_app) == set()
