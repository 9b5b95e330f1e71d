"""Shields URLs through a real gunicorn on loopback, sent byte for byte with http.client.

The test client hands the app a tidy environ; a real server passes the request line as it
came (``RAW_URI``), which is what the static-badge parser splits before decoding. ``requests``
would re-quote ``%2D`` to ``-``, so the requests here go out unaltered through http.client.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("e2e")
    (folder / "plugins").mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "BADGEAPP_INSTANCE_PATH": str(folder / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
        "RATE_LIMIT": "100000/minute",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/health")[0] in (200, 503):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def _label(body: bytes) -> str:
    return SafeET.fromstring(body).get("aria-label", "")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/badge/build-passing-brightgreen", "build: passing"),
        ("/badge/a%2Db-c-green", "a-b: c"),  # an encoded dash is text
        ("/badge/a%2F%2Fb-c-green", "a//b: c"),
        ("/badge/%2Fusr-bin-blue.svg", "/usr: bin"),
        ("/badge/License-BSD_3--Clause-blue.svg", "License: BSD 3-Clause"),
        (
            "/badge/%F0%9F%A4%97%20Hugging%20Face-Models-yellow",
            "\N{HUGGING FACE} Hugging Face: Models",
        ),
        ("/static/v1?label=licence&message=MIT&color=Green", "licence: MIT"),
        ("/v2/badge/custom?label=Hello&value=World&color=blue&style=flat", "Hello: World"),
    ],
)
def test_real_server_static_badges(server_port, path, text):
    status, headers, body = _get(server_port, path)
    assert status == 200
    assert headers["Content-Type"] == "image/svg+xml;charset=utf-8"
    assert _label(body) == text
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert re.fullmatch(r'"[0-9a-f]{32}"', headers["ETag"])


@pytest.mark.slow
def test_real_server_png_json_304_and_404(server_port):
    status, headers, body = _get(server_port, "/badge/build-passing-brightgreen.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert body.startswith(b"\x89PNG")
    status, headers, body = _get(server_port, "/badge/a-b-blue.json")
    assert status == 200 and b'"schemaVersion":1' in body
    etag = _get(server_port, "/badge/a-b-blue")[1]["ETag"]
    status, headers, body = _get(server_port, "/badge/a-b-blue", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    status, headers, body = _get(server_port, "/badge/nodash")
    assert status == 404 and _label(body) == "404: badge not found"
