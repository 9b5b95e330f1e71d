"""The upstream service: cached, revalidated, single-flight, stale-on-error GETs.

``Upstream.get(url, ...)`` is what providers call. Its steps:

1. a fresh cached entry (younger than ``fresh`` seconds) is returned as is;
2. otherwise one caller per resource (``flight``) revalidates: the request carries
   ``If-None-Match`` / ``If-Modified-Since`` from the cached entry, and a 304 just
   refreshes ``fetched_at`` (GitHub does not count it against the quota);
3. tokens come from a ``TokenPool``; a rate-limit answer switches token;
4. a cold fetch (not fresh in the cache) is charged to the calling client's budget
   (``budget.spend``); over budget, the last entry is served stale, or ``RateLimitExceeded``;
5. when upstream fails (connection, timeout, 5xx, all tokens exhausted) the last good
   entry is returned with ``stale=True`` up to ``STALE_MAX_AGE``; with none, the
   ``Inaccessible`` badge error is raised.

HTTP 4xx answers (404 and friends) are cached so a missing repository does not cost a call per
view; providers decide what a status means. Such negative answers are kept small and short
(``NEGATIVE_TTL_SECONDS``, bodies over ``NEGATIVE_MAX_BODY`` bytes dropped): anyone can ask for
any number of names that do not exist, and each one must not hold shared cache space for days.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from badgeapp.errors import Inaccessible, InvalidResponse, RateLimitExceeded

from . import budget
from .cache import KEPT_HEADERS, Entry, Store
from .client import RawResponse, Timeouts, UpstreamUnavailable, http_get
from .fetch_budget import FetchBudget, FetchesSpent, current_budget
from .flight import FlightTimeout, LocalFlight, distributed
from .tokens import TokenPool, is_rate_limited

#: how long an upstream 4xx answer (a missing repository, package...) is kept, at most
NEGATIVE_TTL_SECONDS = 300
#: a 4xx body larger than this is not kept (providers read the status, not the text)
NEGATIVE_MAX_BODY = 1024


@dataclasses.dataclass
class Result:
    """What a provider gets back: the (possibly cached) answer and whether it is stale."""

    status: int
    body: bytes
    headers: dict[str, str]
    fetched_at: float
    stale: bool = False

    def json(self) -> Any:
        """The body parsed as JSON; an unparsable body is an ``InvalidResponse``."""
        try:
            return json.loads(self.body or b"null")
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            raise InvalidResponse(detail="upstream sent invalid JSON") from exc


@dataclasses.dataclass
class Stats:
    """Counters for tests and ``make bench``."""

    requests: int = 0
    fresh_hits: int = 0
    upstream_calls: int = 0
    not_modified: int = 0
    stale_served: int = 0
    errors: int = 0
    over_budget: int = 0


def _entry_result(entry: Entry, stale: bool = False) -> Result:
    return Result(entry.status, entry.body, dict(entry.headers), entry.fetched_at, stale)


class Upstream:
    """Cached GETs against upstream APIs over one store (memory or Redis)."""

    def __init__(
        self,
        store: Store,
        *,
        timeouts: Timeouts | None = None,
        fresh_seconds: float = 300,
        stale_max_age: float = 7 * 86400,
        user_agent: str = "badgeapp",
        error_cooldown: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.timeouts = timeouts or Timeouts()
        self.fresh_seconds = fresh_seconds
        self.stale_max_age = stale_max_age
        self.user_agent = user_agent
        self.error_cooldown = error_cooldown
        self.clock = clock
        self.stats = Stats()
        self._flight = LocalFlight()
        self._pools: dict[tuple, TokenPool] = {}
        self._stats_lock = threading.Lock()

    # -- public -----------------------------------------------------------------
    def pool(self, scope: str, tokens: tuple[str, ...]) -> TokenPool:
        """The token pool for ``scope`` (shared state lives in the store)."""
        key = (scope, tokens)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = TokenPool(tokens, self.store, scope)
        return pool

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        pool: TokenPool | None = None,
        auth_header: Callable[[str], dict[str, str]] | None = None,
        fresh: float | None = None,
        deadline: float | None = None,
    ) -> Result:
        """GET ``url`` through the cache; see the module docstring for the rules.

        ``deadline`` (``time.monotonic()``) bounds the whole call, waiting included; a
        ``Fetcher`` passes one shared by every call a badge makes.
        """
        fresh = self.fresh_seconds if fresh is None else fresh
        key = self.cache_key(url, params, headers)
        self._count("requests")
        entry = self.store.get(key)
        if entry is not None and self.clock() - entry.fetched_at < fresh:
            self._count("fresh_hits")
            return _entry_result(entry)
        cooling = self.store.get_record("cool:" + key)
        if isinstance(cooling, dict) and self.clock() < float(cooling.get("until", 0)):
            # upstream failed for this resource moments ago: do not hammer it on every view
            return self._fallback(key, entry, str(cooling.get("reason")), record=False)
        if deadline is not None and deadline - time.monotonic() <= 0.01:
            return self._fallback(key, entry, "badge time budget spent", record=False)
        request_budget = current_budget()
        if request_budget is not None and not request_budget.take():  # a composite's cold cap
            return self._spent(key, entry, request_budget)
        retry_after = budget.spend()  # a cold fetch: charged to the client's budget
        if retry_after:
            return self._over_budget(entry, retry_after)
        lock_ttl = self.timeouts.budget + 1.0
        wait = lock_ttl + 0.5
        if deadline is not None:
            wait = min(wait, max(0.01, deadline - time.monotonic()))
        started = self.clock()

        def leader() -> Result:
            current = self.store.get(key)
            seen = entry.fetched_at if entry is not None else None
            if current is not None and (seen is None or current.fetched_at > seen):
                return _entry_result(current)  # another process refreshed it meanwhile
            if current is not None and self.clock() - current.fetched_at < fresh:
                return _entry_result(current)
            return self._refresh(key, url, params, headers, pool, auth_header, current, deadline)

        def shared() -> Result:
            return distributed(
                self.store,
                key,
                leader,
                lambda: self._follow(key, started, fresh),
                lock_ttl,
                max_wait=wait,
            )

        try:
            return self._flight.run(key, shared, timeout=wait)
        except FlightTimeout:
            return self._fallback(key, self.store.get(key), "upstream too slow", record=False)

    def expire(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bool:
        """Make a cached answer due for revalidation now (a webhook said it changed).

        The entry and its validators stay, so the next view revalidates with
        ``If-None-Match`` (a cheap 304 if nothing changed) and a failing upstream still has
        a stale value to fall back on. Returns whether there was an entry.
        """
        key = self.cache_key(url, params, headers)
        entry = self.store.get(key)
        if entry is None:
            return False
        entry.fetched_at = min(entry.fetched_at, self.clock() - self.fresh_seconds - 1)
        self.store.put(key, entry, self.stale_max_age + self.fresh_seconds)
        return True

    @staticmethod
    def cache_key(
        url: str, params: Mapping[str, str] | None, headers: Mapping[str, str] | None
    ) -> str:
        """A stable key for one resource (secrets in params are hashed, never stored)."""
        parts = [url, json.dumps(sorted((params or {}).items()))]
        parts.append(json.dumps(sorted((k.lower(), v) for k, v in (headers or {}).items())))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]

    # -- internals --------------------------------------------------------------
    def _count(self, name: str) -> None:
        with self._stats_lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def _outcome(self, key: str, **fields: Any) -> None:
        self.store.put_record("out:" + key, {"at": self.clock(), **fields}, 30)

    def _refresh(
        self,
        key: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        pool: TokenPool | None,
        auth_header: Callable[[str], dict[str, str]] | None,
        entry: Entry | None,
        deadline: float | None = None,
    ) -> Result:
        send = dict(headers or {})
        if entry is not None and entry.status == 200:
            if entry.etag:
                send["If-None-Match"] = entry.etag
            if entry.last_modified:
                send["If-Modified-Since"] = entry.last_modified
        tried: list[str] = []
        while True:
            token = None
            if pool:
                token = pool.pick(exclude=tried)
                if token is None:
                    return self._fallback(key, entry, "rate limited")
                send.update((auth_header or _token_auth)(token))
            try:
                self._count("upstream_calls")
                raw = http_get(
                    url,
                    headers=send,
                    params=params,
                    timeouts=self.timeouts,
                    user_agent=self.user_agent,
                    deadline=deadline,
                )
            except UpstreamUnavailable as exc:
                return self._fallback(key, entry, str(exc))
            if token is not None and pool is not None:
                pool.record(token, raw.headers)
            limited = is_rate_limited(raw.status, raw.headers, raw.body)
            if token is not None and pool is not None and (limited or raw.status == 401):
                pool.exhaust(token, raw.headers if limited else {"retry-after": "300"})
                tried.append(token)
                continue
            if limited:
                return self._fallback(key, entry, "rate limited", retry_at=_reset_at(raw))
            break
        return self._store_answer(key, raw, entry)

    def _store_answer(self, key: str, raw: RawResponse, entry: Entry | None) -> Result:
        now = self.clock()
        keep = self.stale_max_age + self.fresh_seconds
        if raw.status == 304 and entry is not None:
            self._count("not_modified")
            entry.fetched_at = now
            self.store.put(key, entry, keep)
            self._outcome(key, ok=True)
            return _entry_result(entry)
        if raw.status == 202:  # GitHub statistics being computed
            self._outcome(key, pending=True)
            if entry is not None and entry.status == 200:
                self._count("stale_served")
                return _entry_result(entry, stale=True)
            return Result(202, raw.body, raw.headers, now)
        if raw.status >= 500 or raw.status == 304 or raw.status in (401, 403, 407, 408):
            return self._fallback(key, entry, f"upstream answered {raw.status}")
        negative = raw.status >= 400
        if negative:  # small and short: no one can fill the store with missing names for days
            keep = min(keep, NEGATIVE_TTL_SECONDS)
        new = Entry(
            status=raw.status,
            body=raw.body if not negative or len(raw.body) <= NEGATIVE_MAX_BODY else b"",
            headers={h: raw.headers[h] for h in KEPT_HEADERS if h in raw.headers},
            etag=raw.headers.get("etag"),
            last_modified=raw.headers.get("last-modified"),
            fetched_at=now,
        )
        self.store.put(key, new, keep)
        self._outcome(key, ok=True)
        return _entry_result(new)

    def _fallback(
        self,
        key: str,
        entry: Entry | None,
        reason: str,
        record: bool = True,
        retry_at: float | None = None,
    ) -> Result:
        """Serve the last good entry as stale, or raise ``Inaccessible``.

        ``record``: this process asked upstream and failed, so tell followers and start the
        resource's cooldown (``error_cooldown`` seconds, or until ``retry_at`` for a rate limit,
        at most an hour) during which views do not call upstream again.
        """
        if record:
            self._outcome(key, error=reason)
            now = self.clock()
            until = now + self.error_cooldown
            if retry_at is not None:
                until = max(until, min(retry_at, now + 3600))
            if until > now:
                self.store.put_record(
                    "cool:" + key, {"until": until, "reason": reason}, until - now
                )
        if entry is not None and self.clock() - entry.fetched_at <= self.stale_max_age:
            self._count("stale_served")
            return _entry_result(entry, stale=True)
        self._count("errors")
        raise Inaccessible(detail=reason)

    def _spent(self, key: str, entry: Entry | None, budget: FetchBudget) -> Result:
        """The stale answer when the request's fetch budget is spent, else ``FetchesSpent``."""
        try:
            return self._fallback(key, entry, "fetch budget spent", record=False)
        except Inaccessible:
            raise FetchesSpent(
                detail=f"not fetched: this request already made {budget.limit} upstream calls"
            ) from None

    def _over_budget(self, entry: Entry | None, retry_after: int) -> Result:
        """The client spent its cold-fetch budget: the last good entry (stale), else 429."""
        self._count("over_budget")
        if entry is not None and entry.status < 500:
            self._count("stale_served")
            return _entry_result(entry, stale=True)
        raise RateLimitExceeded(retry_after)

    def _follow(self, key: str, started: float, fresh: float) -> Result:
        """What a process that lost the lock returns once the leader is done."""
        entry = self.store.get(key)
        outcome = self.store.get_record("out:" + key)
        horizon = started - self.timeouts.budget
        recent = isinstance(outcome, dict) and outcome.get("at", 0) >= horizon
        if recent and outcome.get("ok") and entry is not None:
            return _entry_result(entry)
        if entry is not None and self.clock() - entry.fetched_at < fresh:
            return _entry_result(entry)
        if recent and outcome.get("pending"):
            if entry is not None and entry.status == 200:
                return _entry_result(entry, stale=True)
            return Result(202, b"", {}, self.clock())
        reason = outcome.get("error", "upstream unavailable") if recent else "upstream too slow"
        return self._fallback(key, entry, str(reason), record=False)


def _reset_at(raw: RawResponse) -> float | None:
    """When a rate limit ends, from ``X-RateLimit-Reset`` (epoch) or ``Retry-After`` (seconds)."""
    try:
        if raw.headers.get("x-ratelimit-reset"):
            return float(raw.headers["x-ratelimit-reset"])
        if raw.headers.get("retry-after"):
            return time.time() + float(raw.headers["retry-after"])
    except ValueError:
        return None
    return None


def _token_auth(token: str) -> dict[str, str]:
    return {"Authorization": f"token {token}"}
