"""Trophies of one user: parameters, the cached computation and the drawing inputs.

Statistics come from the rank service (same GraphQL queries, same 24-hour cache and the same
cold-path limits); errors of the rank catalogue become badge errors, since the trophy grid is an
image family: a missing user is ``not found``, a bad parameter ``invalid parameter``, GitHub
trouble ``inaccessible`` and a passed limit ``rate limited``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

from badgeapp.errors import BadgeError, Inaccessible, InvalidParameter, NotFound, RateLimited
from badgeapp.rank import errors as rank_errors
from badgeapp.rank.params import RankRequest, parse_username
from badgeapp.rank.service import cached_or_compute
from badgeapp.render.cards.trophies import TrophyPanel, caption

from .awards import Trophy, award

MAX_COLUMNS = 10
MAX_ROWS = 10
MAX_MARGIN = 40
DEFAULT_COLUMNS = 4
DEFAULT_MARGIN = 8


@dataclasses.dataclass(frozen=True)
class GridOptions:
    columns: int = DEFAULT_COLUMNS
    rows: int | None = None
    margin: int = DEFAULT_MARGIN


def _bounded(args: Mapping[str, str], name: str, low: int, high: int, default: int | None):
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not str(raw).isdigit() or not low <= int(raw) <= high:
        raise InvalidParameter(detail=f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def parse_grid(args: Mapping[str, str]) -> GridOptions:
    """``columns`` (1-10), ``rows`` (1-10, default: as many as needed), ``margin`` (0-40)."""
    return GridOptions(
        columns=_bounded(args, "columns", 1, MAX_COLUMNS, DEFAULT_COLUMNS),
        rows=_bounded(args, "rows", 1, MAX_ROWS, None),
        margin=_bounded(args, "margin", 0, MAX_MARGIN, DEFAULT_MARGIN),
    )


def _badge_error(error: rank_errors.RankError) -> BadgeError:
    if isinstance(error, rank_errors.UserNotFound):
        return NotFound("user not found")
    if isinstance(error, rank_errors.RateLimitExceeded):
        return RateLimited()
    if error.status == 400:
        return InvalidParameter(detail=error.message)
    return Inaccessible(detail=error.message)


def trophies_payload(username: str, ip: str, *, force: bool = False) -> tuple[dict, bool]:
    """The trophies JSON document of ``username`` and whether it was a cache hit."""

    def compute(stats) -> dict[str, Any]:
        trophies = award(
            stats.totals,
            created_at=stats.created_at,
            owned_repositories=stats.owned_repositories,
            organizations=stats.organizations,
        )
        return {
            "username": stats.login,
            "trophies": [t.to_json() for t in trophies],
            "fetchedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stats.fetched_at)),
        }

    try:
        req = RankRequest(username=parse_username(username), force=force)
        return cached_or_compute("trophies", req, ip, compute)
    except rank_errors.RankError as error:
        raise _badge_error(error) from None


def panels(payload: Mapping[str, Any]) -> list[TrophyPanel]:
    """What the grid draws for each trophy of a payload."""
    out = []
    for t in payload["trophies"]:
        text = "hidden trophy" if t["hidden"] else caption(int(t["value"]), t["unit"])
        out.append(TrophyPanel(t["title"], t["tier"], text, float(t["progress"])))
    return out


__all__ = ["GridOptions", "Trophy", "panels", "parse_grid", "trophies_payload"]
