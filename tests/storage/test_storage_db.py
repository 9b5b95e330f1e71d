"""The engine per app: SQLite pragmas, PostgreSQL URLs, sessions, ping, timestamps."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from badgeapp import create_app
from badgeapp.storage import buttons, db, migrate
from badgeapp.storage.models import ApiKey, Button


def test_sqlite_file_uses_wal_busy_timeout_and_foreign_keys(app):
    with db.get_engine(app).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_busy_timeout_comes_from_config(app_config):
    app_config["DATABASE_BUSY_TIMEOUT"] = 1234
    application = create_app(app_config)
    try:
        with db.get_engine(application).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    finally:
        db.dispose(application)


def test_default_database_is_a_file_in_the_instance_folder(tmp_path):
    application = create_app(
        {"INSTANCE_PATH": str(tmp_path / "inst"), "BADGEAPP_PLUGINS_DIR": str(tmp_path)}
    )
    try:
        assert db.database_url(application) == f"sqlite:///{tmp_path / 'inst' / 'badgeapp.db'}"
        migrate.upgrade(application)
        assert (tmp_path / "inst" / "badgeapp.db").is_file()
    finally:
        db.dispose(application)


def test_memory_database_is_shared_by_every_session(app_config):
    app_config["DATABASE_URL"] = "sqlite://"
    application = create_app(app_config)
    migrate.upgrade(application)
    with db.session_scope(application) as session:
        public_id = buttons.create_button(session).public_id
    with db.session_scope(application) as session:
        assert buttons.increment(session, public_id) == 1
    db.dispose(application)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_normalise_url_picks_psycopg3(given, expected):
    assert db.normalise_url(given) == expected


def test_session_scope_commits_and_rolls_back(app):
    with db.session_scope(app) as session:
        session.add(Button(public_id="kept", count=3))
    with pytest.raises(RuntimeError), db.session_scope(app) as session:
        session.add(Button(public_id="dropped"))
        session.flush()
        raise RuntimeError("boom")
    with db.session_scope(app) as session:
        ids = session.scalars(sa.select(Button.public_id)).all()
    assert ids == ["kept"]


def test_get_session_is_per_request_and_closed_at_teardown(app, monkeypatch):
    closed = []
    with app.app_context():
        monkeypatch.setattr(db.get_session(), "close", lambda: closed.append(True))
    assert closed == [True]
    with app.app_context():
        first = db.get_session()
        assert db.get_session() is first
        first.add(Button(public_id="req"))
        first.commit()
    with app.app_context():
        assert db.get_session() is not first
        assert buttons.get_count(db.get_session(), "req") == 0


def test_ping_succeeds_on_a_working_database(app):
    db.ping(app)


def test_ping_raises_when_the_database_is_unreachable(app_config):
    app_config["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2"
    application = create_app(app_config)
    with pytest.raises(sa.exc.OperationalError):
        db.ping(application)
    db.dispose(application)


def test_timestamps_come_back_timezone_aware_utc(app):
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with db.session_scope(app) as session:
        session.add(
            ApiKey(name="n", prefix="abcdef01", key_hash="0" * 64, scopes="admin", created_at=when)
        )
    with db.session_scope(app) as session:
        row = session.scalars(sa.select(ApiKey)).one()
        assert row.created_at == when
        assert row.created_at.tzinfo == dt.UTC
        assert row.created_at.hour == 1


@pytest.mark.postgres
def test_postgres_round_trip_of_keys_buttons_and_timestamps(app_config, postgres_url):
    from badgeapp.storage import apikeys

    application = create_app({**app_config, "DATABASE_URL": postgres_url})
    migrate.upgrade(application)
    db.ping(application)
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with db.session_scope(application) as session:
        row, key = apikeys.create_key(session, "pg", ["admin"])
        row.created_at = when
        public_id = buttons.create_button(session).public_id
    with db.session_scope(application) as session:
        found = apikeys.find_key(session, key)
        assert found is not None and found.created_at == when
        assert found.created_at.tzinfo == dt.UTC
        assert buttons.increment(session, public_id) == 1
        assert buttons.increment(session, "missing") is None
    db.dispose(application)
