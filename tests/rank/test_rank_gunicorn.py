"""The rank card served by real gunicorn workers: headers, a user's token kept out of the log."""

from __future__ import annotations

import re

import pytest
import requests
from fake_github import service_tokens

pytestmark = pytest.mark.slow

TOKEN = "ghp_" + "g" * 36


def test_rank_under_gunicorn(serve_gunicorn, fake_github):
    server = serve_gunicorn(
        workers=2,
        GITHUB_TOKENS=",".join(service_tokens()),
        **fake_github.config(),
    )
    card = requests.get(server.base_url + "/rank/midway", timeout=30)
    assert card.status_code == 200
    assert card.headers["Content-Type"].startswith("image/svg+xml")
    assert card.headers["Cache-Control"] == "public, max-age=3600, s-maxage=86400"
    assert re.fullmatch(r"req_[0-9a-f]{12}", card.headers["X-Request-ID"])
    assert card.headers["X-RateLimit-Limit"] == "100"
    mine = requests.get(server.base_url + f"/rank/midway?format=json&token={TOKEN}", timeout=30)
    assert mine.status_code == 200
    assert mine.headers["Cache-Control"].startswith("private")
    missing = requests.get(server.base_url + "/rank/nobody-here?format=json", timeout=30)
    assert missing.status_code == 404
    rid = missing.json()["requestId"]
    log = server.log()
    assert TOKEN not in log
    assert "token=[redacted]" in log
    assert rid in log  # the error's log line carries its request id
