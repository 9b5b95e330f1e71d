"""The app as `make run` serves it: a real gunicorn with several workers.

Checks that /health answers within 60 s and that hot reload works in every worker process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path):
    port = free_port()
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "3",
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(plugins),
        "RATE_LIMIT": "100000/minute",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while time.monotonic() - started < 60:
            try:
                if requests.get(base + "/health", timeout=10).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a busy machine
                time.sleep(0.2)
        else:
            process.terminate()
            _, stderr = process.communicate(timeout=15)
            pytest.fail(f"gunicorn did not answer /health within 60 s: {stderr.decode()[-2000:]}")
        yield base, plugins
    finally:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=15)


@pytest.mark.slow
def test_gunicorn_serves_health(gunicorn_server):
    base, _ = gunicorn_server
    body = requests.get(base + "/health", timeout=5).json()
    assert body["status"] in {"healthy", "degraded"}
    assert set(body["services"]) == {"cache", "database", "plugins"}


@pytest.mark.slow
def test_hot_reload_reaches_every_worker(gunicorn_server):
    base, plugins = gunicorn_server
    (plugins / "live.py").write_text('def get_metric(metric):\n    return "v1"\n')

    def names_seen() -> set[str]:
        seen = set()
        for _ in range(30):  # spread over the workers
            rows = requests.get(base + "/plugins/list", timeout=5).json()["plugins"]
            seen.add(tuple(sorted(r["name"] for r in rows if r["source"] == "file")))
        return seen

    deadline = time.monotonic() + 15
    while names_seen() != {("live",)}:
        assert time.monotonic() < deadline, "some worker never loaded the new plugin"
        time.sleep(0.5)
    (plugins / "live.py").unlink()
    deadline = time.monotonic() + 15
    while names_seen() != {()}:
        assert time.monotonic() < deadline, "some worker kept the deleted plugin"
        time.sleep(0.5)
