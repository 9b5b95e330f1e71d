"""The HTTP client: retries, timeouts and the overall deadline, against a real loopback server."""

from __future__ import annotations

import socket
import time

import pytest

from badgeapp.upstream.client import Timeouts, UpstreamUnavailable, http_get, session


def test_ok_answer_and_user_agent(fake_upstream):
    raw = http_get(f"{fake_upstream.url}/pypi-org/pypi/flask/json", user_agent="badgeapp-test/1")
    assert raw.status == 200
    assert b'"version": "3.1.0"' in raw.body
    assert raw.headers["etag"].startswith('"')
    assert fake_upstream.requests[-1]["headers"]["user-agent"] == "badgeapp-test/1"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_once(fake_upstream, status):
    fake_upstream.fail("/pypi-org/", status=status, times=1)
    raw = http_get(f"{fake_upstream.url}/pypi-org/pypi/flask/json", timeouts=Timeouts(backoff=0.01))
    assert raw.status == 200
    assert fake_upstream.count("/pypi-org/") == 2


def test_persistent_503_returns_the_last_answer_after_one_retry(fake_upstream):
    fake_upstream.fail("/pypi-org/", status=503)
    raw = http_get(f"{fake_upstream.url}/pypi-org/pypi/flask/json", timeouts=Timeouts(backoff=0.01))
    assert raw.status == 503
    assert fake_upstream.count("/pypi-org/") == 2


@pytest.mark.parametrize("status", [500, 404, 403])
def test_other_statuses_are_not_retried(fake_upstream, status):
    fake_upstream.fail("/pypi-org/", status=status)
    raw = http_get(f"{fake_upstream.url}/pypi-org/pypi/flask/json", timeouts=Timeouts(backoff=0.01))
    assert raw.status == status
    assert fake_upstream.count("/pypi-org/") == 1


def test_slow_upstream_is_bounded_by_the_read_timeout(fake_upstream):
    fake_upstream.fail("/pypi-org/", delay=3)
    timeouts = Timeouts(connect=0.5, read=0.4, retries=1, backoff=0.05)
    started = time.monotonic()
    with pytest.raises(UpstreamUnavailable, match="timed out"):
        http_get(f"{fake_upstream.url}/pypi-org/pypi/flask/json", timeouts=timeouts)
    elapsed = time.monotonic() - started
    assert elapsed < timeouts.read + timeouts.backoff + timeouts.read + 0.3
    assert elapsed < timeouts.budget


def test_connection_refused_is_retried_then_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(UpstreamUnavailable, match="connection failed"):
        http_get(f"http://127.0.0.1:{port}/x", timeouts=Timeouts(connect=0.5, backoff=0.05))
    assert time.monotonic() - started < 1.0


def test_body_size_is_capped(fake_upstream):
    with pytest.raises(UpstreamUnavailable, match="larger than"):
        http_get(f"{fake_upstream.url}/pypi-org/pypi/flask/json", timeouts=Timeouts(max_body=100))


def test_one_pooled_session_per_process():
    assert session() is session()
