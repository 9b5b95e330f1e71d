"""Abuse detection across real gunicorn workers sharing the embedded SQLite store."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.slow


def test_block_is_shared_by_every_worker(serve_gunicorn, fake_upstream):
    server = serve_gunicorn(workers=3, threads=4, ABUSE_MAX_SUBJECTS="10", **fake_upstream.config())
    statuses = []
    for i in range(11):  # a new connection each time: the requests spread over the workers
        url = f"{server.base_url}/v2/badge/github/enum{i}/repo/stars"
        statuses.append(requests.get(url, headers={"Connection": "close"}, timeout=20).status_code)
    assert statuses == [200] * 11
    refused = [
        requests.get(
            f"{server.base_url}/v2/badge/github/later{i}/repo/stars",
            headers={"Connection": "close"},
            timeout=20,
        ).status_code
        for i in range(9)
    ]
    assert refused == [429] * 9  # whichever worker answers knows the block
    warm = requests.get(f"{server.base_url}/v2/badge/github/enum3/repo/forks", timeout=20)
    assert warm.status_code == 200
    assert server.log().count("abuse: blocking 127.0.0.1") == 1
