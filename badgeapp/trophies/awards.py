"""Which trophies a GitHub user has earned: categories, thresholds and hidden trophies (pure).

Eight categories, five tiers each (``THRESHOLDS``: the least value for Bronze, Silver, Gold,
Diamond and Legendary). A category below Bronze is shown as not yet earned. Hidden trophies
(``HIDDEN``) are shown only once earned. ``progress`` is the way from the current tier's
threshold to the next one (1.0 at Legendary).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

TIER_NAMES = ("Bronze", "Silver", "Gold", "Diamond", "Legendary")

#: category -> (title, unit, thresholds for Bronze..Legendary)
THRESHOLDS: dict[str, tuple[str, str, tuple[int, int, int, int, int]]] = {
    "stars": ("Stargazer", "stars", (10, 100, 1000, 5000, 20000)),
    "commits": ("Committer", "commits", (100, 1000, 5000, 10000, 30000)),
    "followers": ("Influencer", "followers", (10, 100, 500, 2000, 10000)),
    "pull_requests": ("Merger", "merged PRs", (10, 100, 500, 2000, 5000)),
    "issues": ("Bug Hunter", "closed issues", (10, 100, 500, 1000, 3000)),
    "reviews": ("Reviewer", "reviews", (10, 100, 500, 2000, 5000)),
    "repositories": ("Builder", "repositories", (5, 20, 50, 100, 300)),
    "account_age": ("Veteran", "years", (1, 3, 5, 10, 15)),
}

#: hidden trophies: key -> (title, description); revealed only when earned
HIDDEN: dict[str, tuple[str, str]] = {
    "og_user": ("OG User", "account created in 2010 or before"),
    "all_rounder": ("All-Rounder", "Gold or better in every category"),
    "team_player": ("Team Player", "member of 3 or more organisations"),
    "legend": ("Legend", "Legendary in any category"),
}


@dataclasses.dataclass(frozen=True)
class Trophy:
    """One trophy as drawn and as answered in JSON."""

    key: str
    title: str
    unit: str
    value: int
    tier: str | None  # None: not earned yet
    progress: float
    next_at: int | None
    hidden: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.key,
            "title": self.title,
            "tier": self.tier,
            "value": self.value,
            "unit": self.unit,
            "nextTierAt": self.next_at,
            "progress": round(self.progress, 3),
            "hidden": self.hidden,
        }


def _years_since(created_at: str | None, now: dt.datetime) -> int:
    if not created_at:
        return 0
    try:
        created = dt.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return 0
    return max(0, int((now - created).days // 365.25))


def category_values(
    totals: Mapping[str, int], created_at: str | None, owned_repositories: int, now: dt.datetime
) -> dict[str, int]:
    """The value of each category from the aggregated statistics."""
    return {
        "stars": int(totals.get("totalStars", 0)),
        "commits": int(totals.get("totalCommits", 0)),
        "followers": int(totals.get("totalFollowers", 0)),
        "pull_requests": int(totals.get("totalMergedPRs", 0)),
        "issues": int(totals.get("totalIssuesClosed", 0)),
        "reviews": int(totals.get("totalCodeReviews", 0)),
        "repositories": int(owned_repositories),
        "account_age": _years_since(created_at, now),
    }


def trophy_for(key: str, value: int) -> Trophy:
    """One category's trophy for ``value``."""
    title, unit, limits = THRESHOLDS[key]
    reached = [i for i, least in enumerate(limits) if value >= least]
    if not reached:
        return Trophy(key, title, unit, value, None, value / limits[0], limits[0])
    level = reached[-1]
    if level == len(limits) - 1:
        return Trophy(key, title, unit, value, TIER_NAMES[level], 1.0, None)
    low, high = limits[level], limits[level + 1]
    return Trophy(key, title, unit, value, TIER_NAMES[level], (value - low) / (high - low), high)


def award(
    totals: Mapping[str, int],
    *,
    created_at: str | None,
    owned_repositories: int,
    organizations: int,
    now: dt.datetime | None = None,
) -> list[Trophy]:
    """Every category's trophy, then the hidden trophies earned."""
    now = now or dt.datetime.now(dt.UTC)
    values = category_values(totals, created_at, owned_repositories, now)
    trophies = [trophy_for(key, values[key]) for key in THRESHOLDS]
    gold = TIER_NAMES.index("Gold")
    earned = {
        "og_user": bool(created_at) and created_at[:4].isdigit() and int(created_at[:4]) <= 2010,
        "all_rounder": all(t.tier and TIER_NAMES.index(t.tier) >= gold for t in trophies),
        "team_player": organizations >= 3,
        "legend": any(t.tier == "Legendary" for t in trophies),
    }
    for key, (title, description) in HIDDEN.items():
        if earned[key]:
            trophies.append(Trophy(key, title, description, 1, "Secret", 1.0, None, hidden=True))
    return trophies
