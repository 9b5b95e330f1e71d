"""Shields URLs through a real gunicorn on loopback, sent byte for byte with http.client.

The test client hands the app a tidy environ; a real server passes the request line as it
came (``RAW_URI``), which is what the static-badge parser splits before decoding. ``requests``
would re-quote ``%2D`` to ``-``, so the requests here go out unaltered through http.client.
"""

from __future__ import annotations

import http.client
import re

import defusedxml.ElementTree as SafeET
import pytest


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
def server_port(serve_gunicorn) -> int:
    return int(serve_gunicorn(workers=1).base_url.rsplit(":", 1)[1])


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
