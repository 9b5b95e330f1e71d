"""Recorded-shape answers for the shields routes, served by ``FakeUpstream``.

The GitHub search, releases, tags, languages, compare, contents, check-runs, deployments and
users endpoints; npm dist-tags, yearly and ranged downloads; and the registries the other
shields routes read (nuget, rubygems, crates, packagist, pub, homebrew, anaconda, maven,
codecov, coveralls, libraries.io, readthedocs, discord, circleci). ``SHIELDS_ROUTES`` is added
to the fake's route table, ``shields_config(url)`` to its configuration.

Conventions: subjects named ``missing``/``missing/repo`` answer 404; ``pallets/flask`` (and any
other name) answers the recorded numbers below.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
Answer = tuple[int, Any, dict[str, str]]


def _ok(body: Any, headers: dict[str, str] | None = None) -> Answer:
    return 200, body, headers or {}


def _missing() -> Answer:
    return 404, {"message": "Not Found"}, {}


def _iso(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _gone(m: re.Match) -> bool:
    groups = m.groupdict()
    return "missing" in (groups.get("o"), groups.get("n"), groups.get("u"))


# -- GitHub ------------------------------------------------------------------------------

#: (kind, state, label) -> total_count of /search/issues
ISSUE_COUNTS = {
    ("issue", "open", None): 23,
    ("issue", "closed", None): 1234,
    ("pr", "open", None): 5,
    ("pr", "closed", None): 2345,
    ("issue", "open", "bug"): 7,
    ("issue", "open", "good first issue"): 0,
}

RELEASES = [
    {
        "tag_name": "3.2.0rc1",
        "name": "Flask 3.2.0rc1",
        "prerelease": True,
        "draft": False,
        "published_at": _iso(2),
        "assets": [{"name": "flask.whl", "download_count": 5}],
    },
    {
        "tag_name": "3.1.0",
        "name": "Flask 3.1.0",
        "prerelease": False,
        "draft": False,
        "published_at": _iso(20),
        "assets": [
            {"name": "flask.whl", "download_count": 1500},
            {"name": "flask.tar.gz", "download_count": 500},
        ],
    },
    {
        "tag_name": "3.0.0",
        "name": "Flask 3.0.0",
        "prerelease": False,
        "draft": False,
        "published_at": _iso(400),
        "assets": [{"name": "flask.whl", "download_count": 10000}],
    },
]


def gh_search(m: re.Match, q: dict, h: dict) -> Answer:
    text = q.get("q", [""])[0]
    repo = re.search(r"repo:(\S+)", text)
    if repo is None or repo.group(1).startswith("missing/"):
        return 422, {"message": "Validation Failed"}, {}
    kind = "pr" if "is:pr" in text else "issue"
    state = "closed" if "is:closed" in text else "open"
    label = re.search(r'label:"([^"]*)"', text)
    key = (kind, state, label.group(1) if label else None)
    return _ok({"total_count": ISSUE_COUNTS.get(key, 3), "incomplete_results": False, "items": []})


def gh_releases(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    if m["r"] == "norelease":
        return _ok([])
    return _ok(RELEASES)


def gh_release_tag(m: re.Match, q: dict, h: dict) -> Answer:
    for release in RELEASES:
        if release["tag_name"] == m["t"] and not _gone(m):
            return _ok(release)
    return _missing()


def gh_tags(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    if m["r"] == "semver":
        return _ok([{"name": "1.9.0"}, {"name": "1.10.0"}, {"name": "2.0.0-beta.1"}])
    if m["r"] == "notags":
        return _ok([])
    return _ok([{"name": "3.1.0"}, {"name": "3.0.0"}])


def gh_languages(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    return _ok({"Python": 900000, "HTML": 60000, "Shell": 40000})


def gh_compare(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m) or m["base"] == "v0.0.0":
        return _missing()
    return _ok({"ahead_by": 123, "behind_by": 0, "total_commits": 123, "status": "ahead"})


def gh_contents(m: re.Match, q: dict, h: dict) -> Answer:
    files = {
        "go.mod": "module github.com/gin-gonic/gin\n\ngo 1.21\n\nrequire (\n)\n",
        "package.json": '{"name": "express", "version": "4.21.2"}',
    }
    text = files.get(m["f"])
    if _gone(m) or text is None:
        return _missing()
    encoded = base64.b64encode(text.encode()).decode()
    return _ok({"name": m["f"], "encoding": "base64", "content": encoded})


def gh_check_runs(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    runs = {
        "main": [("completed", "success"), ("completed", "skipped")],
        "broken": [("completed", "success"), ("completed", "failure")],
        "busy": [("in_progress", None)],
    }.get(m["ref"], [])
    body = [{"status": s, "conclusion": c} for s, c in runs]
    return _ok({"total_count": len(body), "check_runs": body})


def gh_deployments(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    if q.get("environment") == ["production"]:
        return _ok([{"id": 17, "environment": "production"}])
    return _ok([])


def gh_deployment_statuses(m: re.Match, q: dict, h: dict) -> Answer:
    return _ok([{"state": "success"}])


def gh_user(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    return _ok({"login": m["u"], "followers": 1234})


# -- npm ---------------------------------------------------------------------------------


def npm_tag(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing" or m["tag"] != "next":
        return _missing()
    return _ok({"name": m["n"], "version": "5.0.0-beta.3"})


def npm_year(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing":
        return 404, {"error": "package missing not found"}, {}
    return _ok({"downloads": 123456789, "package": m["n"]})


def npm_range(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing":
        return 404, {"error": "package missing not found"}, {}
    days = [{"day": f"2020-01-0{i}", "downloads": 1000 * i} for i in range(1, 6)]
    return _ok({"downloads": days, "package": m["n"]})


_REPO = r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)"

SHIELDS_ROUTES: list[tuple[str, Any]] = [
    (r"/github/search/issues", gh_search),
    (_REPO + r"/releases", gh_releases),
    (_REPO + r"/releases/tags/(?P<t>[^/]+)", gh_release_tag),
    (_REPO + r"/tags", gh_tags),
    (_REPO + r"/languages", gh_languages),
    (_REPO + r"/compare/(?P<base>.+)\.\.\.(?P<head>.+)", gh_compare),
    (_REPO + r"/contents/(?P<f>.+)", gh_contents),
    (_REPO + r"/commits/(?P<ref>[^/]+)/check-runs", gh_check_runs),
    (_REPO + r"/deployments", gh_deployments),
    (_REPO + r"/deployments/(?P<id>\d+)/statuses", gh_deployment_statuses),
    (r"/github/users/(?P<u>[^/]+)", gh_user),
    (r"/npm-registry/(?P<n>(?:@[^/]+%2[Ff])?[^/]+)/(?P<tag>[^/]+)", npm_tag),
    (r"/npm-api/downloads/point/last-year/(?P<n>.+)", npm_year),
    (r"/npm-api/downloads/range/[^/]+/(?P<n>.+)", npm_range),
]


def shields_config(url: str) -> dict[str, Any]:
    """The settings that point the shields routes' providers (and safe fetch) at the fake."""
    return {}
