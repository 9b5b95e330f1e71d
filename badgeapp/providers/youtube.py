"""The ``youtube`` provider: channel subscribers and views (YouTube Data API v3).

Subject: the channel id. Needs ``YOUTUBE_API_KEY``; without it the badge says
``improperly configured``. The key is sent as a query parameter, as the API requires; it
only enters the upstream cache key hashed.
"""

from __future__ import annotations

import re

from badgeapp.errors import ImproperlyConfigured, InvalidParameter, NotFound
from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_CHANNEL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class YouTubeProvider(ApiProvider):
    """Channel metrics from YouTube."""

    name = "youtube"
    subject_parts = 1
    metrics = {"subscribers": "channel subscribers", "views": "channel views"}

    def check_subject(self, subject: tuple[str, ...]) -> None:
        super().check_subject(subject)
        if not _CHANNEL.match(subject[0]):
            raise InvalidParameter(detail="bad channel id")

    def _stats(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        key = fetch.setting("YOUTUBE_API_KEY")
        if not key:
            raise ImproperlyConfigured(detail="YOUTUBE_API_KEY is not set")
        data = fetch.json(
            fetch.url("YOUTUBE_API_URL", "/channels"),
            params={"part": "statistics", "id": subject[0], "key": key},
            missing="channel not found",
        )
        items = (
            field(data, "items", kind=list) if isinstance(data, dict) and "items" in data else []
        )
        if not items:
            raise NotFound("channel not found")
        return field(items, 0, "statistics", kind=dict)

    def metric_subscribers(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._stats(subject, fetch), "subscriberCount")
        return Value(raw=n, display=display.metric(n), color="red", cache_seconds=900)

    def metric_views(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._stats(subject, fetch), "viewCount")
        return Value(raw=n, display=display.metric(n), color="red", cache_seconds=900)


@hookimpl
def badgeapp_providers() -> list[YouTubeProvider]:
    """Register the YouTube provider."""
    return [YouTubeProvider()]
