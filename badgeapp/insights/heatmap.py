"""A repository's 52 weeks of commit activity for the heatmap, through the github provider.

The github provider's ``commit_weeks`` does the fetching (upstream layer, token pool or the
user's token, the 202 retry, stale answers); this module only shapes the weeks for the drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from badgeapp.badges.provider_values import context, find_provider
from badgeapp.errors import BadgeNotFound, Inaccessible
from badgeapp.providers.api import Fetcher


def commit_grid(
    owner: str, repo: str, args: Mapping[str, Any], config: Mapping[str, Any]
) -> tuple[list[tuple[int, list[int]]], bool]:
    """((week start, seven day counts) oldest first, stale); raises badge errors."""
    provider = find_provider("github")
    if not hasattr(provider, "commit_weeks"):
        raise BadgeNotFound()
    fetch = Fetcher(context(args, config))
    weeks = provider.commit_weeks((owner, repo), fetch)
    if weeks is None:
        raise Inaccessible("computing", detail="GitHub is still computing the statistics")
    grid = []
    for week in weeks:
        days = week.get("days")
        start = week.get("week")
        if isinstance(start, int) and isinstance(days, list):
            grid.append((start, [int(d) if isinstance(d, int) else 0 for d in days[:7]]))
    return grid, fetch.stale
