"""The ``dockerhub`` provider: image pulls, stars and last update.

Subject: ``namespace/name`` (official images use ``library``) on ``DOCKERHUB_API_URL``.
"""

from __future__ import annotations

import re

from badgeapp.errors import InvalidParameter, NotFound
from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_TAG = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")


class DockerHubProvider(ApiProvider):
    """Repository metrics from Docker Hub."""

    name = "dockerhub"
    subject_parts = 2
    metrics = {
        "pulls": "image pulls",
        "stars": "stars",
        "last_updated": "age of the last push",
        # shields routes (docker/v, docker/image-size)
        "version": "latest version tag (?sort=semver, else the tag sharing latest's digest)",
        "image_size": "compressed size of a tag (shields.tag, default latest)",
    }
    labels = {
        "pulls": "docker pulls",
        "stars": "docker stars",
        "last_updated": "updated",
        "image_size": "image size",
    }

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

    def _tags(self, subject: tuple[str, ...], fetch: Fetcher) -> list[dict]:
        ns, name = subject
        url = fetch.url("DOCKERHUB_API_URL", f"/repositories/{ns}/{name}/tags")
        data = fetch.json(url, params={"page_size": "100"}, missing="repository not found")
        return [t for t in field(data, "results", kind=list) if isinstance(t, dict)]

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        from badgeapp.providers.github_shields import semver_key

        tags = self._tags(subject, fetch)
        names = [str(t.get("name")) for t in tags if t.get("name")]
        if not names:
            raise NotFound("no tags found")
        semver = [n for n in names if n[:1].isdigit() or n[:2] in ("v0", "v1", "v2", "v3")]
        if fetch.ctx.args.get("sort") == "semver" and semver:
            chosen = max(semver, key=semver_key)
        else:
            latest = next((t for t in tags if t.get("name") == "latest"), None)
            digest = latest.get("digest") if latest else None
            same = [str(t["name"]) for t in tags if digest and t.get("digest") == digest]
            same = [n for n in same if n != "latest"]
            chosen = same[0] if same else names[0]
        return Value(raw=chosen, display=chosen, color="blue", cache_seconds=300)

    def metric_image_size(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        ns, name = subject
        tag = str(fetch.ctx.args.get("shields.tag") or "latest")
        if not _TAG.match(tag) or tag in (".", ".."):
            raise InvalidParameter(detail="bad tag")
        url = fetch.url("DOCKERHUB_API_URL", f"/repositories/{ns}/{name}/tags/{tag}")
        data = fetch.json(url, missing="repository or tag not found")
        size = number(data, "full_size")
        return Value(raw=size, display=display.pretty_bytes(size), color="blue", cache_seconds=300)


@hookimpl
def badgeapp_providers() -> list[DockerHubProvider]:
    """Register the Docker Hub provider."""
    return [DockerHubProvider()]
