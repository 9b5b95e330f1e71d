"""Answers of the rank endpoints through the one response path (``bytes_response``).

* success: the rank card SVG (drawn by ``badgeapp.render.cards.rank``) or the JSON document,
  ``Cache-Control: public, max-age=3600, s-maxage=86400`` (``private, max-age=3600`` for a
  user's token), ``X-Cache: HIT|MISS``;
* errors: the spec's ``ErrorResponse`` JSON, or for image clients an error card carrying the
  same message, both with the error's status and ``Retry-After`` when it has one;
* always: ``X-Request-ID`` (``req_`` + 12 hex, also in the body and the log line) and the
  ``X-RateLimit-Limit/Remaining/Reset`` headers of the per-IP limit.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from flask import Response, g

from badgeapp.http.badge_response import bytes_response
from badgeapp.http.render_cache import json_bytes
from badgeapp.render.cards.rank import RankCard, draw_error_card, draw_rank_card
from badgeapp.render.cards.rank_themes import CardTheme

from . import limits
from .errors import RankError
from .tiers import TIERS

log = logging.getLogger("badgeapp.rank")

#: the spec's Cache-Control for successful answers
CACHE_CONTROL = "public, max-age=3600, s-maxage=86400"
BROWSER_SECONDS = 3600
#: client errors (bad username, unknown user) may be cached briefly; 429 and 5xx never
CLIENT_ERROR_SECONDS = 300
_REQUEST_ID = re.compile(r"req_[0-9a-f]{12}")
#: card labels of the six statistics
STAT_LABELS = (
    ("Commits", "totalCommits"),
    ("PRs", "totalMergedPRs"),
    ("Reviews", "totalCodeReviews"),
    ("Issues", "totalIssuesClosed"),
    ("Stars", "totalStars"),
    ("Followers", "totalFollowers"),
)
_TIER_COLORS = {t.name: t.color for t in TIERS}


def request_id() -> str:
    """This request's id, ``req_`` + 12 hex digits (an incoming id of another shape is not used)."""
    current = g.get("request_id")
    if not isinstance(current, str) or not _REQUEST_ID.fullmatch(current):
        g.request_id = current = "req_" + secrets.token_hex(6)
    return current


def _finish(response: Response, ip: str | None, hit: bool | None) -> Response:
    response.headers["X-Request-ID"] = request_id()
    response.vary.add("Accept")  # Accept: application/json answers JSON at the same URL
    if hit is not None:
        response.headers["X-Cache"] = "HIT" if hit else "MISS"
    state = limits.status(ip) if ip is not None else None
    if state is not None:
        response.headers.update(state.headers())
    return response


def card_of(payload: dict[str, Any]) -> RankCard:
    """The card's data from a rank JSON document."""
    rank = payload["rank"]
    stats = payload["stats"]
    return RankCard(
        username=str(payload["username"]),
        tier=str(rank["tier"]),
        division=str(rank["division"]),
        tier_color=_TIER_COLORS.get(rank["tier"], "#6b6b6b"),
        elo=int(rank["elo"]),
        lp=int(rank["lp"]),
        percentile=float(rank["percentile"]),
        stats=tuple((label, int(stats.get(key) or 0)) for label, key in STAT_LABELS),
        season=payload.get("season"),
    )


def success(
    payload: dict[str, Any],
    *,
    fmt: str,
    theme: CardTheme | None,
    hit: bool,
    private: bool,
    ip: str,
) -> Response:
    """A rank card (or the JSON document) with the spec's headers."""
    if fmt == "json" or theme is None:
        body, kind = json_bytes(payload), "json"
    else:
        body, kind = draw_rank_card(card_of(payload), theme).encode(), "svg"
    response = bytes_response(
        body,
        kind,
        cache_seconds=BROWSER_SECONDS,
        cache_template=CACHE_CONTROL,
        private=private,
    )
    return _finish(response, ip, hit)


def failure(error: RankError, *, fmt: str, theme: CardTheme, ip: str | None) -> Response:
    """The catalogue's answer for ``error``: JSON body or error card, same status."""
    rid = request_id()
    log.warning("rank error %s %s [%s]", error.status, type(error).__name__, rid)
    seconds = CLIENT_ERROR_SECONDS if error.status < 429 else 0
    if fmt == "json":
        body, kind = json_bytes(error.body(rid)), "json"
    else:
        title = type(error).__name__
        suggestion = (error.details or {}).get("suggestion")
        hint = str(suggestion) if suggestion else f"Request ID: {rid}"
        svg = draw_error_card(title, error.message, error.status, theme, hint)
        body, kind = svg.encode(), "svg"
    response = bytes_response(
        body,
        kind,
        status=error.status,
        cache_seconds=seconds,
        cache_template="public, max-age={seconds}",
    )
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(int(error.retry_after))
    state = getattr(error, "limit_status", None)
    response = _finish(response, ip, None)
    if state is not None:
        response.headers.update(state.headers())
    return response
