"""The ``dockerhub`` provider: image pulls, stars and last update.

Subject: ``namespace/name`` (official images use ``library``) on ``DOCKERHUB_API_URL``.
"""

from __future__ import annotations

from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value


class DockerHubProvider(ApiProvider):
    """Repository metrics from Docker Hub."""

    name = "dockerhub"
    subject_parts = 2
    metrics = {"pulls": "image pulls", "stars": "stars", "last_updated": "age of the last push"}
    labels = {"pulls": "docker pulls", "stars": "docker stars", "last_updated": "updated"}

    def _repo(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        ns, name = subject
        url = fetch.url("DOCKERHUB_API_URL", f"/repositories/{ns}/{name}/")
        data = fetch.json(url, missing="repo not found")
        return data if isinstance(data, dict) else {}

    def metric_pulls(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._repo(subject, fetch), "pull_count")
        return Value(raw=n, display=display.metric(n), color="blue", cache_seconds=900)

    def metric_stars(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._repo(subject, fetch), "star_count")
        return Value(raw=n, display=display.metric(n), color="blue", cache_seconds=900)

    def metric_last_updated(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        stamp = field(self._repo(subject, fetch), "last_updated")
        if not isinstance(stamp, str):
            return Value(raw=None, display="never", color="lightgrey")
        when = display.parse_time(stamp)
        return Value(
            raw=when.isoformat(), display=display.relative_age(when), color=display.age_color(when)
        )


@hookimpl
def badgeapp_providers() -> list[DockerHubProvider]:
    """Register the Docker Hub provider."""
    return [DockerHubProvider()]
