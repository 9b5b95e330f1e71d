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
        "package.json": '{"name": "express", "version": "4.21.2", "dependencies": '
        '{"body-parser": "~1.20.3", "@babel/core": "^7.26.0"}, "devDependencies": '
        '{"mocha": "^10.7.3"}}',
        ".all-contributorsrc": '{"projectName": "x", "contributors": [{"login": "a"}, '
        '{"login": "b"}, {"login": "c"}, {"login": "d"}]}',
    }
    if m["f"] == "README.md" and not _gone(m):
        return _ok({"name": "README.md", "type": "file", "size": 4567, "content": ""})
    if m["f"] == "docs" and not _gone(m):
        return _ok([{"name": "index.md"}])
    text = files.get(m["f"])
    if text is None and m["f"].endswith(".json") and m["f"] != "missing.json":
        text = files["package.json"]  # any other JSON file a badge names (?filename=)
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


def gh_commit_status(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    state = {"main": "success", "broken": "failure"}.get(m["ref"], "pending")
    return _ok({"state": state, "total_count": 2, "statuses": []})


def gh_deployments(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    if q.get("environment") == ["production"]:
        return _ok([{"id": 17, "environment": "production"}])
    return _ok([])


def gh_deployment_statuses(m: re.Match, q: dict, h: dict) -> Answer:
    return _ok([{"state": "success"}])


def gh_user_repos(m: re.Match, q: dict, h: dict) -> Answer:
    if _gone(m):
        return _missing()
    page = int(q.get("page", ["1"])[0])
    stars = {1: [100, 23], 2: [1000]}.get(page, [])
    link = '<https://api.github.com/user/1/repos?per_page=100&page=2>; rel="last"'
    return _ok([{"stargazers_count": n} for n in stars], {"Link": link})


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
    (_REPO + r"/commits/(?P<ref>[^/]+)/status", gh_commit_status),
    (_REPO + r"/deployments", gh_deployments),
    (_REPO + r"/deployments/(?P<id>\d+)/statuses", gh_deployment_statuses),
    (r"/github/users/(?P<u>[^/]+)", gh_user),
    (r"/github/users/(?P<u>[^/]+)/repos", gh_user_repos),
    (r"/npm-registry/(?P<n>(?:@[^/]+%2[Ff])?[^/]+)/(?P<tag>[^/]+)", npm_tag),
    (r"/npm-api/downloads/point/last-year/(?P<n>.+)", npm_year),
    (r"/npm-api/downloads/range/[^/]+/(?P<n>.+)", npm_range),
]


# -- other registries and services ---------------------------------------------------------


def _name_missing(m: re.Match) -> bool:
    return any(v == "missing" or (v or "").startswith("missing") for v in m.groupdict().values())


def _json_or_missing(body: Any) -> Any:
    def handler(m: re.Match, q: dict, h: dict) -> Answer:
        return _missing() if _name_missing(m) else _ok(body(m, q) if callable(body) else body)

    return handler


def nuget_query(m: re.Match, q: dict, h: dict) -> Answer:
    package = q.get("q", [""])[0].removeprefix("packageid:")
    if package == "missing":
        return _ok({"totalHits": 0, "data": []})
    versions = [{"version": v} for v in ("12.0.1", "13.0.3", "13.0.4-beta1")]
    return _ok(
        {
            "totalHits": 1,
            "data": [
                {
                    "id": package,
                    "version": "13.0.3",
                    "versions": versions,
                    "totalDownloads": 4567890123,
                }
            ],
        }
    )


MAVEN_METADATA = (
    b'<?xml version="1.0" encoding="UTF-8"?><metadata><groupId>com.google.guava</groupId>'
    b"<artifactId>guava</artifactId><versioning><latest>33.3.1-jre</latest><versions>"
    b"<version>31.1-jre</version><version>32.1.3-jre</version><version>33.3.1-jre</version>"
    b"</versions></versioning></metadata>"
)


def maven(m: re.Match, q: dict, h: dict) -> Answer:
    return _missing() if "missing" in m.group(0) else _ok(MAVEN_METADATA)


def codecov_totals(m: re.Match, q: dict, h: dict) -> Answer:
    if _name_missing(m):
        return _missing()
    coverage = 75.5 if q.get("flag") == ["unit"] else 91.23
    if q.get("branch") == ["low"]:
        coverage = 42.0
    return _ok({"totals": {"coverage": coverage, "lines": 1000}})


def circleci_builds(m: re.Match, q: dict, h: dict) -> Answer:
    if _name_missing(m):
        return _missing()
    status = "failed" if m.groupdict().get("b") == "broken" else "success"
    return _ok([{"status": status, "build_num": 7}])


def rtd_badge(m: re.Match, q: dict, h: dict) -> Answer:
    if m["p"] == "missing":
        return _ok("unknown")
    return _ok("failing" if q.get("version") == ["broken"] else "passing")


def discord_widget(m: re.Match, q: dict, h: dict) -> Answer:
    if m["id"] == "1":
        return 403, {"message": "Widget Disabled", "code": 50004}, {}
    if m["id"] == "2":
        return _missing()
    return _ok({"id": m["id"], "name": "server", "presence_count": 1234})


def docker_tags(m: re.Match, q: dict, h: dict) -> Answer:
    if _name_missing(m):
        return _missing()
    results = [
        {"name": "latest", "digest": "sha256:a", "full_size": 70000000},
        {"name": "1.27.3", "digest": "sha256:a", "full_size": 70000000},
        {"name": "1.9.0", "digest": "sha256:b", "full_size": 60000000},
    ]
    return _ok({"count": len(results), "results": results})


def docker_tag(m: re.Match, q: dict, h: dict) -> Answer:
    if _name_missing(m) or m["t"] == "nosuchtag":
        return _missing()
    return _ok({"name": m["t"], "full_size": 72345678})


def pypi_pinned(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing" or m["v"] == "0.0.0":
        return _missing()
    info = {"name": m["n"], "version": m["v"], "license": "BSD-3-Clause", "classifiers": []}
    return _ok({"info": info, "urls": []})


SHIELDS_ROUTES += [
    (r"/pypi-org/pypi/(?P<n>[^/]+)/(?P<v>[^/]+)/json", pypi_pinned),
    (r"/nuget/query", nuget_query),
    (r"/rubygems/api/v1/gems/(?P<n>[^/]+)\.json",
     _json_or_missing({"version": "7.1.3", "downloads": 456789012, "version_downloads": 1234567})),
    (r"/rubygems/api/v1/versions/(?P<n>[^/]+)\.json",
     _json_or_missing([{"number": "7.1.0", "downloads_count": 98765}])),
    (r"/bestgems/api/v1/gems/(?P<n>[^/]+)/total_ranking\.json",
     _json_or_missing([{"date": "2024-01-01", "total_ranking": 42}])),
    (r"/bestgems/api/v1/gems/(?P<n>[^/]+)/daily_ranking\.json",
     _json_or_missing([{"date": "2024-01-01", "daily_ranking": 3}])),
    (r"/crates/api/v1/crates/(?P<n>[^/]+)",
     _json_or_missing({"crate": {"max_version": "1.0.215", "max_stable_version": "1.0.215",
                                 "downloads": 345678901},
                       "versions": [{"num": "1.0.215", "license": "MIT OR Apache-2.0"}]})),
    (r"/packagist-repo/p2/(?P<v>[^/]+)/(?P<n>[^/]+)\.json",
     _json_or_missing(lambda m, q: {"packages": {f"{m['v']}/{m['n']}": [
         {"version": "v11.0.0-RC1"},
         {"version": "v10.48.0", "license": ["MIT"], "require": {"php": "^8.1"}},
     ]}})),
    (r"/packagist/packages/(?P<v>[^/]+)/(?P<n>[^/]+)\.json",
     _json_or_missing({"package": {"downloads": {"total": 456789012, "monthly": 12345678,
                                                 "daily": 456789}}})),
    (r"/pub/api/packages/(?P<n>[^/]+)", _json_or_missing({"latest": {"version": "1.2.2"}})),
    (r"/homebrew/api/formula/(?P<n>[^/]+)\.json",
     _json_or_missing({"versions": {"stable": "1.25.0"}})),
    (r"/anaconda/package/(?P<c>[^/]+)/(?P<n>[^/]+)",
     _json_or_missing({"latest_version": "2.1.3",
                       "files": [{"ndownloads": 1000}, {"ndownloads": 2345}]})),
    (r"/maven/.+/maven-metadata\.xml", maven),
    (r"/codecov/api/v2/(?P<s>[^/]+)/(?P<o>[^/]+)/repos/(?P<r>[^/]+)/totals/", codecov_totals),
    (r"/coveralls/(?P<s>[^/]+)/(?P<o>[^/]+)/(?P<r>[^/]+)\.json",
     _json_or_missing({"covered_percent": 88.8})),
    (r"/circleci/api/v1\.1/project/(?P<s>[^/]+)/(?P<o>[^/]+)/(?P<r>[^/]+)", circleci_builds),
    (r"/circleci/api/v1\.1/project/(?P<s>[^/]+)/(?P<o>[^/]+)/(?P<r>[^/]+)/tree/(?P<b>.+)",
     circleci_builds),
    (r"/rtd/projects/(?P<p>[^/]+)/badge/", rtd_badge),
    (r"/discord/guilds/(?P<id>[^/]+)/widget\.json", discord_widget),
    (r"/librariesio/api/github/(?P<o>[^/]+)/(?P<r>[^/]+)/dependencies",
     _json_or_missing({"dependencies": [{"name": "a", "outdated": True},
                                        {"name": "b", "outdated": False}]})),
    (r"/librariesio/api/(?P<platform>[^/]+)/(?P<n>[^/]+)",
     _json_or_missing({"dependents_count": 12345, "dependent_repos_count": 678, "rank": 27})),
    (r"/docker/v2/repositories/(?P<ns>[^/]+)/(?P<n>[^/]+)/tags", docker_tags),
    (r"/docker/v2/repositories/(?P<ns>[^/]+)/(?P<n>[^/]+)/tags/(?P<t>[^/]+)", docker_tag),
    (r"/gitlab/api/v4/projects/(?P<id>[^/]+)/releases",
     _json_or_missing([{"tag_name": "v17.6.0-rc1"}, {"tag_name": "v17.5.2"}])),
]  # fmt: skip


def aur_rpc(m: re.Match, q: dict, h: dict) -> Answer:
    name = q.get("arg", [""])[0]
    if name == "missing":
        return _ok({"resultcount": 0, "results": [], "type": "multiinfo", "version": 5})
    info = {
        "Name": name,
        "Version": "12.4.2-1",
        "NumVotes": 2345,
        "OutOfDate": 1700000000 if name == "stale" else None,
    }
    return _ok({"resultcount": 1, "results": [info], "type": "multiinfo", "version": 5})


def bundlephobia_size(m: re.Match, q: dict, h: dict) -> Answer:
    package = q.get("package", [""])[0]
    if package.startswith("missing"):
        return 404, {"error": {"code": "PackageNotFoundError"}}, {}
    return _ok({"name": package, "size": 6402, "gzip": 2584})


def appveyor_project(m: re.Match, q: dict, h: dict) -> Answer:
    if _name_missing(m):
        return _missing()
    status = "failed" if m.groupdict().get("b") == "broken" else "success"
    return _ok({"project": {"name": m["r"]}, "build": {"status": status}})


SHIELDS_ROUTES += [
    (r"/aur/rpc/", aur_rpc),
    (r"/cocoapods/api/v1/pods/(?P<n>[^/]+)/specs/latest",
     _json_or_missing({"version": "5.10.2", "license": {"type": "MIT"},
                       "platforms": {"ios": "10.0", "osx": "10.12", "tvos": "10.0"}})),
    (r"/hexpm/api/packages/(?P<n>[^/]+)",
     _json_or_missing({"latest_stable_version": "1.7.14", "latest_version": "1.8.0-rc.1",
                       "downloads": {"all": 98765432}, "meta": {"licenses": ["MIT"]}})),
    (r"/bundlephobia/api/size", bundlephobia_size),
    (r"/appveyor/api/projects/(?P<o>[^/]+)/(?P<r>[^/]+)", appveyor_project),
    (r"/appveyor/api/projects/(?P<o>[^/]+)/(?P<r>[^/]+)/branch/(?P<b>.+)", appveyor_project),
]  # fmt: skip


def codacy_badge(m: re.Match, q: dict, h: dict) -> Answer:
    if m["id"] == "missing":
        return _missing()
    value = ("B" if q.get("branch") == ["dev"] else "A") if m["kind"] == "grade" else "87%"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20"><g>'
        f'<text x="5" y="14">{m["kind"]}</text><text x="60" y="14">{value}</text></g></svg>'
    )
    return _ok(svg.encode())


def jsdelivr_stats(m: re.Match, q: dict, h: dict) -> Answer:
    if "missing" in m["n"]:
        return _missing()
    hits = {"day": 4567890, "week": 30000000, "month": 123456789, "year": 1500000000}
    return _ok({"hits": {"rank": 12, "total": hits[q.get("period", ["month"])[0]]}})


SHIELDS_ROUTES += [(r"/jsdelivr/v1/stats/packages/(?:npm|gh)/(?P<n>.+)", jsdelivr_stats)]
SHIELDS_ROUTES += [(r"/codacy/project/badge/(?P<kind>grade|coverage)/(?P<id>[^/]+)", codacy_badge)]


def shields_config(url: str) -> dict[str, Any]:
    """The settings that point the shields routes' providers at the fake."""
    return {
        "NUGET_SEARCH_URL": f"{url}/nuget",
        "RUBYGEMS_URL": f"{url}/rubygems",
        "BESTGEMS_URL": f"{url}/bestgems",
        "CRATES_URL": f"{url}/crates",
        "PACKAGIST_URL": f"{url}/packagist",
        "PACKAGIST_REPO_URL": f"{url}/packagist-repo",
        "PUB_URL": f"{url}/pub",
        "HOMEBREW_URL": f"{url}/homebrew",
        "ANACONDA_URL": f"{url}/anaconda",
        "MAVEN_CENTRAL_URL": f"{url}/maven",
        "CODECOV_URL": f"{url}/codecov",
        "COVERALLS_URL": f"{url}/coveralls",
        "CIRCLECI_URL": f"{url}/circleci",
        "READTHEDOCS_URL": f"{url}/rtd",
        "DISCORD_API_URL": f"{url}/discord",
        "LIBRARIESIO_URL": f"{url}/librariesio",
        "LIBRARIESIO_API_KEY": "lio-key",
        "AUR_URL": f"{url}/aur",
        "COCOAPODS_URL": f"{url}/cocoapods",
        "HEXPM_URL": f"{url}/hexpm",
        "BUNDLEPHOBIA_URL": f"{url}/bundlephobia",
        "APPVEYOR_URL": f"{url}/appveyor",
        "CODACY_URL": f"{url}/codacy",
        "JSDELIVR_URL": f"{url}/jsdelivr",
    }
