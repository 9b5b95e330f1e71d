"""Shared fixtures (the flaskr pattern): app, client, runner, plus real Redis and PostgreSQL.

Services that are not reachable make their tests skip with a reason locally; with ``CI`` set
they fail instead, so CI can never pass by skipping what it must prove.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, Phase, settings

from badgeapp import create_app

IN_CI = bool(os.environ.get("CI"))
ROOT = Path(__file__).resolve().parents[1]

# The fake upstream server module (tests/upstream/fake_upstream.py) is shared by every area.
sys.path.insert(0, str(Path(__file__).resolve().parent / "upstream"))
from fake_upstream import FakeUpstream, serve_fake  # noqa: E402

# No "explain" phase: on a failure it re-runs the test under a tracer, minutes on route tests,
# to annotate lines; the shrunk example is reported either way.
settings.register_profile(
    "default",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def require_service(available: bool, reason: str) -> None:
    """Skip locally, fail in CI, when a service a test needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """An SQLite file migrated to head once per session; each test gets a copy (fast)."""
    try:
        from badgeapp.storage import migrate
    except ImportError:  # storage not present
        return None
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    template_app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{path}",
        }
    )
    migrate.upgrade(template_app)
    from badgeapp.storage import db

    db.dispose(template_app)
    return path


@pytest.fixture
def app_config(tmp_path: Path, migrated_sqlite_template: Path | None) -> dict:
    """The config mapping the ``app`` fixture passes to create_app; override to customise."""
    plugins_dir = tmp_path / "plugins"
    plugins_dir.mkdir()
    database = tmp_path / "test.db"
    if migrated_sqlite_template is not None:
        shutil.copyfile(migrated_sqlite_template, database)
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(plugins_dir),
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": None,
        "RATE_LIMIT": "10000/minute",
        "WRITE_LIMIT": "10000/minute",
        "RENDER_LIMIT": "10000/minute",
    }


@pytest.fixture
def app(app_config: dict):
    application = create_app(app_config)
    yield application
    try:
        from badgeapp.storage import db
    except ImportError:
        return
    db.dispose(application)


@pytest.fixture(scope="module")
def make_module_app(tmp_path_factory: pytest.TempPathFactory):
    """Factory for an app a whole test module shares (fast): ``make_module_app(plugins={name:
    source}, **config)``. Embedded mode, rate limits off; disposed of after the module."""
    made = []

    def make(plugins: dict[str, str] | None = None, **config):
        folder = tmp_path_factory.mktemp("module-app")
        (folder / "plugins").mkdir()
        for name, source in (plugins or {}).items():
            (folder / "plugins" / f"{name}.py").write_text(source)
        application = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(folder / "instance"),
                "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
                "DATABASE_URL": f"sqlite:///{folder / 'test.db'}",
                "REDIS_URL": None,
                "RATE_LIMIT_ENABLED": False,
                **config,
            }
        )
        made.append(application)
        return application

    yield make
    try:
        from badgeapp.storage import db
    except ImportError:
        return
    for application in made:
        db.dispose(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """``redis://`` URL of the local server; keys written under ``redis_prefix`` are removed."""
    require_service(_port_open(REDIS_HOST, REDIS_PORT), f"Redis not reachable on {REDIS_PORT}")
    yield f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix unique to this test; every key under it is deleted afterwards."""
    import redis

    prefix = f"badgeapp-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=prefix + "*", count=500))
    if keys:
        client.delete(*keys)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL schema in database ``test``, dropped afterwards."""
    require_service(_port_open("127.0.0.1", 5432), "PostgreSQL not reachable on 5432")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def fake_upstream() -> Iterator[FakeUpstream]:
    """The fake upstream server: real HTTP on a free loopback port, recorded-shape JSON for
    every provider, told to fail on demand, counting requests. ``fake.config()`` gives the
    config keys that point every provider at it."""
    with serve_fake() as fake:
        yield fake


@pytest.fixture
def chromium_path() -> str:
    """Path of Debian's Chromium for Playwright (``executable_path``)."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require_service(os.path.exists(path), "Debian chromium is not installed")
    return path


#: gunicorn's start-up line naming the address it bound
LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


class GunicornServer:
    """A real ``gunicorn -c gunicorn.conf.py wsgi:app`` on a free loopback port."""

    def __init__(self, base_url: str, process: subprocess.Popen, log_path: Path):
        self.base_url = base_url
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        """What gunicorn wrote (access and error log)."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="module")
def serve_gunicorn(tmp_path_factory: pytest.TempPathFactory):
    """Factory: ``serve_gunicorn(workers=3, **env)`` starts gunicorn and waits for /health.

    Instance and plugins folders are fresh temporary folders unless ``env`` names others;
    ``server.stop()`` stops one early (to test a restart); all are stopped after the module.
    """
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    started: list[GunicornServer] = []

    def start(workers: int = 2, threads: int = 16, **env: str) -> GunicornServer:
        name = uuid.uuid4().hex[:8]
        plugins = tmp_path / f"plugins-{name}"
        plugins.mkdir()
        full_env = {
            **os.environ,
            "PORT": "0",  # gunicorn binds a free port itself: no window for another to take it
            "HOST": "127.0.0.1",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "BADGEAPP_INSTANCE_PATH": str(tmp_path / f"instance-{name}"),
            "BADGEAPP_PLUGINS_DIR": str(plugins),
            "RATE_LIMIT": "100000/minute",
            "WRITE_LIMIT": "100000/minute",
            "RENDER_LIMIT": "100000/minute",
            **{key: str(value) for key, value in env.items()},
        }
        log_path = tmp_path / f"gunicorn-{name}.log"
        log_file = log_path.open("wb")
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=full_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        log_file.close()
        server = GunicornServer("", process, log_path)
        started.append(server)
        deadline = time.monotonic() + 60
        while True:
            if not server.base_url:
                listening = LISTENING.search(server.log())
                server.base_url = listening.group(1) if listening else ""
            try:
                if server.base_url and requests.get(
                    server.base_url + "/health", timeout=10
                ).status_code in (200, 503):
                    break
            except requests.RequestException:  # not answering yet, or a busy machine
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer /health within 60 s:\n{server.log()[-3000:]}")
            time.sleep(0.2)
        return server

    yield start
    for server in started:
        server.stop()
