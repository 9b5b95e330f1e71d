"""Shields' GitHub routes, answered by the ``github`` and ``github-user`` provider plugins."""

from __future__ import annotations

import dataclasses

from badgeapp.providers.base import Value

from .routes import BUILD, DOWNLOADS, LICENSE, SOCIAL, VERSION, Call, route, value_label

P = dict[str, str]


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


def _social(metric: str, label: str, example: str):
    @route(f"github/{label}/:user/:repo", label, example, cache=SOCIAL, logo="github")
    def handler(p: P, call: Call) -> Value:
        return call.value("github", _repo(p), metric)

    return handler


stars = _social("stars", "stars", "/github/stars/pallets/flask")
forks = _social("forks", "forks", "/github/forks/pallets/flask")
watchers = _social("watchers", "watchers", "/github/watchers/pallets/flask")


@route("github/sponsors/:user", "sponsors", "/github/sponsors/Homebrew", cache=SOCIAL,
       logo="github")  # fmt: skip
def sponsors(p: P, call: Call) -> Value:
    return call.value("github-user", (p["user"],), "sponsors")


@route("github/discussions/:user/:repo", "discussions", "/github/discussions/vercel/next.js")
def discussions(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "discussions")


@route("github/stars/:user", "stars", "/github/stars/pallets", cache=SOCIAL, logo="github")
def user_stars(p: P, call: Call) -> Value:
    return call.value("github-user", (p["user"],), "stars")


@route("github/followers/:user", "followers", "/github/followers/pallets", cache=SOCIAL,
       logo="github")  # fmt: skip
def followers(p: P, call: Call) -> Value:
    return call.value("github-user", (p["user"],), "followers")


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


@route(
    "github/actions/workflow/status/:user/:repo/:workflow+",
    "build",
    "/github/actions/workflow/status/pallets/flask/tests.yml",
    cache=BUILD,
)
def workflow_status(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "workflow_status", workflow=p["workflow"])


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


@route("github/v/tag/:user/:repo", "tag", "/github/v/tag/pallets/flask", cache=VERSION,
       logo="github")  # fmt: skip
def tag(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "latest_tag")


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


@route("github/last-commit/:user/:repo/:branch*", "last commit",
       "/github/last-commit/pallets/flask")  # fmt: skip
def last_commit(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "last_commit_date", branch=p.get("branch"))


@route("github/:variant(contributors|contributors-anon)/:user/:repo", "contributors",
       "/github/contributors/pallets/flask")  # fmt: skip
def contributors(p: P, call: Call) -> Value:
    anon = "true" if p["variant"] == "contributors-anon" else None
    return call.value("github", _repo(p), "contributor_count", anon=anon)


@route("github/repo-size/:user/:repo", "repo size", "/github/repo-size/pallets/flask")
def repo_size(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "size")


@route("github/languages/top/:user/:repo", value_label("language"),
       "/github/languages/top/pallets/flask")  # fmt: skip
def top_language(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "top_language")


@route("github/languages/count/:user/:repo", "languages",
       "/github/languages/count/pallets/flask")  # fmt: skip
def language_count(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "language_count")


@route("github/languages/code-size/:user/:repo", "code size",
       "/github/languages/code-size/pallets/flask")  # fmt: skip
def code_size(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "code_size")


@route("github/commit-activity/:interval(y|m|4w|w)/:user/:repo/:branch*", "commit activity",
       "/github/commit-activity/m/pallets/flask")  # fmt: skip
def commit_activity(p: P, call: Call) -> Value:
    return call.value(
        "github", _repo(p), "commit_activity", interval=p["interval"], branch=p.get("branch")
    )


@route("github/:kind(release-date|release-date-pre)/:user/:repo", "release date",
       "/github/release-date/pallets/flask")  # fmt: skip
def release_date(p: P, call: Call) -> Value:
    pre = "true" if p["kind"] == "release-date-pre" else None
    return call.value("github", _repo(p), "release_date", pre=pre)


@route("github/commits-since/:user/:repo/:version/:branch*", value_label("commits since"),
       "/github/commits-since/pallets/flask/3.0.0")  # fmt: skip
def commits_since(p: P, call: Call) -> Value:
    return call.value(
        "github", _repo(p), "commits_since", version=p["version"], branch=p.get("branch")
    )


@route("github/go-mod/go-version/:user/:repo/:branch*", "Go",
       "/github/go-mod/go-version/gin-gonic/gin", cache=VERSION)  # fmt: skip
def go_version(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "go_version", branch=p.get("branch"))


@route("github/package-json/v/:user/:repo/:branch*", "version",
       "/github/package-json/v/expressjs/express", cache=VERSION)  # fmt: skip
def package_json_version(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "package_version", branch=p.get("branch"))


@route("github/check-runs/:user/:repo/:ref+", "checks",
       "/github/check-runs/pallets/flask/main", cache=BUILD)  # fmt: skip
def check_runs(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "check_runs", ref=p["ref"])


@route("github/deployments/:user/:repo/:environment", "state",
       "/github/deployments/pallets/flask/production", cache=BUILD)  # fmt: skip
def deployments(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "deployment_state", environment=p["environment"])


@route("github/size/:user/:repo/:path+", "size", "/github/size/pallets/flask/README.md")
def file_size(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "file_size", path=p["path"])


@route("github/checks-status/:user/:repo/:ref+", "checks",
       "/github/checks-status/pallets/flask/main", cache=BUILD)  # fmt: skip
def checks_status(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "commit_status", ref=p["ref"])


@route("github/created-at/:user/:repo", "created at", "/github/created-at/pallets/flask")
def created_at(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "created_at")


@route("github/all-contributors/:user/:repo/:branch*", "all contributors",
       "/github/all-contributors/all-contributors/all-contributors")  # fmt: skip
def all_contributors(p: P, call: Call) -> Value:
    return call.value("github", _repo(p), "all_contributors", branch=p.get("branch"))


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


ROUTES = (
    license_, stars, forks, watchers, user_stars, followers, issues, workflow_status, release,
    release_legacy, release_pre, tag, tag_legacy, downloads, last_commit, contributors,
    repo_size, top_language, language_count, code_size, commit_activity, release_date,
    commits_since, go_version, package_json_version, check_runs, deployments, file_size,
    checks_status, created_at, all_contributors, dependency_version, sponsors, discussions,
)  # fmt: skip
