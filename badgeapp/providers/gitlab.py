"""The ``gitlab`` provider: project stars, forks, open issues and pipeline status.

Subject: ``namespace/project`` on ``GITLAB_URL`` (gitlab.com or a self-hosted instance);
the project is addressed by its URL-encoded path (``ns%2Fproj``) in the v4 API.
"""

from __future__ import annotations

from urllib.parse import quote

from badgeapp.errors import BadgeNotFound, NotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.shields import formats

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_PIPELINE = {
    "success": ("passing", "brightgreen"),
    "failed": ("failing", "red"),
    "canceled": ("canceled", "lightgrey"),
    "skipped": ("skipped", "lightgrey"),
    "running": ("running", "yellow"),
    "pending": ("pending", "yellow"),
    "created": ("created", "yellow"),
    "manual": ("manual", "yellow"),
}


class GitLabProvider(ApiProvider):
    """Project metrics from GitLab."""

    name = "gitlab"
    subject_parts = 2
    metrics = {
        "stars": "stars",
        "forks": "forks",
        "open_issues": "open issues",
        "pipeline": "latest pipeline status on the default branch (?branch=)",
        "release_version": "latest release (shields route gitlab/v/release)",
    }
    labels = {"open_issues": "open issues"}

    def check_subject(self, subject: tuple[str, ...]) -> None:
        """``namespace/project``, or a project in nested groups (``group/sub/project``)."""
        if not 2 <= len(subject) <= 10 or not all(subject):
            raise BadgeNotFound()

    def _project(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        path = quote("/".join(subject), safe="")
        data = fetch.json(
            fetch.url("GITLAB_URL", f"/api/v4/projects/{path}"), missing="project not found"
        )
        return data if isinstance(data, dict) else {}

    def metric_stars(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._project(subject, fetch), "star_count")
        return Value(raw=n, display=display.metric(n), color="blue", cache_seconds=900)

    def metric_forks(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._project(subject, fetch), "forks_count")
        return Value(raw=n, display=display.metric(n), color="blue", cache_seconds=900)

    def metric_open_issues(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._project(subject, fetch), "open_issues_count")
        return Value(raw=n, display=display.metric(n), color=display.count_color(n))

    def metric_pipeline(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        project = self._project(subject, fetch)
        branch = fetch.ctx.args.get("branch") or str(field(project, "default_branch", kind=str))
        pid = number(project, "id")
        runs = fetch.json(
            fetch.url("GITLAB_URL", f"/api/v4/projects/{pid}/pipelines"),
            params={"ref": branch, "per_page": "1"},
        )
        if not isinstance(runs, list) or not runs:
            return Value(raw=None, display="no pipelines", color="lightgrey", cache_seconds=30)
        status = str(field(runs, 0, "status", kind=str))
        text, color = _PIPELINE.get(status, (status.replace("_", " "), "lightgrey"))
        return Value(raw=status, display=text, color=color, cache_seconds=30)

    def metric_release_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        path = quote("/".join(subject), safe="")
        releases = fetch.json(
            fetch.url("GITLAB_URL", f"/api/v4/projects/{path}/releases"),
            params={"per_page": "20"},
            missing="project not found",
        )
        pre = fetch.ctx.args.get("include_prereleases") is not None
        items = releases if isinstance(releases, list) else []
        tags = [str(r["tag_name"]) for r in items if isinstance(r, dict) and r.get("tag_name")]
        if not pre:
            tags = [t for t in tags if "-" not in t] or tags
        if not tags:
            raise NotFound("no releases found")
        version = tags[0]
        return Value(
            raw=version,
            display=formats.addv(version),
            color=formats.version_color(version),
            label="release",
            cache_seconds=300,
        )


@hookimpl
def badgeapp_providers() -> list[GitLabProvider]:
    """Register the GitLab provider."""
    return [GitLabProvider()]
