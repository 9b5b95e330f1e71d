"""The rank and stats computations with their 24-hour cache and the cold-path limits.

``rank_payload(req, ip)`` and ``stats_payload(req, ip)`` return ``(payload, hit)``: the JSON
document of the answer and whether it came from the cache. A cache hit costs nothing and is
not counted; a miss (or ``force=true``) counts against the per-IP and per-username limits
(``limits.check_cold``) before GitHub is asked; concurrent cold requests for one answer in a
process make one computation (single-flight), the others wait for it and are not counted.
Answers made with a user's own token are cached under a key holding a hash of that token,
never under the shared key. Answers about a user are dropped by
``invalidate(scope_of("rank", username))`` (or ``invalidate("*")``).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from flask import current_app

from badgeapp.badges.invalidation import generation, scope_of
from badgeapp.extensions import cache
from badgeapp.upstream.flight import FlightTimeout, LocalFlight
from badgeapp.upstream.tokens import token_id

from . import errors, limits
from .github_stats import FETCH_BUDGET, UserStats, fetch_stats
from .model import rank
from .params import RankRequest

#: bump when the cached documents change shape
CACHE_VERSION = 1
#: joins concurrent cold requests for the same answer within this process
_flight = LocalFlight()


def _iso(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cache_key(kind: str, req: RankRequest) -> str:
    """The cache key of one answer: user, season, include_orgs (and the token's hash), plus
    the invalidation generation of ``rank:<username>`` (``invalidate`` drops the answers)."""
    gen = generation(scope_of("rank", req.username))
    key = f"rank:v{CACHE_VERSION}:g{gen}:{kind}:{req.username.lower()}:{req.season or 'all'}"
    key += ":orgs" if req.include_orgs else ""
    if req.token:
        key += ":user-" + token_id(req.token)
    return key


def _lifetime() -> int:
    return int(current_app.config["RANK_CACHE_SECONDS"])


def cached_or_compute(kind: str, req: RankRequest, ip: str, compute) -> tuple[dict, bool]:
    """``compute(stats)`` for ``req`` under the cache entry of ``kind``, or the cached one.

    Shared by rank, stats and trophies: one limit policy for every cold GitHub fetch.
    """
    key = cache_key(kind, req)
    if not req.force:
        try:
            found = cache.get(key)
        except Exception:  # the cache backend is down: compute
            found = None
        if isinstance(found, dict):
            return found, True

    def cold() -> dict:
        limits.check_cold(ip, req.username)
        stats = fetch_stats(
            current_app.config,
            req.username,
            season=req.season,
            include_orgs=req.include_orgs,
            token=req.token,
            force=req.force,
        )
        payload = compute(stats)
        if not stats.stale:
            try:
                cache.set(key, payload, timeout=_lifetime())
            except Exception:
                current_app.logger.warning("rank cache unavailable", exc_info=True)
        return payload

    try:  # concurrent cold requests for one answer: one computes, the others wait for it
        return _flight.run(key, cold, timeout=FETCH_BUDGET + 5), False
    except FlightTimeout:
        raise errors.GitHubAPIError(
            "GitHub is slow to answer. Please retry in a moment.",
            details={"reason": "timed out waiting for the statistics"},
        ) from None


def _rank_document(req: RankRequest, stats: UserStats) -> dict[str, Any]:
    result = rank(stats.totals, season=req.season is not None)
    now = time.time()
    return {
        "username": stats.login,
        "rank": result.to_json(),
        "stats": stats.aggregated(),
        "season": req.season,
        "includeOrgs": req.include_orgs,
        "stale": stats.stale,
        "calculatedAt": _iso(now),
        "cacheExpires": _iso(now + _lifetime()),
    }


def _stats_document(req: RankRequest, stats: UserStats) -> dict[str, Any]:
    return {
        "username": stats.login,
        "stats": stats.aggregated(),
        "yearlyBreakdown": [y.to_json() for y in stats.yearly],
        "season": req.season,
        "repositoriesCounted": stats.repositories,
        "stale": stats.stale,
        "fetchedAt": _iso(stats.fetched_at),
    }


def rank_payload(req: RankRequest, ip: str) -> tuple[dict, bool]:
    """The ``/rank`` JSON document and whether it was a cache hit."""
    return cached_or_compute("rank", req, ip, lambda stats: _rank_document(req, stats))


def stats_payload(req: RankRequest, ip: str) -> tuple[dict, bool]:
    """The ``/stats`` JSON document and whether it was a cache hit."""
    return cached_or_compute("stats", req, ip, lambda stats: _stats_document(req, stats))
