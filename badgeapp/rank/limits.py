"""The rank spec's limits: per client IP (100/hour) and per username (10/hour), cold work only.

Only a request that goes to GitHub (a cache miss, or ``force=true``) is counted; cache hits
are not. Counting is done with flask-limiter's storage (``limiter.limiter``, the same
moving-window strategy and the same backend, memory or Redis, as every other limit), so the
serving layer's general limit policy can take this module over as one more "cold fetch" rule.

``check_cold(ip, username)`` counts one cold request against both limits and raises the spec's
``RateLimitExceeded`` when either is passed; ``status(ip)`` gives the numbers for the
``X-RateLimit-Limit/Remaining/Reset`` headers without counting anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time

from flask import current_app
from limits import RateLimitItem, parse

from badgeapp.extensions import limiter

from .errors import RateLimitExceeded


@dataclasses.dataclass(frozen=True)
class LimitStatus:
    """One limit's state: the limit, what is left and when the window resets (epoch)."""

    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


def _enabled() -> bool:
    return bool(current_app.config.get("RATE_LIMIT_ENABLED", True))


def _items() -> tuple[RateLimitItem, RateLimitItem]:
    return (
        parse(current_app.config["RANK_RATE_LIMIT_IP"]),
        parse(current_app.config["RANK_RATE_LIMIT_USERNAME"]),
    )


def _status(item: RateLimitItem, *ids: str) -> LimitStatus:
    try:
        stats = limiter.limiter.get_window_stats(item, *ids)
        reset, remaining = math.ceil(stats.reset_time), int(stats.remaining)
    except Exception:  # storage down: report a full window rather than fail the answer
        reset, remaining = int(time.time()) + item.get_expiry(), item.amount
    return LimitStatus(item.amount, max(0, remaining), reset)


def status(ip: str) -> LimitStatus | None:
    """The per-IP limit as it stands (headers on every answer); None when limits are off."""
    if not _enabled():
        return None
    return _status(_items()[0], "rank-ip", ip)


def _exceeded(state: LimitStatus, scope: str, window: int) -> RateLimitExceeded:
    wait = max(1, min(window, math.ceil(state.reset - time.time())))
    minutes = max(1, math.ceil(wait / 60))
    reset_at = dt.datetime.fromtimestamp(state.reset, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    error = RateLimitExceeded(
        f"You have exceeded the rate limit. Please wait {minutes} minutes before making "
        "more requests.",
        details={
            "limit": state.limit,
            "remaining": 0,
            "resetAt": reset_at,
            "scope": scope,
        },
        retry_after=wait,
    )
    error.limit_status = state  # type: ignore[attr-defined]
    return error


def check_cold(ip: str, username: str) -> LimitStatus | None:
    """Count one cold request for ``ip`` and ``username``; raise ``RateLimitExceeded``.

    The username limit is case-insensitive (GitHub logins are). Returns the per-IP status
    after counting (None when limits are off).
    """
    if not _enabled():
        return None
    ip_item, user_item = _items()
    user_ids = ("rank-user", username.lower())
    try:
        strategy = limiter.limiter
        if not strategy.test(ip_item, "rank-ip", ip):
            raise _exceeded(_status(ip_item, "rank-ip", ip), "ip", ip_item.get_expiry())
        if not strategy.test(user_item, *user_ids):
            raise _exceeded(_status(user_item, *user_ids), "username", user_item.get_expiry())
        strategy.hit(ip_item, "rank-ip", ip)
        strategy.hit(user_item, *user_ids)
    except RateLimitExceeded:
        raise
    except Exception:  # the limit storage is down: serve rather than refuse
        current_app.logger.warning("rank limits unavailable", exc_info=True)
        return None
    return _status(ip_item, "rank-ip", ip)
