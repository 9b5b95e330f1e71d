"""Safe fetches cached through the upstream layer's store: fresh reuse, single-flight, stale.

``cached_fetch(url, config=..., fresh=300)`` answers a user-chosen URL the way providers'
upstream calls are answered: a fresh stored body is reused (one fetch per URL per ``fresh``
seconds, shared by every worker when the store is Redis), concurrent callers make one fetch
(threads of a process join the leader; processes take the store's lock and read its answer),
and when the URL fails (timeout, unreachable, 5xx) the last good body is returned marked stale.
Refusals (a forbidden address or scheme, an oversize body) are never served from an older
answer: they raise ``SafeFetchError`` every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Mapping
from typing import Any

from badgeapp.upstream import get_upstream, setting
from badgeapp.upstream.cache import Entry
from badgeapp.upstream.flight import FlightTimeout, LocalFlight, distributed

from .safefetch import FetchResult, SafeFetchError, safe_fetch

#: failures after which an older good answer may be served (the URL itself was acceptable)
TRANSIENT = frozenset({"timeout", "unreachable", "bad status"})

_flight = LocalFlight()


@dataclasses.dataclass(frozen=True)
class CachedFetch:
    """A fetch result plus when it was fetched and whether it is an older answer."""

    result: FetchResult
    fetched_at: float
    stale: bool = False


def cache_key(url: str, accept: str, max_bytes: int) -> str:
    """The store key of one user-chosen URL (hashed: the URL never becomes a key verbatim)."""
    raw = json.dumps(["safefetch", url, accept, max_bytes])
    return "safe:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def cached_fetch(
    url: str,
    *,
    config: Mapping[str, Any],
    fresh: float = 300,
    max_bytes: int = 64 * 1024,
    timeout: float = 5.0,
    accept: str = "application/json",
) -> CachedFetch:
    """``safe_fetch`` through the upstream store (see the module docstring)."""
    upstream = get_upstream(config)
    store = upstream.store
    key = cache_key(url, accept, max_bytes)
    entry = store.get(key)
    now = time.time()
    if entry is not None and now - entry.fetched_at < fresh:
        return CachedFetch(_result(entry), entry.fetched_at)

    def fetch() -> CachedFetch:
        try:
            result = safe_fetch(
                url, config=config, max_bytes=max_bytes, timeout=timeout, accept=accept
            )
        except SafeFetchError as exc:
            transient = exc.reason in TRANSIENT and not exc.detail.startswith("4")
            if transient and entry is not None:
                return CachedFetch(_result(entry), entry.fetched_at, stale=True)
            raise
        stored = Entry(
            status=result.status,
            body=result.body,
            headers={"content-type": result.headers.get("content-type", ""), "x-url": result.url},
            etag=None,
            last_modified=None,
            fetched_at=time.time(),
        )
        store.put(key, stored, fresh + setting(config, "STALE_MAX_AGE"))
        return CachedFetch(result, stored.fetched_at)

    def follow() -> CachedFetch:
        """Another process fetched meanwhile: use its answer, or fetch ourselves."""
        stored = store.get(key)
        if stored is not None and time.time() - stored.fetched_at < fresh:
            return CachedFetch(_result(stored), stored.fetched_at)
        return fetch()

    def shared() -> CachedFetch:
        return distributed(store, key, fetch, follow, timeout + 1.0, max_wait=timeout + 1.0)

    try:
        return _flight.run(key, shared, timeout=timeout + 1.0)
    except FlightTimeout:
        raise SafeFetchError("timeout") from None


def _result(entry: Entry) -> FetchResult:
    headers = dict(entry.headers)
    url = headers.pop("x-url", "")
    return FetchResult(url, entry.status, headers, entry.body)
