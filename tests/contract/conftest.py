"""Fixtures for the contract tests: one app per module whose upstreams all fail fast.

Every provider URL points at a closed loopback port (``http://127.0.0.1:9``), so a provider
badge resolves to its upstream-failure badge in milliseconds. Rate limits are out of the way,
nice buttons may be created without a key, and a drop-in plugin ``echo`` draws whatever
metric name it is asked for (user text straight into a plugin value).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from badgeapp import create_app
from badgeapp.config import DEFAULTS

#: a port nothing listens on: connections are refused at once
CLOSED = "http://127.0.0.1:9"

#: every upstream base URL (an ``https://`` default ending ``_URL``): all point at CLOSED
UPSTREAM_KEYS = tuple(
    key
    for key, setting in DEFAULTS.items()
    if key.endswith("_URL") and str(setting.default or "").startswith("https://")
)

ECHO_PLUGIN = '''
"""Test plugin: the metric name is the value (user text into a plugin badge)."""


def get_metric(metric):
    return metric
'''


def contract_config(folder: Path, template: Path | None) -> dict:
    """create_app config for the contract apps (fast-failing upstreams, limits out of the way)."""
    plugins = folder / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "echo.py").write_text(ECHO_PLUGIN)
    database = folder / "contract.db"
    if template is not None:
        shutil.copyfile(template, database)
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(folder / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(plugins),
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": None,
        "RATE_LIMIT": "1000000/minute",
        "QUALITY_RATE_LIMIT": "1000000/minute",
        "WRITE_LIMIT": "1000000/minute",
        "RENDER_LIMIT": "1000000/minute",
        "NICE_LIMIT": "off",
        "NICE_CREATE_LIMIT": "1000000/minute",
        "NICE_OPEN_CREATE": True,
        "ABUSE_DETECTION": False,  # the walk reaches many owners from one address
        "LOAD_ENTRYPOINT_PLUGINS": False,
        "UPSTREAM_CONNECT_TIMEOUT": 0.2,
        "UPSTREAM_READ_TIMEOUT": 0.2,
        "UPSTREAM_RETRIES": 0,
        "UPSTREAM_BACKOFF": 0.0,
        "PLUGIN_TIMEOUT": 2.0,
        "YOUTUBE_API_KEY": "yt-key",
        "TWITTER_BEARER_TOKEN": "tw-token",
        **{key: CLOSED for key in UPSTREAM_KEYS},
    }


@pytest.fixture(scope="module")
def contract_app(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path | None
) -> Iterator[Flask]:
    app = create_app(contract_config(tmp_path_factory.mktemp("contract"), migrated_sqlite_template))
    yield app
    try:
        from badgeapp.storage import db
    except ImportError:
        return
    db.dispose(app)


@dataclasses.dataclass(frozen=True)
class Seed:
    """What exists in a contract app: a project with a coverage report, a nice button, a key."""

    org: str
    repo: str
    button: str
    admin_key: str


LCOV = b"SF:a.py\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n"


@pytest.fixture(scope="module")
def seed(contract_app: Flask) -> Seed:
    """A coverage report for acme/widgets and a nice button, made through the public API."""
    from badgeapp.storage import apikeys, db

    with db.session_scope(contract_app) as session:
        key = apikeys.create_key(session, "contract", ["admin"])[1]
    client = contract_app.test_client()
    uploaded = client.post(
        "/api/v1/reports/acme/widgets",
        data=LCOV,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/plain"},
    )
    assert uploaded.status_code == 201, uploaded.data
    created = client.post("/api/buttons")
    assert created.status_code == 201, created.data
    return Seed("acme", "widgets", created.get_json()["publicId"], key)


@pytest.fixture(scope="module")
def cclient(contract_app: Flask):
    return contract_app.test_client()


@pytest.fixture(scope="module")
def real_server(serve_gunicorn, tmp_path_factory, migrated_sqlite_template: Path | None):
    """A real gunicorn (one worker) with the contract settings (closed upstreams, no limits)."""
    folder = tmp_path_factory.mktemp("real")
    plugins = folder / "plugins"
    plugins.mkdir()
    (plugins / "echo.py").write_text(ECHO_PLUGIN)
    database = folder / "real.db"
    if migrated_sqlite_template is not None:
        shutil.copyfile(migrated_sqlite_template, database)
    env = {
        "BADGEAPP_PLUGINS_DIR": str(plugins),
        "DATABASE_URL": f"sqlite:///{database}",
        "RATE_LIMIT_ENABLED": "false",
        "NICE_LIMIT": "off",
        "UPSTREAM_CONNECT_TIMEOUT": "0.2",
        "UPSTREAM_READ_TIMEOUT": "0.2",
        "UPSTREAM_RETRIES": "0",
        **{key: CLOSED for key in UPSTREAM_KEYS},
    }
    server = serve_gunicorn(workers=1, threads=4, **env)
    return server
