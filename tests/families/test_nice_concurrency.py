"""Counts are never lost, end to end: 1,000 concurrent nices through a real gunicorn with
three worker processes give exactly +1,000, on SQLite and on PostgreSQL, and the count
survives a restart of the server."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from badgeapp import create_app
from badgeapp.storage import buttons, db, migrate

ROOT = Path(__file__).resolve().parents[2]
NICES = 1000


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


def _check(app_config: dict, url: str, tmp_path: Path, serve_gunicorn) -> None:
    public_id = _prepare(app_config, url)
    access_log = tmp_path / "access.log"
    env = {"DATABASE_URL": url, "REDIS_URL": "", "NICE_LIMIT": "off"}
    server = serve_gunicorn(
        workers=3,
        threads=8,
        GUNICORN_CMD_ARGS=f"--access-logformat %(p)s%(U)s --access-logfile {access_log}",
        **env,
    )
    base = server.base_url
    assert _nice_concurrently(base, public_id) == Counter({200: NICES})
    assert requests.get(f"{base}/api/buttons/{public_id}", timeout=30).json()["count"] == NICES
    server.stop()
    served = Counter(
        line.split(">", 1)[0] for line in access_log.read_text().split() if line.endswith("/nice")
    )
    assert sum(served.values()) == NICES
    assert len([n for n in served.values() if n >= 50]) >= 2, f"one process did it all: {served}"
    base = serve_gunicorn(workers=3, **env).base_url  # a restarted server
    assert requests.get(f"{base}/api/buttons/{public_id}", timeout=30).json()["count"] == NICES
    badge = requests.get(f"{base}/badge/{public_id}.svg", timeout=30)
    assert badge.status_code == 200 and ">1k</text>" in badge.text


@pytest.mark.slow
def test_thousand_concurrent_nices_sqlite(app_config, tmp_path, serve_gunicorn):
    _check(app_config, f"sqlite:///{tmp_path / 'nice.db'}", tmp_path, serve_gunicorn)


@pytest.mark.slow
@pytest.mark.postgres
def test_thousand_concurrent_nices_postgres(app_config, postgres_url, tmp_path, serve_gunicorn):
    _check(app_config, postgres_url, tmp_path, serve_gunicorn)
