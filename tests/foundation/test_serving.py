"""The app as `make run` serves it: a real gunicorn with several workers.

Checks that /health answers within 60 s and that hot reload works in every worker process.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests


@pytest.mark.slow
def test_gunicorn_serves_health(serve_gunicorn):
    server = serve_gunicorn(workers=2)
    body = requests.get(server.base_url + "/health", timeout=10).json()
    assert body["status"] in {"healthy", "degraded"}
    assert set(body["services"]) == {"cache", "database", "plugins", "github"}


@pytest.mark.slow
def test_hot_reload_reaches_every_worker(serve_gunicorn, tmp_path):
    plugins = tmp_path / "live-plugins"
    plugins.mkdir()
    server = serve_gunicorn(workers=3, BADGEAPP_PLUGINS_DIR=str(plugins))
    (plugins / "live.py").write_text('def get_metric(metric):\n    return "v1"\n')

    def names_seen() -> set[tuple[str, ...]]:
        seen = set()
        for _ in range(30):  # new connections, spread over the workers
            rows = requests.get(server.base_url + "/plugins/list", timeout=10).json()["plugins"]
            seen.add(tuple(sorted(r["name"] for r in rows if r["source"] == "file")))
        return seen

    def wait_for(expected: set[tuple[str, ...]], what: str) -> None:
        deadline = time.monotonic() + 15
        while names_seen() != expected:
            assert time.monotonic() < deadline, what
            time.sleep(0.5)

    wait_for({("live",)}, "some worker never loaded the new plugin")
    Path(plugins / "live.py").unlink()
    wait_for({()}, "some worker kept the deleted plugin")


@pytest.mark.slow
def test_make_run_migrates_and_serves_health(tmp_path):
    """`make run` (with the venv `make test` made): migrates the database, serves on PORT."""
    import os
    import signal
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    process = subprocess.Popen(
        ["make", "run"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/health", timeout=10)
                break
            except requests.RequestException:
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "make run did not answer /health within 60 s"
                time.sleep(0.3)
        assert response.status_code == 200
        assert response.json()["services"]["database"] == "operational"
        assert (tmp_path / "instance" / "badgeapp.db").exists()
        assert (tmp_path / "instance" / "secret_key").exists()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
