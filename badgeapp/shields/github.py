"""Shields' GitHub routes, answered by the ``github`` and ``github-user`` provider plugins."""

from __future__ import annotations

import dataclasses

from badgeapp.providers.base import Value

from .routes import (
    BUILD,
    DOWNLOADS,
    LICENSE,
    SOCIAL,
    VERSION,
    Call,
    metric_route,
    route,
    value_label,
)

P = dict[str, str]


#: the route parameters that name a repository
_REPO = ("user", "repo")


def _repo(p: P) -> tuple[str, str]:
    return p["user"], p["repo"]


@route("github/license/:user/:repo", "license", "/github/license/pallets/flask", cache=LICENSE)
def license_(p: P, call: Call) -> Value:
    value = call.value("github", _repo(p), "license")
    if value.raw == "NOASSERTION":
        return dataclasses.replace(value, display="not identifiable by github", color="lightgrey")
    if value.raw is None:
        return dataclasses.replace(value, display="not specified", color="lightgrey")
    return value


def _issues_label(p: P, value: Value | None) -> str:
    if value is None:  # error badges carry shields' default label
        return "issues"
    gh_label = p.get("gh_label") or ""
    words = f'"{gh_label}"' if " " in gh_label else gh_label
    prefix = ""
    if p.get("raw"):
        prefix = "closed " if "closed" in p["variant"] else "open "
    noun = "pull requests" if p["variant"].startswith("issues-pr") else "issues"
    return f"{prefix}{words + ' ' if words else ''}{noun}"


@route(
    r"^github/(?P<variant>issues|issues-closed|issues-pr|issues-pr-closed)(?P<raw>-raw)?"
    r"/(?P<user>[^/]+)/(?P<repo>[^/]+)(?:/(?P<gh_label>.+))?$",
    _issues_label,
    "/github/issues/pallets/flask",
    display="github/:variant(issues|issues-closed|issues-pr|issues-pr-closed):raw(-raw)?"
    "/:user/:repo/:label*",
)
def issues(p: P, call: Call) -> Value:
    closed = "closed" in p["variant"]
    value = call.value(
        "github",
        _repo(p),
        "issue_count",
        kind="pr" if p["variant"].startswith("issues-pr") else "issue",
        state="closed" if closed else "open",
        gh_label=p.get("gh_label"),
    )
    if not p.get("raw"):
        value = dataclasses.replace(
            value, display=f"{value.display} {'closed' if closed else 'open'}"
        )
    return value


def _release(p: P, call: Call, pre: bool | None = None) -> Value:
    return call.value(
        "github",
        _repo(p),
        "release_version",
        include_prereleases="true" if pre else None,
    )


@route("github/v/release/:user/:repo", "release", "/github/v/release/pallets/flask",
       cache=VERSION, logo="github")  # fmt: skip
def release(p: P, call: Call) -> Value:
    return _release(p, call)


@route("github/release/:user/:repo/:which(all)?", "release", "/github/release/pallets/flask",
       cache=VERSION, logo="github")  # fmt: skip
def release_legacy(p: P, call: Call) -> Value:
    return _release(p, call, pre=p.get("which") == "all")


@route("github/release-pre/:user/:repo", "release", "/github/release-pre/pallets/flask",
       cache=VERSION, logo="github")  # fmt: skip
def release_pre(p: P, call: Call) -> Value:
    return _release(p, call, pre=True)


@route("github/tag/:user/:repo", "tag", "/github/tag/pallets/flask", cache=VERSION,
       logo="github")  # fmt: skip
def tag_legacy(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "latest_tag", sort=call.args.get("sort") or "semver")


@route(
    r"^github/(?P<kind>downloads|downloads-pre)/(?P<user>[^/]+)/(?P<repo>[^/]+)"
    r"(?:/(?P<tag>.+))?/(?P<asset>[^/]+)$",
    value_label("downloads"),
    "/github/downloads/pallets/flask/total",
    cache=DOWNLOADS,
    logo="github",
    display="github/:kind(downloads|downloads-pre)/:user/:repo/:tag*/:assetName",
)
def downloads(p: P, call: Call) -> Value:
    return call.value(
        "github",
        _repo(p),
        "release_downloads",
        tag=p.get("tag"),
        asset=p["asset"],
        pre="true" if p["kind"] == "downloads-pre" else None,
    )


@route("github/:variant(contributors|contributors-anon)/:user/:repo", "contributors",
       "/github/contributors/pallets/flask")  # fmt: skip
def contributors(p: P, call: Call) -> Value:
    anon = "true" if p["variant"] == "contributors-anon" else None
    return call.value("github", _repo(p), "contributor_count", anon=anon)


@route("github/:kind(release-date|release-date-pre)/:user/:repo", "release date",
       "/github/release-date/pallets/flask")  # fmt: skip
def release_date(p: P, call: Call) -> Value:
    pre = "true" if p["kind"] == "release-date-pre" else None
    return call.value("github", _repo(p), "release_date", pre=pre)


@route(
    r"^github/package-json/dependency-version/(?P<user>[^/]+)/(?P<repo>[^/]+)"
    r"/(?:(?P<kind>dev|peer)/)?(?P<dependency>(?:@[^/]+/)?[^/]+)(?:/(?P<branch>.+))?$",
    value_label("dependency"),
    "/github/package-json/dependency-version/expressjs/express/body-parser",
    cache=VERSION,
    display="github/package-json/dependency-version/:user/:repo/:kind(dev|peer)?"
    "/:scope?/:packageName/:branch*",
)
def dependency_version(p: P, call: Call) -> Value:
    return call.value(
        "github",
        _repo(p),
        "dependency_version",
        dependency=p["dependency"],
        kind=p.get("kind"),
        branch=p.get("branch"),
    )


#: the routes whose handler only asks the ``github`` or ``github-user`` provider for one metric
_ONE_METRIC = (
    metric_route("github/stars/:user/:repo", "stars", "/github/stars/pallets/flask",
                 "github", _REPO, "stars", cache=SOCIAL, logo="github"),
    metric_route("github/forks/:user/:repo", "forks", "/github/forks/pallets/flask",
                 "github", _REPO, "forks", cache=SOCIAL, logo="github"),
    metric_route("github/watchers/:user/:repo", "watchers", "/github/watchers/pallets/flask",
                 "github", _REPO, "watchers", cache=SOCIAL, logo="github"),
    metric_route("github/stars/:user", "stars", "/github/stars/pallets",
                 "github-user", ("user",), "stars", cache=SOCIAL, logo="github"),
    metric_route("github/followers/:user", "followers", "/github/followers/pallets",
                 "github-user", ("user",), "followers", cache=SOCIAL, logo="github"),
    metric_route("github/actions/workflow/status/:user/:repo/:workflow+", "build",
                 "/github/actions/workflow/status/pallets/flask/tests.yml",
                 "github", _REPO, "workflow_status", passes=("workflow",), cache=BUILD),
    metric_route("github/v/tag/:user/:repo", "tag", "/github/v/tag/pallets/flask",
                 "github", _REPO, "latest_tag", cache=VERSION, logo="github"),
    metric_route("github/last-commit/:user/:repo/:branch*", "last commit",
                 "/github/last-commit/pallets/flask",
                 "github", _REPO, "last_commit_date", passes=("branch",)),
    metric_route("github/repo-size/:user/:repo", "repo size", "/github/repo-size/pallets/flask",
                 "github", _REPO, "size"),
    metric_route("github/languages/top/:user/:repo", value_label("language"),
                 "/github/languages/top/pallets/flask", "github", _REPO, "top_language"),
    metric_route("github/languages/count/:user/:repo", "languages",
                 "/github/languages/count/pallets/flask", "github", _REPO, "language_count"),
    metric_route("github/languages/code-size/:user/:repo", "code size",
                 "/github/languages/code-size/pallets/flask", "github", _REPO, "code_size"),
    metric_route("github/commit-activity/:interval(y|m|4w|w)/:user/:repo/:branch*",
                 "commit activity", "/github/commit-activity/m/pallets/flask",
                 "github", _REPO, "commit_activity", passes=("interval", "branch")),
    metric_route("github/commits-since/:user/:repo/:version/:branch*",
                 value_label("commits since"), "/github/commits-since/pallets/flask/3.0.0",
                 "github", _REPO, "commits_since", passes=("version", "branch")),
    metric_route("github/go-mod/go-version/:user/:repo/:branch*", "Go",
                 "/github/go-mod/go-version/gin-gonic/gin",
                 "github", _REPO, "go_version", passes=("branch",), cache=VERSION),
    metric_route("github/package-json/v/:user/:repo/:branch*", "version",
                 "/github/package-json/v/expressjs/express",
                 "github", _REPO, "package_version", passes=("branch",), cache=VERSION),
    metric_route("github/check-runs/:user/:repo/:ref+", "checks",
                 "/github/check-runs/pallets/flask/main",
                 "github", _REPO, "check_runs", passes=("ref",), cache=BUILD),
    metric_route("github/deployments/:user/:repo/:environment", "state",
                 "/github/deployments/pallets/flask/production",
                 "github", _REPO, "deployment_state", passes=("environment",), cache=BUILD),
    metric_route("github/size/:user/:repo/:path+", "size", "/github/size/pallets/flask/README.md",
                 "github", _REPO, "file_size", passes=("path",)),
    metric_route("github/checks-status/:user/:repo/:ref+", "checks",
                 "/github/checks-status/pallets/flask/main",
                 "github", _REPO, "commit_status", passes=("ref",), cache=BUILD),
    metric_route("github/created-at/:user/:repo", "created at",
                 "/github/created-at/pallets/flask", "github", _REPO, "created_at"),
    metric_route("github/all-contributors/:user/:repo/:branch*", "all contributors",
                 "/github/all-contributors/all-contributors/all-contributors",
                 "github", _REPO, "all_contributors", passes=("branch",)),
    metric_route("github/sponsors/:user", "sponsors", "/github/sponsors/Homebrew",
                 "github-user", ("user",), "sponsors", cache=SOCIAL, logo="github"),
    metric_route("github/discussions/:user/:repo", "discussions",
                 "/github/discussions/vercel/next.js", "github", _REPO, "discussions"),
)  # fmt: skip

ROUTES = (
    license_, issues, release, release_legacy, release_pre, tag_legacy, downloads, contributors,
    release_date, dependency_version, *_ONE_METRIC,
)  # fmt: skip
