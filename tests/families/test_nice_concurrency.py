"""Counts are never lost, end to end: 1,000 concurrent nices through a real gunicorn with
three worker processes give exactly +1,000, on SQLite and on PostgreSQL, and the count
survives a restart of the server."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from badgeapp import create_app
from badgeapp.storage import buttons, db, migrate

ROOT = Path(__file__).resolve().parents[2]
NICES = 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A gunicorn serving badgeapp on ``database_url`` with three workers.

    Yields its base URL and the access log, which holds the worker pid of each request.
    """
    port = _free_port()
    access_log = tmp_path / f"access-{port}.log"
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "3",
        "GUNICORN_THREADS": "8",
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(tmp_path / "plugins"),
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "NICE_LIMIT": "off",
        "RATE_LIMIT": "1000000/minute",
        "GUNICORN_CMD_ARGS": f"--access-logformat %(p)s%(U)s --access-logfile {access_log}",
    }
    error_log = (tmp_path / "gunicorn.err").open("ab")  # read it when a test fails
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=error_log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/health", timeout=10)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        yield base, access_log
    finally:
        process.terminate()
        process.wait(timeout=20)
        error_log.close()


def _prepare(app_config: dict, url: str) -> str:
    """Migrate the database and create one button; return its public id."""
    application = create_app({**app_config, "DATABASE_URL": url})
    migrate.upgrade(application)
    with db.session_scope(application) as session:
        public_id = buttons.create_button(session).public_id
    db.dispose(application)
    return public_id


def _nice_concurrently(base: str, public_id: str) -> Counter:
    """POST the nices from 24 threads, one connection each (so every worker accepts some)."""

    def nice(_: int) -> int:
        response = requests.post(
            f"{base}/api/buttons/{public_id}/nice", headers={"Connection": "close"}, timeout=60
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=24) as pool:
        return Counter(pool.map(nice, range(NICES)))


def _check(app_config: dict, url: str, tmp_path: Path) -> None:
    public_id = _prepare(app_config, url)
    with gunicorn(url, tmp_path) as (base, access_log):
        assert _nice_concurrently(base, public_id) == Counter({200: NICES})
        assert requests.get(f"{base}/api/buttons/{public_id}", timeout=30).json()["count"] == NICES
    served = Counter(
        line.split(">", 1)[0] for line in access_log.read_text().split() if line.endswith("/nice")
    )
    assert sum(served.values()) == NICES
    assert len([n for n in served.values() if n >= 50]) >= 2, f"one process did it all: {served}"
    with gunicorn(url, tmp_path) as (base, _log):  # a restarted server
        assert requests.get(f"{base}/api/buttons/{public_id}", timeout=30).json()["count"] == NICES
        badge = requests.get(f"{base}/badge/{public_id}.svg", timeout=30)
        assert badge.status_code == 200 and ">1k</text>" in badge.text


@pytest.mark.slow
def test_thousand_concurrent_nices_sqlite(app_config, tmp_path):
    _check(app_config, f"sqlite:///{tmp_path / 'nice.db'}", tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_thousand_concurrent_nices_postgres(app_config, postgres_url, tmp_path):
    _check(app_config, postgres_url, tmp_path)
