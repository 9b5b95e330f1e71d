"""The HTTP side of the upstream layer: one pooled session, timeouts, retries, a deadline.

``http_get`` performs one logical GET (``http_request`` the same for a read-only POST such as
a GraphQL query): connect/read timeouts, up to ``retries`` retries with exponential backoff on
connection errors and 502/503/504 (the request is idempotent), and an
overall deadline so a badge request never waits longer than the read timeout plus one
retry. Bodies are read in chunks, capped in size. It raises ``UpstreamUnavailable``
when no usable answer came back; any HTTP status it did get is returned to the caller.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Mapping

import requests
from requests.adapters import HTTPAdapter

RETRY_STATUSES = frozenset({502, 503, 504})


class UpstreamUnavailable(Exception):
    """No usable answer: connection refused, timed out, 5xx after retries, body too large."""


@dataclasses.dataclass
class RawResponse:
    """One upstream HTTP answer (headers with lower-case names)."""

    status: int
    body: bytes
    headers: dict[str, str]


@dataclasses.dataclass(frozen=True)
class Timeouts:
    """Connect and read timeouts, retries and backoff for one GET."""

    connect: float = 2.0
    read: float = 5.0
    retries: int = 1
    backoff: float = 0.2
    max_body: int = 5_000_000

    @property
    def budget(self) -> float:
        """The longest one GET may take: one attempt, the backoff and one retry's read."""
        extra = (self.backoff + self.read) if self.retries else 0.0
        return self.connect + self.read + extra


_session_lock = threading.Lock()
_sessions: dict[int, requests.Session] = {}


def session() -> requests.Session:
    """The pooled session of this process (re-created after a fork, e.g. gunicorn --preload)."""
    pid = os.getpid()
    sess = _sessions.get(pid)
    if sess is None:
        with _session_lock:
            sess = _sessions.get(pid)
            if sess is None:
                sess = requests.Session()
                adapter = HTTPAdapter(pool_connections=32, pool_maxsize=64, max_retries=0)
                sess.mount("http://", adapter)
                sess.mount("https://", adapter)
                _sessions.clear()
                _sessions[pid] = sess
    return sess


def _read_body(resp: requests.Response, deadline: float, max_body: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_body:
            raise UpstreamUnavailable(f"upstream body larger than {max_body} bytes")
        if time.monotonic() > deadline:
            raise UpstreamUnavailable("upstream too slow")
        chunks.append(chunk)
    return b"".join(chunks)


def http_get(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    timeouts: Timeouts = Timeouts(),
    user_agent: str = "badgeapp",
    deadline: float | None = None,
) -> RawResponse:
    """GET ``url`` with retries and an overall deadline; raise ``UpstreamUnavailable``.

    ``deadline`` (``time.monotonic()`` seconds) can only shorten the own budget: a badge
    that needs several upstream calls shares one budget between them.
    """
    return http_request(
        "GET",
        url,
        headers=headers,
        params=params,
        timeouts=timeouts,
        user_agent=user_agent,
        deadline=deadline,
    )


def http_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeouts: Timeouts = Timeouts(),
    user_agent: str = "badgeapp",
    deadline: float | None = None,
) -> RawResponse:
    """One request (GET, or a read-only POST such as a GraphQL query) with ``http_get``'s
    timeouts, retries and deadline; only idempotent requests may be sent through it."""
    own = time.monotonic() + timeouts.budget
    deadline = own if deadline is None else min(own, deadline)
    send_headers = {"User-Agent": user_agent, "Accept": "application/json"}
    send_headers.update(headers or {})
    attempt = 0
    delay = timeouts.backoff
    last_error = "upstream unavailable"
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0.01:
            raise UpstreamUnavailable(last_error)
        connect = min(timeouts.connect, remaining)
        read = min(timeouts.read, remaining)
        retryable = False
        try:
            resp = session().request(
                method,
                url,
                headers=send_headers,
                params=params,
                data=body,
                timeout=(connect, read),
                stream=True,
                allow_redirects=False,
            )
            try:
                answer = _read_body(resp, deadline, timeouts.max_body)
            finally:
                resp.close()
            if resp.status_code in RETRY_STATUSES:
                retryable = True
                last_error = f"upstream answered {resp.status_code}"
                result = RawResponse(resp.status_code, answer, _lower(resp.headers))
            else:
                return RawResponse(resp.status_code, answer, _lower(resp.headers))
        except (requests.ConnectionError, requests.exceptions.ConnectTimeout) as exc:
            if isinstance(exc, requests.exceptions.ReadTimeout):
                raise UpstreamUnavailable("upstream timed out") from exc
            retryable = True
            last_error = f"upstream connection failed: {type(exc).__name__}"
            result = None
        except requests.Timeout as exc:
            raise UpstreamUnavailable("upstream timed out") from exc
        except requests.RequestException as exc:
            raise UpstreamUnavailable(f"upstream request failed: {type(exc).__name__}") from exc
        if not retryable or attempt >= timeouts.retries:
            if result is not None:
                return result
            raise UpstreamUnavailable(last_error)
        attempt += 1
        if time.monotonic() + delay >= deadline:
            if result is not None:
                return result
            raise UpstreamUnavailable(last_error)
        time.sleep(delay)
        delay *= 2


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}
