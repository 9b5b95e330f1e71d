"""The gunicorn access log never holds a user's token."""

from __future__ import annotations

import time

import pytest
import requests

from badgeapp.access_log import redact


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /x?token=ghp_abc HTTP/1.1", "GET /x?token=[redacted] HTTP/1.1"),
        ("GET /x?a=1&TOKEN=s3cret&b=2", "GET /x?a=1&TOKEN=[redacted]&b=2"),
        ("GET /x?api_key=k&key=v", "GET /x?api_key=[redacted]&key=[redacted]"),
        ("GET /badge/monkey-business-green", "GET /badge/monkey-business-green"),
    ],
)
def test_redact(line, expected):
    assert redact(line) == expected


@pytest.mark.slow
def test_gunicorn_access_log_redacts_tokens(serve_gunicorn):
    server = serve_gunicorn(workers=1)
    requests.get(server.base_url + "/badge/a-b-green?token=ghp_supersecret123", timeout=10)
    deadline = time.monotonic() + 5
    while "token=[redacted]" not in server.log():
        assert time.monotonic() < deadline, server.log()[-2000:]
        time.sleep(0.1)
    assert "ghp_supersecret123" not in server.log()
