"""Shields' GitHub routes against the fake GitHub API: label, message and colour as shields draws
them for the same upstream answer, and shields' error wording."""

from __future__ import annotations

import re
import uuid

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import serve_fake

from badgeapp.render.colors import to_svg_color


@pytest.fixture(scope="module")
def fake():
    with serve_fake() as server:
        yield server


@pytest.fixture(scope="module")
def client(make_module_app, fake):
    app = make_module_app(
        **fake.config(),
        REDIS_PREFIX=f"shields-{uuid.uuid4().hex[:8]}:",
        UPSTREAM_CONNECT_TIMEOUT=1.0,
        UPSTREAM_READ_TIMEOUT=1.0,
    )
    return app.test_client()


def badge(client, path: str) -> tuple[str, str, str, int]:
    """(label, message, colour, status) of the SVG badge at ``path``."""
    response = client.get(path)
    assert response.mimetype == "image/svg+xml", (path, response.data[:200])
    root = SafeET.fromstring(response.data)
    aria = root.get("aria-label")
    label, sep, message = aria.partition(": ")
    if not sep:
        label, message = "", aria
    fills = [
        el.get("fill")
        for el in root.iter()
        if el.tag.endswith("rect") and el.get("fill", "").startswith("#")
    ]
    return label, message, fills[-1], response.status_code


def color(name: str) -> str:
    return to_svg_color(name)


CASES = [
    ("/github/license/pallets/flask", "license", "BSD-3-Clause", "green"),
    ("/github/license/empty/repo", "license", "not specified", "lightgrey"),
    ("/github/stars/pallets/flask", "stars", "12k", "blue"),
    ("/github/stars/pallets/flask.svg", "stars", "12k", "blue"),
    ("/github/forks/pallets/flask", "forks", "2.3k", "blue"),
    ("/github/watchers/pallets/flask", "watchers", "321", "blue"),
    ("/github/followers/pallets", "followers", "1.2k", "blue"),
    ("/github/stars/pallets", "stars", "1.1k", "blue"),
    ("/github/issues/pallets/flask", "issues", "40 open", "yellow"),
    ("/github/issues-raw/pallets/flask", "open issues", "40", "yellow"),
    ("/github/issues-closed/pallets/flask", "issues", "1.2k closed", "yellow"),
    ("/github/issues-closed-raw/pallets/flask", "closed issues", "1.2k", "yellow"),
    ("/github/issues-pr/pallets/flask", "pull requests", "17 open", "yellow"),
    ("/github/issues-pr-raw/pallets/flask", "open pull requests", "17", "yellow"),
    ("/github/issues-pr-closed/pallets/flask", "pull requests", "2.3k closed", "yellow"),
    ("/github/issues-pr-closed-raw/pallets/flask", "closed pull requests", "2.3k", "yellow"),
    ("/github/issues/pallets/flask/bug", "bug issues", "7 open", "yellow"),
    ("/github/issues-raw/pallets/flask/bug", "open bug issues", "7", "yellow"),
    (
        "/github/issues/pallets/flask/good%20first%20issue",
        '"good first issue" issues',
        "0 open",
        "brightgreen",
    ),
    (
        "/github/actions/workflow/status/pallets/flask/tests.yml",
        "build",
        "passing",
        "brightgreen",
    ),
    (
        "/github/actions/workflow/status/pallets/flask/nightly.yml?branch=main&event=push",
        "build",
        "failing",
        "red",
    ),
    ("/github/v/release/pallets/flask", "release", "v3.1.0", "blue"),
    (
        "/github/v/release/pallets/flask?include_prereleases",
        "release",
        "v3.2.0rc1",
        "orange",
    ),
    (
        "/github/v/release/pallets/flask?display_name=release",
        "release",
        "Flask 3.1.0",
        "blue",
    ),
    ("/github/v/release/pallets/flask?sort=semver", "release", "v3.1.0", "blue"),
    ("/github/v/release/pallets/flask?filter=3.0*", "release", "v3.0.0", "blue"),
    ("/github/v/release/pallets/flask?filter=!3.1*", "release", "v3.0.0", "blue"),
    ("/github/v/tag/some/semver?filter=1.9*", "tag", "v1.9.0", "blue"),
    ("/github/release/pallets/flask", "release", "v3.1.0", "blue"),
    ("/github/release/pallets/flask/all", "release", "v3.2.0rc1", "orange"),
    ("/github/v/tag/pallets/flask", "tag", "v3.1.0", "blue"),
    ("/github/v/tag/some/semver", "tag", "v1.9.0", "blue"),
    ("/github/v/tag/some/semver?sort=semver", "tag", "v1.10.0", "blue"),
    ("/github/tag/some/semver", "tag", "v1.10.0", "blue"),
    ("/github/downloads/pallets/flask/total", "downloads", "12k", "brightgreen"),
    ("/github/downloads/pallets/flask/latest/total", "downloads@latest", "2k", "brightgreen"),
    (
        "/github/downloads/pallets/flask/latest/flask.whl",
        "downloads@latest",
        "1.5k [flask.whl]",
        "brightgreen",
    ),
    ("/github/downloads-pre/pallets/flask/latest/total", "downloads@latest", "5", "yellow"),
    ("/github/downloads/pallets/flask/3.0.0/total", "downloads@3.0.0", "10k", "brightgreen"),
    ("/github/contributors/pallets/flask", "contributors", "789", "brightgreen"),
    ("/github/contributors-anon/pallets/flask", "contributors", "789", "brightgreen"),
    ("/github/contributors/small/repo", "contributors", "1", "red"),
    ("/github/repo-size/pallets/flask", "repo size", "46.8 MB", "blue"),
    ("/github/languages/top/pallets/flask", "python", "90.0%", "blue"),
    ("/github/languages/count/pallets/flask", "languages", "3", "blue"),
    ("/github/languages/code-size/pallets/flask", "code size", "1 MB", "blue"),
    ("/github/commit-activity/y/pallets/flask", "commit activity", "42/year", "blue"),
    ("/github/commit-activity/m/pallets/flask", "commit activity", "42/month", "blue"),
    ("/github/commit-activity/4w/pallets/flask", "commit activity", "42/four weeks", "blue"),
    ("/github/commit-activity/w/pallets/flask/main", "commit activity", "42/week", "blue"),
    ("/github/commits-since/pallets/flask/3.0.0", "commits since 3.0.0", "123", "blue"),
    ("/github/commits-since/pallets/flask/latest", "commits since 3.1.0", "123", "blue"),
    ("/github/commits-since/pallets/flask/3.0.0/main", "commits since 3.0.0", "123", "blue"),
    ("/github/go-mod/go-version/gin-gonic/gin", "Go", "v1.21", "blue"),
    ("/github/package-json/v/expressjs/express", "version", "v4.21.2", "blue"),
    ("/github/check-runs/pallets/flask/main", "checks", "passing", "brightgreen"),
    ("/github/check-runs/pallets/flask/broken", "checks", "failing", "red"),
    ("/github/deployments/pallets/flask/production", "state", "success", "brightgreen"),
    ("/github/size/pallets/flask/README.md", "size", "4.57 kB", "blue"),
    ("/github/created-at/pallets/flask", "created at", "april 2010", "brightgreen"),
    ("/github/all-contributors/pallets/flask", "all contributors", "4", "brightgreen"),
    (
        "/github/package-json/dependency-version/expressjs/express/body-parser",
        "body-parser",
        "~1.20.3",
        "blue",
    ),
    (
        "/github/package-json/dependency-version/expressjs/express/dev/mocha",
        "mocha",
        "^10.7.3",
        "blue",
    ),
    (
        "/github/package-json/dependency-version/expressjs/express/@babel/core",
        "@babel/core",
        "^7.26.0",
        "blue",
    ),
    ("/github/checks-status/pallets/flask/main", "checks", "success", "brightgreen"),
    ("/github/checks-status/pallets/flask/broken", "checks", "failure", "red"),
    ("/github/checks-status/pallets/flask/v1.0", "checks", "pending", "lightgrey"),
]


@pytest.mark.parametrize(("path", "label", "message", "colour"), CASES)
def test_route_draws_shields_label_message_colour(client, path, label, message, colour):
    assert badge(client, path) == (label, message, color(colour), 200)


def test_dates_use_shields_calendar_wording_and_age_colours(client):
    label, message, fill, _ = badge(client, "/github/last-commit/pallets/flask")
    assert label == "last commit"
    assert re.fullmatch(r"last (monday|tuesday|wednesday|thursday|friday|saturday|sunday)", message)
    assert fill == color("brightgreen")
    label, message, fill, _ = badge(client, "/github/last-commit/pallets/flask/old")
    assert fill == color("orange") and re.fullmatch(r"[a-z]+( \d{4})?", message)
    label, message, fill, _ = badge(client, "/github/release-date/pallets/flask")
    assert label == "release date" and fill == color("green")
    assert re.fullmatch(r"[a-z]+( \d{4})?", message)
    assert badge(client, "/github/release-date-pre/pallets/flask")[2] == color("brightgreen")


ERRORS = [
    ("/github/stars/missing/repo", "stars", "repo not found", "red"),
    ("/github/license/missing/repo", "license", "repo not found", "red"),
    ("/github/issues/missing/repo", "issues", "repo not found", "red"),
    ("/github/issues-pr-raw/missing/repo", "issues", "repo not found", "red"),
    (
        "/github/actions/workflow/status/pallets/flask/missing.yml",
        "build",
        "repo or workflow not found",
        "red",
    ),
    ("/github/v/release/missing/repo", "release", "no releases or repo not found", "red"),
    (
        "/github/v/release/some/norelease?include_prereleases",
        "release",
        "no releases or repo not found",
        "red",
    ),
    ("/github/v/tag/some/notags", "tag", "no tags found", "red"),
    ("/github/downloads/pallets/flask/v9/total", "downloads", "repo or release not found", "red"),
    ("/github/last-commit/missing/repo", "last commit", "repo not found", "red"),
    ("/github/followers/missing", "followers", "user not found", "red"),
    (
        "/github/commits-since/pallets/flask/v0.0.0",
        "commits since",
        "repo or version not found",
        "red",
    ),
    (
        "/github/go-mod/go-version/missing/repo",
        "Go",
        "repo not found, branch not found, or go.mod missing",
        "red",
    ),
    ("/github/deployments/pallets/flask/staging", "state", "environment not found", "red"),
    ("/github/size/pallets/flask/docs", "size", "not a regular file", "red"),
    (
        "/github/package-json/dependency-version/expressjs/express/nothere",
        "dependency",
        "dependency not found",
        "red",
    ),
    ("/github/size/missing/repo/README.md", "size", "repo or file not found", "red"),
    ("/github/workflow/status/pallets/flask/Tests", "build", "no longer available", "lightgrey"),
]


@pytest.mark.parametrize(("path", "label", "message", "colour"), ERRORS)
def test_errors_use_shields_wording(client, path, label, message, colour):
    assert badge(client, path) == (label, message, color(colour), 200)


def test_upstream_down_is_inaccessible(client, fake):
    fake.fail(r"/github/repos/down/repo$", status=500)
    try:
        assert badge(client, "/github/stars/down/repo")[1:3] == ("inaccessible", color("lightgrey"))
    finally:
        fake.heal()


def test_unknown_github_route_is_shields_404(client):
    response = client.get("/github/no-such-badge/pallets/flask")
    assert response.status_code == 404
    assert b"badge not found" in response.data


def test_global_parameters_apply(client):
    path = "/github/stars/pallets/flask?label=Stars&color=ff69b4&labelColor=333&style=flat-square"
    label, message, fill, _ = badge(client, path)
    assert (label, message, fill) == ("Stars", "12k", "#ff69b4")
    assert badge(client, "/github/stars/pallets/flask?colorB=red&colorA=green")[2] == color("red")
    assert badge(client, "/github/stars/pallets/flask?label=")[0] == ""
    response = client.get("/github/stars/pallets/flask?cacheSeconds=7200")
    assert "max-age=7200" in response.headers["Cache-Control"]
    response = client.get("/github/stars/pallets/flask?maxAge=3600")
    assert "max-age=3600" in response.headers["Cache-Control"]
    response = client.get("/github/stars/pallets/flask")
    assert "max-age=900" in response.headers["Cache-Control"]  # shields' social category


def test_formats_by_suffix(client):
    json_answer = client.get("/github/stars/pallets/flask.json").get_json()
    assert json_answer["label"] == "stars" and json_answer["message"] == "12k"
    png = client.get("/github/stars/pallets/flask.png")
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"


def test_social_style_shows_the_github_logo_only_in_social(client):
    social = client.get("/github/stars/pallets/flask?style=social").data
    flat = client.get("/github/stars/pallets/flask").data
    assert b"<image" in social and b"<image" not in flat
    assert b'aria-label="Stars: 12k"' in social


def test_v2_paths_reach_the_same_metrics(client):
    label, message, _, status = badge(client, "/v2/badge/github/pallets/flask/issue_count")
    assert (label, message, status) == ("issues", "40", 200)


@pytest.mark.parametrize(
    "path",
    [
        "/github/package-json/v/pallets/flask?filename=../../../user",
        "/github/go-mod/go-version/pallets/flask?filename=..%2F..%2Fuser",
        "/github/actions/workflow/status/pallets/flask/..",
        "/github/downloads/pallets/flask/../total",
        "/github/check-runs/pallets/flask/..%2F..%2F..%2Fuser",
        "/github/last-commit/pallets/flask/../../x",
    ],
)
def test_dot_segments_never_reach_other_api_paths(client, fake, path):
    fake.reset_counts()
    _label, message, _, status = badge(client, path)
    assert status in (200, 404)
    assert message in ("invalid parameter", "badge not found")
    assert fake.count(r"/github/user$") == 0 and fake.count(r"/github/users?/") == 0


def test_open_counts_use_the_core_api_and_closed_ones_the_search_api(client, fake):
    fake.reset_counts()
    badge(client, "/github/issues/core/counts")
    assert fake.count(r"/search/issues") == 0 and fake.count(r"/repos/core/counts/pulls") == 1
    badge(client, "/github/issues-closed/core/counts")
    assert fake.count(r"/search/issues") == 1
