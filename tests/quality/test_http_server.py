"""Uploads over real HTTP on loopback, the way curl in CI sends them (also chunked bodies)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from badgeapp.storage import apikeys, db


@pytest.fixture
def app_config(app_config):
    return {**app_config, "QUALITY_MAX_REPORT_BYTES": 64 * 1024}


@pytest.fixture
def server(app) -> Iterator[str]:
    """The app served by a threaded WSGI server on 127.0.0.1 (a free port)."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(10)


@pytest.fixture
def auth(app) -> dict[str, str]:
    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]
    return {"Authorization": f"Bearer {key}"}


def test_ci_uploads_files_and_embeds_the_badge(server, auth, real_reports):
    url = f"{server}/api/v1/reports/acme/widgets"
    for path in (real_reports.cobertura, real_reports.junit):
        with path.open("rb") as report:
            response = requests.post(url, data=report, headers=auth, timeout=10)
        assert response.status_code == 201, response.text
    badge_url = response.json()["badges"]["tests"]
    assert badge_url == f"{server}/api/v1/badge/tests/acme/widgets"
    badge = requests.get(badge_url, timeout=10)
    assert badge.status_code == 200
    assert badge.headers["Content-Type"].startswith("image/svg+xml")
    assert 'aria-label="tests: 4 passing"' in badge.text


def test_form_upload_like_curl_F(server, auth, real_reports):
    with real_reports.lcov.open("rb") as report:
        response = requests.post(
            f"{server}/api/v1/reports/acme/widgets?branch=dev",
            files={"file": ("coverage.lcov", report, "text/plain")},
            headers=auth,
            timeout=10,
        )
    assert response.status_code == 201, response.text
    assert (response.json()["format"], response.json()["branch"]) == ("lcov", "dev")


def test_chunked_body_over_the_cap_is_413(server, auth):
    def chunks() -> Iterator[bytes]:
        yield b'{"coverage": 50'
        for _ in range(100):  # 100 KiB of padding, no Content-Length
            yield b" " * 1024
        yield b"}"

    response = requests.post(
        f"{server}/api/v1/reports/acme/widgets", data=chunks(), headers=auth, timeout=10
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "report is larger than the limit of 65536 bytes"}


def test_declared_length_over_the_cap_is_refused_before_reading(server, auth):
    response = requests.post(
        f"{server}/api/v1/reports/acme/widgets",
        data=b"x" * (64 * 1024 + 1),
        headers=auth,
        timeout=10,
    )
    assert response.status_code == 413


ROOT = Path(__file__).resolve().parents[2]


def readme_upload_script() -> str:
    """The shell lines of the README's "Upload to badgeapp" CI step (README.md once merged)."""
    for doc in (ROOT / "README.md", ROOT / "docs" / "readme" / "quality.md"):
        text = doc.read_text() if doc.exists() else ""
        if "- name: Upload to badgeapp" in text:
            step = text.split("- name: Upload to badgeapp", 1)[1].split("```", 1)[0]
            script = step.split("run: |", 1)[1]
            return textwrap.dedent(script)
    raise AssertionError("the README has no 'Upload to badgeapp' CI step")


def test_the_readme_ci_snippet_uploads(server, auth, real_reports, tmp_path):
    if shutil.which("curl") is None:
        pytest.fail("curl is needed to run the README's CI snippet")
    script = readme_upload_script().replace("https://badges.example.com", server)
    shutil.copy(real_reports.cobertura, tmp_path / "coverage.xml")
    shutil.copy(real_reports.junit, tmp_path / "junit.xml")
    env = {
        **os.environ,
        "BADGEAPP_KEY": auth["Authorization"].removeprefix("Bearer "),
        "GITHUB_REF_NAME": "main",
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [answer["format"] for answer in answers] == ["cobertura", "junit"]
    tests = requests.get(f"{server}/api/v1/badge/tests/acme/widgets?format=json", timeout=10)
    assert tests.json()["message"] == "4 passing"
    coverage = requests.get(f"{server}/api/v1/badge/coverage/acme/widgets", timeout=10)
    assert coverage.status_code == 200
