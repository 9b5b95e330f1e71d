"""The ``twitter`` provider: followers of an account (X API v2).

Subject: the username. Needs ``TWITTER_BEARER_TOKEN``; without it the badge says
``improperly configured``.
"""

from __future__ import annotations

import re

from badgeapp.errors import ImproperlyConfigured, InvalidParameter, NotFound
from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, number
from .base import Value

_USER = re.compile(r"^[A-Za-z0-9_]{1,15}$")


class TwitterProvider(ApiProvider):
    """Account metrics from Twitter/X."""

    name = "twitter"
    subject_parts = 1
    metrics = {"followers": "followers"}

    def check_subject(self, subject: tuple[str, ...]) -> None:
        super().check_subject(subject)
        if not _USER.match(subject[0]):
            raise InvalidParameter(detail="bad username")

    def metric_followers(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        token = fetch.setting("TWITTER_BEARER_TOKEN")
        if not token:
            raise ImproperlyConfigured(detail="TWITTER_BEARER_TOKEN is not set")
        data = fetch.json(
            fetch.url("TWITTER_API_URL", f"/users/by/username/{subject[0]}"),
            params={"user.fields": "public_metrics"},
            headers={"Authorization": f"Bearer {token}"},
            missing="user not found",
        )
        if not isinstance(data, dict) or "data" not in data:
            raise NotFound("user not found")
        n = number(data, "data", "public_metrics", "followers_count")
        return Value(
            raw=n, display=display.metric(n), color="1da1f2", label="followers", cache_seconds=900
        )


@hookimpl
def badgeapp_providers() -> list[TwitterProvider]:
    """Register the Twitter provider."""
    return [TwitterProvider()]
