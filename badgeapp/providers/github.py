"""The ``github`` provider: repository metrics from the GitHub REST API.

Subject: ``owner/repo``. Every call goes through the upstream layer (conditional
requests, token pool from ``GITHUB_TOKEN`` / ``GITHUB_TOKENS``, stale-on-error); the
base URL is ``GITHUB_API_URL`` so GitHub Enterprise and the test fake work. A user's own
token (``?token=`` or ``Authorization: Bearer``) replaces the pool for that request; its
answers are cached under a key that includes the token (hashed), so nobody else reads them.

``activity_rank`` is a documented score over recent activity, in the spirit of
github-readme-stats' rank (weighted CDFs against medians; see ``activity_rank``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from badgeapp.errors import InvalidParameter, NotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.upstream import base_url, get_upstream, github_pool

from . import display
from . import github_insights as insights
from .api import ApiProvider, Fetcher, field, number
from .base import Value
from .github_shields import SHIELDS_LABELS, GitHubShieldsMetrics

GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_BRANCH = re.compile(r"^[A-Za-z0-9_./-]{1,200}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")

#: (level, highest percentile of that level); lower percentile is better
RANK_LEVELS = (
    ("S", 1),
    ("A+", 12.5),
    ("A", 25),
    ("A-", 37.5),
    ("B+", 50),
    ("B", 62.5),
    ("B-", 75),
    ("C+", 87.5),
    ("C", 100),
)
RANK_COLORS = {
    "S": "brightgreen",
    "A+": "brightgreen",
    "A": "green",
    "A-": "green",
    "B+": "yellowgreen",
    "B": "yellowgreen",
    "B-": "yellow",
    "C+": "orange",
    "C": "red",
}


def activity_rank(commits_12w: int, stars: int, forks: int, days_since_push: float) -> float:
    """The activity percentile (0 best .. 100): 100 * (1 - weighted mean of four scores).

    * commits in the last 12 weeks: ``1 - 2**(-c/50)``, weight 3
    * stars: ``x/(1+x)`` with ``x = stars/100``, weight 2
    * forks: ``x/(1+x)`` with ``x = forks/20``, weight 1
    * recency: ``2**(-days since last push / 30)``, weight 2
    """

    def expo(x: float) -> float:
        return 1 - 2 ** (-x)

    def lognormal(x: float) -> float:
        return x / (1 + x)

    score = (
        3 * expo(commits_12w / 50)
        + 2 * lognormal(stars / 100)
        + 1 * lognormal(forks / 20)
        + 2 * 2 ** (-max(0.0, days_since_push) / 30)
    ) / 8
    return round(100 * (1 - score), 1)


def rank_level(percentile: float) -> str:
    """The letter of a percentile: the first level whose bound it does not exceed."""
    for level, bound in RANK_LEVELS:
        if percentile <= bound:
            return level
    return "C"


def last_page(link: str | None) -> int | None:
    """The page number of ``rel="last"`` in a Link header, if any."""
    if not link:
        return None
    for part in link.split(","):
        if 'rel="last"' in part:
            url = part.split(";")[0].strip().strip("<>")
            pages = parse_qs(urlparse(url).query).get("page")
            if pages and pages[0].isdigit():
                return int(pages[0])
    return None


_CONCLUSIONS = {
    "success": ("passing", "brightgreen"),
    "failure": ("failing", "red"),
    "timed_out": ("timed out", "red"),
    "startup_failure": ("failing", "red"),
    "cancelled": ("cancelled", "lightgrey"),
    "skipped": ("skipped", "lightgrey"),
    "neutral": ("neutral", "lightgrey"),
    "stale": ("stale", "lightgrey"),
    "action_required": ("action required", "yellow"),
}


class GitHubProvider(GitHubShieldsMetrics, ApiProvider):
    """Repository metrics from GitHub (plus the shields routes' metrics, see github_shields)."""

    name = "github"
    subject_parts = 2
    metrics = {
        "stars": "stargazers",
        "forks": "forks",
        "watchers": "watchers (subscribers_count, not watchers_count)",
        "open_issues": "open issues, pull requests excluded",
        "open_prs": "open pull requests",
        "last_commit": "age of the latest commit (?branch=)",
        "contributors": "contributors, anonymous included",
        "size": "repository size",
        "release": "latest release tag",
        "license": "licence SPDX id",
        "ci_status": "latest Actions run on the default branch (?workflow=, ?branch=)",
        "commit_frequency": "mean commits per week over the last 52 weeks",
        "activity_rank": "activity rank S..C over recent commits, stars, forks, last push",
        "commit_velocity": "commits per week (last 4 weeks), trend arrow, 12-week sparkline",
        "issue_resolution": "median time to close an issue over the last 90 days",
        **GitHubShieldsMetrics.shields_metrics,
    }
    labels = {
        "open_issues": "open issues",
        "open_prs": "open PRs",
        "last_commit": "last commit",
        "size": "repo size",
        "ci_status": "build",
        "commit_frequency": "commit activity",
        "activity_rank": "activity rank",
        "commit_velocity": "commit velocity",
        "issue_resolution": "issue resolution",
        **SHIELDS_LABELS,
    }

    def check_subject(self, subject: tuple[str, ...]) -> None:
        super().check_subject(subject)
        if not all(_NAME.match(part) for part in subject):
            raise InvalidParameter(detail="bad owner or repository name")

    # -- fetch helpers ----------------------------------------------------------
    def _get(self, fetch: Fetcher, path: str, **kwargs: Any):
        user_token = fetch.ctx.args.get("token")
        if user_token:  # the user's own token: only for this user, never the server's pool
            if not _TOKEN.match(str(user_token)):
                raise InvalidParameter(detail="bad token")
            return fetch.get(
                fetch.url("GITHUB_API_URL", path),
                headers={**GITHUB_HEADERS, "Authorization": f"Bearer {user_token}"},
                **kwargs,
            )
        return fetch.get(
            fetch.url("GITHUB_API_URL", path),
            headers=GITHUB_HEADERS,
            pool=github_pool(fetch.config),
            auth_header=lambda token: {"Authorization": f"Bearer {token}"},
            **kwargs,
        )

    def _repo(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        owner, repo = subject
        data = self._get(fetch, f"/repos/{owner}/{repo}", missing="repo not found").json()
        if not isinstance(data, dict):
            raise NotFound("repo not found")
        return data

    def _branch(self, subject: tuple[str, ...], fetch: Fetcher) -> str:
        branch = fetch.ctx.args.get("branch")
        if branch:
            if not _BRANCH.match(branch):
                raise InvalidParameter(detail="bad branch")
            return branch
        return str(field(self._repo(subject, fetch), "default_branch", kind=str))

    def _count_list(self, fetch: Fetcher, path: str, params: dict[str, str]) -> int:
        result = self._get(fetch, path, params=params, ok=(200, 204), missing="repo not found")
        if result.status == 204:
            return 0
        pages = last_page(result.headers.get("link"))
        if pages is not None:
            return pages
        body = result.json()
        return len(body) if isinstance(body, list) else 0

    def _open_prs(self, subject: tuple[str, ...], fetch: Fetcher) -> int:
        owner, repo = subject
        return self._count_list(
            fetch, f"/repos/{owner}/{repo}/pulls", {"state": "open", "per_page": "1"}
        )

    def _weeks(self, subject: tuple[str, ...], fetch: Fetcher) -> list[dict] | None:
        """The 52 weeks of commit activity; None while GitHub is still computing them (202).

        A 202 is asked again after ``STATS_RETRY_DELAYS`` pauses, within the badge's budget;
        once an answer was had, the upstream layer serves it (stale) during later 202s.
        """
        owner, repo = subject
        path = f"/repos/{owner}/{repo}/stats/commit_activity"
        result = self._get(fetch, path, ok=(200, 202, 204))
        for pause in insights.STATS_RETRY_DELAYS:
            if result.status != 202 or time.monotonic() + pause >= fetch.deadline - 0.5:
                break
            time.sleep(pause)
            result = self._get(fetch, path, ok=(200, 202, 204))
        if result.status in (202, 204):
            return None if result.status == 202 else []
        weeks = result.json()
        if not isinstance(weeks, list):
            return []
        return [w for w in weeks if isinstance(w, dict)]

    def commit_weeks(self, subject: tuple[str, ...], fetch: Fetcher) -> list[dict] | None:
        """The 52 weeks of commit activity (``days``: Sunday..Saturday), for the heatmap."""
        self.check_subject(subject)
        return self._weeks(subject, fetch)

    # -- metrics ----------------------------------------------------------------
    def _social(self, subject: tuple[str, ...], fetch: Fetcher, key: str) -> Value:
        n = number(self._repo(subject, fetch), key)
        return Value(raw=n, display=display.metric(n), color="blue", cache_seconds=900)

    def metric_stars(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._social(subject, fetch, "stargazers_count")

    def metric_forks(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._social(subject, fetch, "forks_count")

    def metric_watchers(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._social(subject, fetch, "subscribers_count")

    def metric_open_issues(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        both = number(self._repo(subject, fetch), "open_issues_count")
        n = max(0, both - self._open_prs(subject, fetch))
        return Value(raw=n, display=display.metric(n), color=display.count_color(n))

    def metric_open_prs(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = self._open_prs(subject, fetch)
        return Value(raw=n, display=display.metric(n), color=display.count_color(n))

    def metric_last_commit(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, repo = subject
        params = {"per_page": "1"}
        if fetch.ctx.args.get("branch"):
            params["sha"] = self._branch(subject, fetch)
        result = self._get(fetch, f"/repos/{owner}/{repo}/commits", params=params, ok=(200, 409))
        commits = result.json() if result.status == 200 else []
        if not commits:
            return Value(raw=None, display="no commits", color="lightgrey")
        when = display.parse_time(field(commits, 0, "commit", "committer", "date", kind=str))
        return Value(
            raw=when.isoformat(),
            display=display.relative_age(when),
            color=display.age_color(when),
            cache_seconds=300,
        )

    def metric_contributors(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, repo = subject
        n = self._count_list(
            fetch, f"/repos/{owner}/{repo}/contributors", {"per_page": "1", "anon": "1"}
        )
        return Value(raw=n, display=display.metric(n), color="brightgreen" if n else "lightgrey")

    def metric_size(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        kib = number(self._repo(subject, fetch), "size")
        return Value(raw=kib * 1024, display=display.pretty_bytes(kib * 1024), color="blue")

    def metric_release(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, repo = subject
        result = self._get(fetch, f"/repos/{owner}/{repo}/releases/latest", ok=(200, 404))
        if result.status == 404:
            self._repo(subject, fetch)  # a missing repo says so; a repo without releases:
            return Value(raw=None, display="no releases", color="lightgrey", cache_seconds=300)
        tag = str(field(result.json(), "tag_name", kind=str))
        return display.version_value(tag)

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        lic = self._repo(subject, fetch).get("license")
        if not isinstance(lic, dict):
            return Value(raw=None, display="not specified", color="lightgrey", cache_seconds=3600)
        spdx = lic.get("spdx_id")
        if not isinstance(spdx, str) or spdx == "NOASSERTION":
            return Value(raw=spdx, display="other", color="lightgrey", cache_seconds=3600)
        return display.license_value(spdx)

    def metric_ci_status(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, repo = subject
        branch = self._branch(subject, fetch)
        workflow = fetch.ctx.args.get("workflow")
        if workflow:
            if not _NAME.match(workflow):
                raise InvalidParameter(detail="bad workflow")
            path = f"/repos/{owner}/{repo}/actions/workflows/{quote(workflow)}/runs"
        else:
            path = f"/repos/{owner}/{repo}/actions/runs"
        data = self._get(
            fetch, path, params={"branch": branch, "per_page": "1"}, missing="workflow not found"
        ).json()
        runs = field(data, "workflow_runs", kind=list)
        if not runs:
            return Value(raw=None, display="no runs", color="lightgrey", cache_seconds=30)
        run = runs[0]
        status = field(run, "status", kind=str)
        if status != "completed":
            text = "in progress" if status == "in_progress" else status.replace("_", " ")
            return Value(raw=status, display=text, color="yellow", cache_seconds=30)
        conclusion = str(run.get("conclusion") or "unknown")
        text, color = _CONCLUSIONS.get(conclusion, (conclusion.replace("_", " "), "lightgrey"))
        return Value(raw=conclusion, display=text, color=color, cache_seconds=30)

    def metric_commit_frequency(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        weeks = self._weeks(subject, fetch)
        if weeks is None:
            return Value(raw=None, display="computing", color="lightgrey", cache_seconds=0)
        total = sum(number(w, "total") for w in weeks[-52:])
        rate = total / 52
        color = "brightgreen" if rate >= 10 else "green" if rate >= 1 else "yellow"
        if total == 0:
            color = "lightgrey"
        return Value(raw=round(rate, 2), display=display.per_period(rate, "week"), color=color)

    def metric_commit_velocity(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        weeks = self._weeks(subject, fetch)
        if weeks is None:
            return Value(raw=None, display="computing", color="lightgrey", cache_seconds=0)
        rate, arrow, spark = insights.velocity(weeks)
        color = "brightgreen" if rate >= 10 else "green" if rate >= 1 else "yellow"
        if not any(number(w, "total") for w in weeks[-12:]):
            color = "lightgrey"
        text = f"{display.per_period(rate, 'week')} {arrow} {spark}"
        return Value(raw=round(rate, 2), display=text, color=color)

    def metric_issue_resolution(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, repo = subject
        now = dt.datetime.now(dt.UTC)
        day = (now - dt.timedelta(days=insights.RESOLUTION_DAYS)).strftime("%Y-%m-%dT00:00:00Z")
        params = {
            "state": "closed",
            "since": day,  # a whole day: one cache entry per repository per day
            "sort": "updated",
            "direction": "desc",
            "per_page": "100",
        }
        issues = self._get(
            fetch, f"/repos/{owner}/{repo}/issues", params=params, missing="repo not found"
        ).json()
        span = insights.median_resolution(issues if isinstance(issues, list) else [], now)
        if span is None:
            return Value(raw=None, display="no closed issues", color="lightgrey")
        return Value(
            raw=round(span.total_seconds()),
            display=insights.duration_text(span),
            color=insights.resolution_color(span),
            cache_seconds=3600,
        )

    def metric_activity_rank(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        repo = self._repo(subject, fetch)
        weeks = self._weeks(subject, fetch)
        if weeks is None:
            return Value(raw=None, display="computing", color="lightgrey", cache_seconds=0)
        commits = sum(number(w, "total") for w in weeks[-12:])
        pushed = repo.get("pushed_at")
        days = math.inf
        if isinstance(pushed, str):
            when = display.parse_time(pushed)
            days = (dt.datetime.now(dt.UTC) - when).total_seconds() / 86400
        percentile = activity_rank(
            commits,
            number(repo, "stargazers_count"),
            number(repo, "forks_count"),
            days,
        )
        level = rank_level(percentile)
        return Value(raw=percentile, display=level, color=RANK_COLORS[level])


def expire_repo(config: Any, owner: str, repo: str) -> int:
    """Mark every cached default-variant answer about ``owner/repo`` due for revalidation.

    For a push webhook: the next view of any of the repository's badges asks GitHub again
    (with ``If-None-Match``, so an unchanged answer costs a free 304). Returns how many
    cached answers were expired. Variants with ``?branch=`` / ``?workflow=`` expire with
    their freshness as usual.
    """
    up = get_upstream(config)
    api = base_url(config, "GITHUB_API_URL") + f"/repos/{owner}/{repo}"
    resources: list[tuple[str, dict[str, str] | None]] = [
        (api, None),
        (api + "/pulls", {"state": "open", "per_page": "1"}),
        (api + "/contributors", {"per_page": "1", "anon": "1"}),
        (api + "/commits", {"per_page": "1"}),
        (api + "/releases/latest", None),
        (api + "/stats/commit_activity", None),
    ]
    expired = sum(
        up.expire(url, params=params, headers=GITHUB_HEADERS) for url, params in resources
    )
    default = up.store.get(up.cache_key(api, None, GITHUB_HEADERS))
    if default is not None and default.status == 200:
        try:
            branch = json.loads(default.body).get("default_branch")
        except (ValueError, AttributeError):
            branch = None
        if isinstance(branch, str):
            params = {"branch": branch, "per_page": "1"}
            expired += up.expire(api + "/actions/runs", params=params, headers=GITHUB_HEADERS)
    return expired


@hookimpl
def badgeapp_providers() -> list[GitHubProvider]:
    """Register the GitHub provider."""
    return [GitHubProvider()]
