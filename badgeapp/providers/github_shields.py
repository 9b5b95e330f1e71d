"""GitHub metrics that shields' live routes need, drawn the shields way.

``GitHubShieldsMetrics`` is mixed into the ``github`` provider: issue and pull-request counts
(search API, optional label filter), Actions workflow status, releases (pre-releases, semver or
date order, tag or release name), tags, release-asset downloads, last commit date, contributors,
languages, commit activity, release date, commits since a version, the Go version in go.mod,
the version in package.json, check runs and deployment states, and (over GraphQL, as GitHub
serves them only there) discussion counts. Route parameters arrive in the context's args under
``shields.<name>`` (the ``shields`` family puts them there); the values carry shields' label,
message and colour, so ``/v2/badge/github/...`` shows the same.

``GitHubUserProvider`` (``github-user``, subject ``user``) answers ``followers``, ``stars``
and ``sponsors`` (GraphQL).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote

from badgeapp.errors import InvalidParameter, InvalidResponse, NotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.shields import formats
from badgeapp.upstream import github_pool

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value
from .github_graphql import graphql_data

_REF = re.compile(r"^[A-Za-z0-9_./@+-]{1,200}$")
_FILE = re.compile(r"^[A-Za-z0-9_./-]{1,200}$")
_GO = re.compile(r"^go\s+([^\s/]+)", re.MULTILINE)
_SEMVER_PART = re.compile(r"\d+|[A-Za-z]+")
_PACKAGE_JSON_MISSING = "repo not found, branch not found, or file missing"

#: how far back each commit-activity interval looks, and the message's unit
INTERVALS = {"y": (365, "year"), "m": (30, "month"), "4w": (28, "four weeks"), "w": (7, "week")}

#: default labels of the metrics below on ``/v2/badge/github/...``
SHIELDS_LABELS = {
    "issue_count": "issues",
    "workflow_status": "build",
    "release_version": "release",
    "latest_tag": "tag",
    "release_downloads": "downloads",
    "last_commit_date": "last commit",
    "contributor_count": "contributors",
    "top_language": "language",
    "language_count": "languages",
    "code_size": "code size",
    "commit_activity": "commit activity",
    "release_date": "release date",
    "commits_since": "commits since",
    "go_version": "Go",
    "package_version": "version",
    "check_runs": "checks",
    "deployment_state": "state",
    "file_size": "size",
    "commit_status": "checks",
    "created_at": "created at",
    "all_contributors": "all contributors",
}

#: pages of 100 repositories read for a user's total stars (bounds upstream calls per badge)
USER_REPO_PAGES = 5

WORKFLOW_OK = frozenset({"success", "neutral", "skipped"})

DISCUSSIONS_QUERY = """
query ($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { discussions { totalCount } }
}
"""

#: users and organisations both sponsor-able: ``repositoryOwner`` finds either kind
SPONSORS_QUERY = """
query ($login: String!) {
  repositoryOwner(login: $login) {
    ... on User { sponsorshipsAsMaintainer { totalCount } }
    ... on Organization { sponsorshipsAsMaintainer { totalCount } }
  }
}
"""


def semver_key(tag: str) -> tuple:
    """A sort key close to semver: numeric parts numerically, a pre-release below its release."""
    text = tag.lstrip("vV")
    core, _, pre = text.partition("-")
    nums = tuple(int(p) for p in re.findall(r"\d+", core)[:4])
    rest = tuple((0, int(p)) if p.isdigit() else (1, p) for p in _SEMVER_PART.findall(pre))
    return (nums, 0 if pre else 1, rest)


def tag_filter(text: str | None):
    """Shields' ``?filter=``: ``*`` matches anything, a leading ``!`` negates; None keeps all."""
    if not text:
        return lambda tag: True
    negate = text.startswith("!")
    body = text[1:] if negate else text
    rx = re.compile("^" + ".*".join(re.escape(part) for part in body.split("*")) + "$")
    return lambda tag: bool(rx.match(tag)) != negate


def arg(fetch: Fetcher, name: str, pattern: re.Pattern | None = None) -> str | None:
    """A route parameter (``shields.<name>``) or query parameter, checked against ``pattern``."""
    value = fetch.ctx.args.get(f"shields.{name}")
    if value is None:
        value = fetch.ctx.args.get(name)
    if value is None or value == "":
        return None
    value = str(value)
    if pattern is not None and not pattern.match(value):
        raise InvalidParameter(detail=f"bad {name}")
    if any(part in (".", "..") for part in value.split("/")) or "\\" in value or "\x00" in value:
        # a dot segment would be normalised away and reach another API path with our token
        raise InvalidParameter(detail=f"bad {name}")
    return value


def version_value(version: str) -> Value:
    """A version the shields way: ``v`` added, coloured by its kind, kept five minutes."""
    return Value(
        raw=version,
        display=formats.addv(version),
        color=formats.version_color(version),
        cache_seconds=300,
    )


def date_value(when: dt.datetime) -> Value:
    """A date in shields' calendar wording, coloured by its age, kept five minutes."""
    return Value(
        raw=when.isoformat(),
        display=formats.format_date(when),
        color=formats.age_color(when),
        cache_seconds=300,
    )


def truthy(fetch: Fetcher, name: str) -> bool:
    """A flag given as route parameter or query parameter (present and not false)."""
    value = fetch.ctx.args.get(f"shields.{name}", fetch.ctx.args.get(name))
    return value is not None and str(value).lower() not in ("false", "0", "no")


class GitHubShieldsMetrics:
    """The shields-route metrics of the ``github`` provider (a mixin over ``GitHubProvider``)."""

    shields_metrics = {
        "issue_count": "issues or pull requests, open or closed (shields.kind/state/label)",
        "workflow_status": "status of the latest completed run of one workflow (?branch, ?event)",
        "release_version": "latest release (?include_prereleases, ?sort, ?display_name)",
        "latest_tag": "latest tag (?sort=semver, ?include_prereleases)",
        "release_downloads": "downloads of release assets (total, latest, a tag, an asset)",
        "last_commit_date": "date of the latest commit, shields' calendar wording (?path)",
        "contributor_count": "contributors (shields.anon counts anonymous ones)",
        "top_language": "the main language and its share",
        "language_count": "how many languages",
        "code_size": "bytes of code",
        "commit_activity": "commits per year, month, four weeks or week",
        "release_date": "date of the latest release",
        "commits_since": "commits since a version (or the latest release)",
        "go_version": "the go directive of go.mod (?filename)",
        "package_version": "the version field of package.json (?filename)",
        "check_runs": "summary of the check runs of a ref",
        "deployment_state": "state of the latest deployment to an environment",
        "file_size": "size of one file (shields.path, ?branch)",
        "commit_status": "combined commit status of a ref (shields.ref)",
        "created_at": "when the repository was created",
        "all_contributors": "contributors listed in .all-contributorsrc",
        "dependency_version": "a dependency's version range in package.json (shields.dependency)",
        "discussions": "how many discussions the repository has (GraphQL)",
    }

    # these come from GitHubProvider
    _get: Any
    _repo: Any
    _count_list: Any
    _open_prs: Any

    def _repo_path(self, subject: tuple[str, ...]) -> str:
        owner, repo = subject
        return f"/repos/{owner}/{repo}"

    def metric_issue_count(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        kind = "pr" if arg(fetch, "kind") == "pr" else "issue"
        state = "closed" if arg(fetch, "state") == "closed" else "open"
        gh_label = arg(fetch, "gh_label")
        if state == "open" and not gh_label:
            # the core API answers these (5,000 calls an hour, conditional requests free);
            # the search API allows 30 a minute, so it is kept for what only it can count
            n = self._open_prs(subject, fetch)
            if kind == "issue":
                n = max(0, number(self._repo(subject, fetch), "open_issues_count") - n)
            color = "yellow" if n > 0 else "brightgreen"
            return Value(raw=n, display=formats.metric(n), color=color)
        query = f"repo:{subject[0]}/{subject[1]} is:{kind} is:{state}"
        if gh_label:
            if len(gh_label) > 100 or '"' in gh_label:
                raise InvalidParameter(detail="bad label")
            query += f' label:"{gh_label}"'
        result = self._get(
            fetch,
            "/search/issues",
            params={"q": query, "per_page": "1"},
            ok=(200, 422),
            missing="repo not found",
        )
        if result.status == 422:  # search says a repository it cannot see does not exist
            raise NotFound("repo not found")
        n = number(result.json(), "total_count")
        return Value(raw=n, display=formats.metric(n), color="yellow" if n > 0 else "brightgreen")

    def metric_workflow_status(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        workflow = arg(fetch, "workflow", _FILE)
        if not workflow:
            raise InvalidParameter(detail="workflow missing")
        params = {"status": "completed", "per_page": "1"}
        for name in ("branch", "event"):
            value = arg(fetch, name, _REF)
            if value:
                params[name] = value
        path = f"{self._repo_path(subject)}/actions/workflows/{quote(workflow, safe='')}/runs"
        data = self._get(fetch, path, params=params, missing="repo or workflow not found").json()
        runs = field(data, "workflow_runs", kind=list)
        if not runs:
            return Value(raw=None, display="no status", color="lightgrey", cache_seconds=30)
        conclusion = str(runs[0].get("conclusion") or "")
        if conclusion in WORKFLOW_OK:
            return Value(raw=conclusion, display="passing", color="brightgreen", cache_seconds=30)
        return Value(raw=conclusion, display="failing", color="red", cache_seconds=30)

    def _releases(self, subject: tuple[str, ...], fetch: Fetcher) -> list[dict]:
        data = self._get(
            fetch,
            f"{self._repo_path(subject)}/releases",
            params={"per_page": "100"},
            missing="no releases or repo not found",
        ).json()
        if not isinstance(data, list):
            raise InvalidResponse(detail="releases are not a list")
        return [r for r in data if isinstance(r, dict) and not r.get("draft")]

    def _latest_release(self, subject: tuple[str, ...], fetch: Fetcher, pre: bool) -> dict:
        """The latest release (``pre``: pre-releases too; ``?sort=semver`` orders by tag)."""
        semver = arg(fetch, "sort") == "semver"
        keep = tag_filter(fetch.ctx.args.get("filter"))
        if not pre and not semver and not fetch.ctx.args.get("filter"):
            data = self._get(
                fetch,
                f"{self._repo_path(subject)}/releases/latest",
                missing="no releases or repo not found",
            ).json()
            if not isinstance(data, dict):
                raise InvalidResponse(detail="release is not an object")
            return data
        releases = [
            r
            for r in self._releases(subject, fetch)
            if (pre or not r.get("prerelease")) and keep(str(r.get("tag_name", "")))
        ]
        if not releases:
            raise NotFound("no releases or repo not found")
        if semver:
            return max(releases, key=lambda r: semver_key(str(r.get("tag_name", ""))))
        return releases[0]

    def metric_release_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        pre = truthy(fetch, "include_prereleases")
        release = self._latest_release(subject, fetch, pre)
        version = str(field(release, "tag_name", kind=str))
        if arg(fetch, "display_name") == "release" and isinstance(release.get("name"), str):
            version = release["name"] or version
        color = "orange" if release.get("prerelease") else formats.version_color(version)
        return Value(raw=version, display=formats.addv(version), color=color, cache_seconds=300)

    def metric_latest_tag(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = self._get(
            fetch,
            f"{self._repo_path(subject)}/tags",
            params={"per_page": "100"},
            missing="repo not found",
        ).json()
        named = [t for t in data if isinstance(t, dict)] if isinstance(data, list) else []
        tags = [t["name"] for t in named if isinstance(t.get("name"), str)]
        keep = tag_filter(fetch.ctx.args.get("filter"))
        tags = [t for t in tags if keep(t)]
        if not tags:
            raise NotFound("no tags found")
        if arg(fetch, "sort") == "semver":
            pre = truthy(fetch, "include_prereleases")
            candidates = [t for t in tags if pre or "-" not in t] or tags
            tag = max(candidates, key=semver_key)
        else:
            tag = tags[0]
        return version_value(tag)

    def metric_release_downloads(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        tag = arg(fetch, "tag", _REF)
        asset = arg(fetch, "asset") or "total"
        pre = truthy(fetch, "pre")
        missing = "repo or release not found"
        if tag is None:
            releases = self._releases(subject, fetch)
        elif tag == "latest":
            if pre:
                releases = self._releases(subject, fetch)[:1]
            else:
                latest = self._get(
                    fetch, f"{self._repo_path(subject)}/releases/latest", missing=missing
                ).json()
                releases = [latest]
        else:
            path = f"{self._repo_path(subject)}/releases/tags/{quote(tag, safe='')}"
            releases = [self._get(fetch, path, missing=missing).json()]
        if not releases:
            raise NotFound(missing)
        total = 0
        for release in releases:
            for item in field(release, "assets", kind=list):
                if asset == "total" or item.get("name") == asset:
                    total += number(item, "download_count")
        shown = str(fetch.ctx.args.get("displayAssetName", "true")).lower() != "false"
        suffix = f"[{asset}]" if asset != "total" and shown else ""
        label = f"downloads@{tag}" if tag else "downloads"
        return Value(
            raw=total,
            display=formats.downloads_message(total, suffix=suffix),
            color=formats.downloads_color(total),
            label=label,
            cache_seconds=900,
        )

    def metric_last_commit_date(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        params = {"per_page": "1"}
        branch = arg(fetch, "branch", _REF)
        if branch:
            params["sha"] = branch
        path = arg(fetch, "path", _FILE)
        if path:
            params["path"] = path
        result = self._get(
            fetch,
            f"{self._repo_path(subject)}/commits",
            params=params,
            ok=(200, 409, 422),
            missing="repo not found",
        )
        commits = result.json() if result.status == 200 else []
        if not isinstance(commits, list) or not commits:
            raise NotFound("no commits found" if result.status != 422 else "branch not found")
        return date_value(
            display.parse_time(field(commits, 0, "commit", "committer", "date", kind=str))
        )

    def metric_contributor_count(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        params = {"per_page": "1"}
        if truthy(fetch, "anon"):
            params["anon"] = "1"
        n = self._count_list(fetch, f"{self._repo_path(subject)}/contributors", params)
        return Value(raw=n, display=formats.metric(n), color=formats.contributor_color(n))

    def _languages(self, subject: tuple[str, ...], fetch: Fetcher) -> dict[str, int]:
        data = self._get(
            fetch, f"{self._repo_path(subject)}/languages", missing="repo not found"
        ).json()
        if not isinstance(data, dict):
            raise InvalidResponse(detail="languages are not an object")
        return {str(k): number(data, k) for k in data}

    def metric_top_language(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        langs = self._languages(subject, fetch)
        total = sum(langs.values())
        if not langs or total <= 0:
            return Value(raw=None, display="none", color="blue", label="language")
        name, size = max(langs.items(), key=lambda item: item[1])
        share = size / total * 100
        return Value(raw=share, display=f"{share:.1f}%", color="blue", label=name.lower())

    def metric_language_count(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = len(self._languages(subject, fetch))
        return Value(raw=n, display=formats.metric(n), color="blue")

    def metric_code_size(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = sum(self._languages(subject, fetch).values())
        return Value(raw=n, display=display.pretty_bytes(n), color="blue")

    def metric_commit_activity(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        interval = arg(fetch, "interval") or "y"
        if interval not in INTERVALS:
            raise InvalidParameter(detail="bad interval")
        days, unit = INTERVALS[interval]
        # a whole day, so the cached answer is reused all day long
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).strftime("%Y-%m-%dT00:00:00Z")
        params = {"per_page": "1", "since": since}
        branch = arg(fetch, "branch", _REF)
        if branch:
            params["sha"] = branch
        n = self._count_list(fetch, f"{self._repo_path(subject)}/commits", params)
        return Value(raw=n, display=f"{formats.metric(n)}/{unit}", color="blue")

    def metric_release_date(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        release = self._latest_release(subject, fetch, truthy(fetch, "pre"))
        return date_value(
            display.parse_time(
                str(release.get("published_at") or field(release, "created_at", kind=str))
            )
        )

    def metric_commits_since(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        version = arg(fetch, "version", _REF) or "latest"
        shown = version
        if version == "latest":
            release = self._latest_release(subject, fetch, truthy(fetch, "include_prereleases"))
            version = str(field(release, "tag_name", kind=str))
            shown = version
        branch = arg(fetch, "branch", _REF)
        if not branch:
            branch = str(field(self._repo(subject, fetch), "default_branch", kind=str))
        path = f"{self._repo_path(subject)}/compare/{quote(version)}...{quote(branch)}"
        data = self._get(fetch, path, missing="repo or version not found").json()
        n = number(data, "ahead_by")
        return Value(raw=n, display=formats.metric(n), color="blue", label=f"commits since {shown}")

    def _file(self, subject: tuple[str, ...], fetch: Fetcher, default: str, missing: str) -> str:
        filename = arg(fetch, "filename", _FILE) or default
        params = {}
        branch = arg(fetch, "branch", _REF)
        if branch:
            params["ref"] = branch
        data = self._get(
            fetch,
            f"{self._repo_path(subject)}/contents/{quote(filename)}",
            params=params,
            missing=missing,
        ).json()
        content = field(data, "content", kind=str)
        try:
            raw = base64.b64decode(content, validate=False)
        except (binascii.Error, ValueError):
            raise InvalidResponse(detail="file content is not base64") from None
        return raw.decode("utf-8", "replace")

    def _json_file(
        self, subject: tuple[str, ...], fetch: Fetcher, default: str, missing: str
    ) -> Any:
        """A JSON file of the repository (``?filename``, else ``default``; ``?branch``), parsed."""
        text = self._file(subject, fetch, default, missing)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            raise InvalidResponse("unparseable json response") from None

    def _ref_path(self, subject: tuple[str, ...], fetch: Fetcher) -> str:
        """The API path of the commit the ``ref`` route parameter names (required)."""
        ref = arg(fetch, "ref", _REF)
        if not ref:
            raise InvalidParameter(detail="ref missing")
        return f"{self._repo_path(subject)}/commits/{quote(ref, safe='')}"

    def metric_go_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        text = self._file(
            subject, fetch, "go.mod", "repo not found, branch not found, or go.mod missing"
        )
        match = _GO.search(text)
        if not match:
            raise InvalidResponse("Go version missing in go.mod")
        return version_value(match.group(1))

    def metric_package_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        doc = self._json_file(subject, fetch, "package.json", _PACKAGE_JSON_MISSING)
        return version_value(field(doc, "version", kind=str))

    def metric_check_runs(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = self._get(
            fetch,
            f"{self._ref_path(subject, fetch)}/check-runs",
            params={"per_page": "100"},
            missing="ref or repo not found",
        ).json()
        runs = [r for r in field(data, "check_runs", kind=list) if isinstance(r, dict)]
        if not runs:
            return Value(raw=None, display="no check runs", color="lightgrey", cache_seconds=30)
        if any(r.get("status") != "completed" for r in runs):
            return Value(raw="pending", display="pending", color="lightgrey", cache_seconds=30)
        if all(r.get("conclusion") in WORKFLOW_OK for r in runs):
            return Value(raw="success", display="passing", color="brightgreen", cache_seconds=30)
        return Value(raw="failure", display="failing", color="red", cache_seconds=30)

    def metric_file_size(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        path = arg(fetch, "path", _FILE)
        if not path:
            raise InvalidParameter(detail="path missing")
        params = {"ref": b} if (b := arg(fetch, "branch", _REF)) else None
        data = self._get(
            fetch,
            f"{self._repo_path(subject)}/contents/{quote(path)}",
            params=params,
            missing="repo or file not found",
        ).json()
        if not isinstance(data, dict) or data.get("type") != "file":
            raise NotFound("not a regular file")
        n = number(data, "size")
        return Value(raw=n, display=display.pretty_bytes(n), color="blue", cache_seconds=300)

    def metric_dependency_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        name = arg(fetch, "dependency")
        if not name or len(name) > 214:
            raise InvalidParameter(detail="dependency missing")
        doc = self._json_file(subject, fetch, "package.json", _PACKAGE_JSON_MISSING)
        kind = arg(fetch, "kind")
        sections = {"dev": ("devDependencies",), "peer": ("peerDependencies",)}.get(
            kind or "", ("dependencies", "devDependencies", "peerDependencies")
        )
        for section in sections:
            deps = doc.get(section) if isinstance(doc, dict) else None
            if isinstance(deps, dict) and isinstance(deps.get(name), str):
                return Value(raw=deps[name], display=deps[name], color="blue", label=name)
        raise NotFound(f"{kind + ' ' if kind else ''}dependency not found")

    def metric_all_contributors(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        doc = self._json_file(subject, fetch, ".all-contributorsrc", "repo or file not found")
        n = len(field(doc, "contributors", kind=list))
        return Value(raw=n, display=formats.metric(n), color=formats.contributor_color(n))

    def metric_created_at(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        when = display.parse_time(field(self._repo(subject, fetch), "created_at", kind=str))
        return Value(
            raw=when.isoformat(),
            display=formats.format_date(when),
            color=formats.age_color_reversed(when),
            cache_seconds=3600,
        )

    def metric_commit_status(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = self._get(
            fetch,
            f"{self._ref_path(subject, fetch)}/status",
            missing="ref or repo not found",
        ).json()
        state = str(field(data, "state", kind=str))
        color = {"success": "brightgreen", "failure": "red", "error": "red"}.get(state)
        return Value(raw=state, display=state, color=color or "lightgrey", cache_seconds=30)

    def metric_deployment_state(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        environment = arg(fetch, "environment")
        if not environment or len(environment) > 200:
            raise InvalidParameter(detail="environment missing")
        deployments = self._get(
            fetch,
            f"{self._repo_path(subject)}/deployments",
            params={"environment": environment, "per_page": "1"},
            missing="repo not found",
        ).json()
        if not isinstance(deployments, list) or not deployments:
            raise NotFound("environment not found")
        deployment_id = number(deployments, 0, "id")
        statuses = self._get(
            fetch,
            f"{self._repo_path(subject)}/deployments/{deployment_id}/statuses",
            params={"per_page": "1"},
        ).json()
        if not isinstance(statuses, list) or not statuses:
            return Value(raw=None, display="unknown", color="lightgrey", cache_seconds=30)
        state = str(field(statuses, 0, "state", kind=str))
        color = {"success": "brightgreen", "failure": "red", "error": "red"}.get(state)
        return Value(
            raw=state,
            display=state.replace("_", " "),
            color=color or "lightgrey",
            cache_seconds=30,
        )

    def metric_discussions(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, name = subject
        data = graphql_data(
            fetch, DISCUSSIONS_QUERY, {"owner": owner, "name": name}, missing="repo not found"
        )
        if field(data, "repository") is None:
            raise NotFound("repo not found")
        n = number(data, "repository", "discussions", "totalCount")
        return Value(raw=n, display=f"{n} total", color="blue")


class GitHubUserProvider(ApiProvider):
    """User-level GitHub metrics (subject: the user name)."""

    name = "github-user"
    subject_parts = 1
    metrics = {
        "followers": "followers of a user or organisation",
        "stars": "stars of the repositories a user owns (first 500 repositories)",
        "sponsors": "sponsors of a user or organisation (GraphQL)",
    }

    def check_subject(self, subject: tuple[str, ...]) -> None:
        super().check_subject(subject)
        if not re.match(r"^[A-Za-z0-9-]{1,39}$", subject[0]):
            raise InvalidParameter(detail="bad user name")

    def metric_followers(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        from .github import GITHUB_HEADERS

        data = fetch.json(
            fetch.url("GITHUB_API_URL", f"/users/{subject[0]}"),
            headers=GITHUB_HEADERS,
            pool=github_pool(fetch.config),
            auth_header=lambda token: {"Authorization": f"Bearer {token}"},
            missing="user not found",
        )
        n = number(data, "followers")
        return Value(raw=n, display=formats.metric(n), color="blue", cache_seconds=900)

    def metric_stars(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        from .github import GITHUB_HEADERS, last_page

        total, page, pages = 0, 1, 1
        while page <= min(pages, USER_REPO_PAGES):
            result = fetch.get(
                fetch.url("GITHUB_API_URL", f"/users/{subject[0]}/repos"),
                params={"per_page": "100", "type": "owner", "page": str(page)},
                headers=GITHUB_HEADERS,
                pool=github_pool(fetch.config),
                auth_header=lambda token: {"Authorization": f"Bearer {token}"},
                missing="user not found",
            )
            repos = result.json()
            if not isinstance(repos, list):
                raise InvalidResponse(detail="repositories are not a list")
            total += sum(number(r, "stargazers_count") for r in repos if isinstance(r, dict))
            if page == 1:
                pages = last_page(result.headers.get("link")) or 1
            page += 1
        return Value(raw=total, display=formats.metric(total), color="blue", cache_seconds=900)

    def metric_sponsors(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        missing = "user/org not found"
        data = graphql_data(fetch, SPONSORS_QUERY, {"login": subject[0]}, missing=missing)
        if field(data, "repositoryOwner") is None:  # GitHub's answer for an unknown login
            raise NotFound(missing)
        n = number(data, "repositoryOwner", "sponsorshipsAsMaintainer", "totalCount")
        return Value(raw=n, display=formats.metric(n), color="blue", cache_seconds=900)


@hookimpl
def badgeapp_providers() -> list[GitHubUserProvider]:
    """Register the ``github-user`` provider (the ``github`` one carries the other metrics)."""
    return [GitHubUserProvider()]
