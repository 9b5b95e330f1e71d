"""``/v2/badge/<provider>/...`` through the Flask test client, against the fake upstream."""

from __future__ import annotations

import uuid
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import FakeUpstream

from badgeapp.render.colors import to_svg_color


@pytest.fixture
def app_config(app_config: dict, fake_upstream: FakeUpstream) -> dict:
    """The root app config pointed at the fake upstream, with a private upstream cache."""
    return {
        **app_config,
        **fake_upstream.config(),
        "REDIS_PREFIX": f"test-{uuid.uuid4().hex[:10]}:",
        "UPSTREAM_CONNECT_TIMEOUT": 0.5,
        "UPSTREAM_READ_TIMEOUT": 0.5,
        "UPSTREAM_BACKOFF": 0.05,
    }


def svg_text(response) -> str:
    root = SafeET.fromstring(response.data)
    return root.get("aria-label")


@pytest.mark.parametrize(
    ("url", "aria"),
    [
        ("/v2/badge/github/pallets/flask/stars", "stars: 12k"),
        ("/v2/badge/github/pallets/flask/forks", "forks: 2.3k"),
        ("/v2/badge/github/pallets/flask/watchers", "watchers: 321"),
        ("/v2/badge/github/pallets/flask/open_issues", "open issues: 40"),
        ("/v2/badge/github/pallets/flask/open_prs", "open PRs: 17"),
        ("/v2/badge/github/pallets/flask/last_commit", "last commit: 3 days ago"),
        ("/v2/badge/github/pallets/flask/contributors", "contributors: 789"),
        ("/v2/badge/github/pallets/flask/size", "repo size: 46.8 MB"),
        ("/v2/badge/github/pallets/flask/release", "release: v3.1.0"),
        ("/v2/badge/github/pallets/flask/license", "license: BSD-3-Clause"),
        ("/v2/badge/github/pallets/flask/ci_status", "build: passing"),
        ("/v2/badge/github/pallets/flask/ci_status?workflow=nightly.yml", "build: failing"),
        ("/v2/badge/github/pallets/flask/commit_frequency", "commit activity: 10/week"),
        ("/v2/badge/github/pallets/flask/activity_rank", "activity rank: A+"),
        ("/v2/badge/gitlab/gitlab-org/gitlab/pipeline", "pipeline: passing"),
        ("/v2/badge/bitbucket/atlassian/python-bitbucket/pipeline", "pipeline: failing"),
        ("/v2/badge/dockerhub/library/nginx/pulls", "docker pulls: 1.2G"),
        ("/v2/badge/pypi/flask/version", "pypi: v3.1.0"),
        ("/v2/badge/pypi/flask/downloads_month", "downloads: 35M/month"),
        ("/v2/badge/npm/@babel/core/version", "npm: v7.26.0"),
        ("/v2/badge/npm/left-pad/downloads_week", "downloads: 3.5M/week"),
        ("/v2/badge/youtube/UC_x5XG1OV2P6uZZ5FSM9Ttw/subscribers", "subscribers: 1.2M"),
        ("/v2/badge/twitter/jack/followers", "followers: 6.5M"),
    ],
)
def test_provider_badges(client, url, aria):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == "image/svg+xml;charset=utf-8"
    assert svg_text(response) == aria
    assert "X-Badge-Stale" not in response.headers


def test_engine_parameters_apply(client):
    response = client.get(
        "/v2/badge/github/pallets/flask/stars?label=GitHub%20stars&color=ff69b4&style=for-the-badge"
    )
    assert svg_text(response) == "GITHUB STARS: 12K"
    assert b"#ff69b4" in response.data


def test_suffix_format_and_json_document(client):
    doc = client.get("/v2/badge/github/pallets/flask/stars.json").get_json()
    assert set(doc) == {
        "provider",
        "subject",
        "metric",
        "value",
        "display",
        "color",
        "fetched_at",
        "stale",
    }
    assert doc["provider"] == "github"
    assert doc["subject"] == "pallets/flask"
    assert (doc["metric"], doc["value"], doc["display"], doc["color"]) == (
        "stars",
        12345,
        "12k",
        "blue",
    )
    assert doc["stale"] is False
    same = client.get("/v2/badge/github/pallets/flask/stars?format=json").get_json()
    assert same == doc


def test_png_format(client):
    response = client.get("/v2/badge/pypi/flask/version.png")
    assert response.status_code == 200
    assert response.data.startswith(b"\x89PNG")


def test_cache_headers_follow_the_value(client):
    response = client.get("/v2/badge/github/pallets/flask/stars")
    assert "max-age=900" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    again = client.get(
        "/v2/badge/github/pallets/flask/stars", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    raised = client.get("/v2/badge/github/pallets/flask/stars?cacheSeconds=3600")
    assert "max-age=3600" in raised.headers["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/v2/badge/nope/a/b/stars",
        "/v2/badge/github/pallets/flask/nope",
        "/v2/badge/github/pallets/stars",
        "/v2/badge/pypi/flask/stars.svg",
    ],
)
def test_unknown_provider_or_metric_is_badge_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert svg_text(response) == "404: badge not found"


def test_missing_repository(client):
    response = client.get("/v2/badge/github/missing/repo/stars")
    assert response.status_code == 200
    assert svg_text(response) == "stars: repo not found"
    doc = client.get("/v2/badge/github/missing/repo/stars.json")
    assert doc.status_code == 404
    assert doc.get_json()["message"] == "repo not found"


def test_provider_without_its_key_is_improperly_configured(app, client):
    app.config["YOUTUBE_API_KEY"] = None
    response = client.get("/v2/badge/youtube/UC_x5XG1OV2P6uZZ5FSM9Ttw/views")
    assert svg_text(response) == "views: improperly configured"


def test_stale_value_is_served_with_the_header(app, client, fake_upstream):
    app.config["UPSTREAM_FRESH_SECONDS"] = 0  # revalidate on every view
    first = client.get("/v2/badge/github/pallets/flask/forks")
    assert svg_text(first) == "forks: 2.3k"
    fake_upstream.fail("/github/", status=500)
    # the first URL is answered by the hot path for its lifetime (as a CDN would); another
    # URL of the same value goes to the provider, which revalidates, fails, and serves stale
    assert client.get("/v2/badge/github/pallets/flask/forks").data == first.data
    stale = client.get("/v2/badge/github/pallets/flask/forks?style=flat")
    assert svg_text(stale) == "forks: 2.3k"
    assert stale.headers["X-Badge-Stale"] == "1"
    assert "max-age=60" in stale.headers["Cache-Control"]
    doc = client.get("/v2/badge/github/pallets/flask/forks.json").get_json()
    assert doc["stale"] is True


def test_no_value_and_upstream_down_is_a_grey_inaccessible_badge(client, fake_upstream):
    fake_upstream.fail("/github/", status=500)
    response = client.get("/v2/badge/github/pallets/flask/stars")
    assert response.status_code == 200
    assert svg_text(response) == "stars: inaccessible"
    assert to_svg_color("lightgrey").encode() in response.data


def test_slow_upstream_answers_within_the_budget(client, fake_upstream):
    import time

    fake_upstream.fail("/github/", delay=5)
    started = time.monotonic()
    response = client.get("/v2/badge/github/pallets/flask/stars")
    assert svg_text(response) == "stars: inaccessible"
    assert time.monotonic() - started < 0.5 + 0.5 + 0.05 + 0.5


def test_100_concurrent_cold_views_make_one_upstream_call(app, fake_upstream):
    from concurrent.futures import ThreadPoolExecutor

    fake_upstream.latency = 0.3

    def view(_):
        with app.test_client() as c:
            return svg_text(c.get("/v2/badge/github/pallets/flask/watchers"))

    with ThreadPoolExecutor(100) as pool:
        labels = list(pool.map(view, range(100)))
    assert labels == ["watchers: 321"] * 100
    assert fake_upstream.count("/github/") == 1


def test_configured_tokens_rotate_on_rate_limit(app, client, fake_upstream):
    app.config["GITHUB_TOKEN"] = "tok-one"
    app.config["GITHUB_TOKENS"] = ["tok-two"]
    fake_upstream.quota["tok-one"] = 0
    assert svg_text(client.get("/v2/badge/github/pallets/flask/stars")) == "stars: 12k"
    assert [(r["token"], r["status"]) for r in fake_upstream.requests] == [
        ("tok-one", 403),
        ("tok-two", 200),
    ]
    assert fake_upstream.requests[-1]["headers"]["authorization"] == "Bearer tok-two"


def test_any_registered_provider_is_served_generically(app_config):
    """A third-party provider from a plugin's hook gets the same route, split by subject_parts."""
    from badgeapp import create_app

    (Path(app_config["BADGEAPP_PLUGINS_DIR"]) / "answer.py").write_text(
        "from badgeapp.hookspecs import hookimpl\n"
        "from badgeapp.providers.base import Value\n\n"
        "class Answer:\n"
        "    name = 'answer'\n"
        "    subject_parts = 3\n"
        "    metrics = {'value': 'the answer'}\n\n"
        "    def resolve(self, subject, metric, ctx):\n"
        "        return Value(raw=42, display='/'.join(subject), color='green')\n\n"
        "@hookimpl\n"
        "def badgeapp_providers():\n"
        "    return [Answer()]\n"
    )
    client = create_app(app_config).test_client()
    assert svg_text(client.get("/v2/badge/answer/a/b/c/value")) == "value: a/b/c"
    assert client.get("/v2/badge/answer/a/b/value").status_code == 404
    doc = client.get("/v2/badge/answer/a/b/c/value.json").get_json()
    assert (doc["subject"], doc["value"], doc["color"]) == ("a/b/c", 42, "green")


@pytest.mark.parametrize("how", ["query", "header"])
def test_a_users_own_token_is_used_privately(app, client, fake_upstream, how):
    app.config["GITHUB_TOKEN"] = "server-token"
    url = "/v2/badge/github/pallets/flask/forks"
    if how == "query":
        response = client.get(url + "?token=user-token")
    else:
        response = client.get(url, headers={"Authorization": "Bearer user-token"})
    assert svg_text(response) == "forks: 2.3k"
    assert response.headers["Cache-Control"].startswith("private")
    assert fake_upstream.requests[-1]["token"] == "user-token"
    assert all("user-token" not in v for v in response.headers.values())
    # the user's cached answer is not served to anyone else: a plain view makes its own call
    client.get(url)
    assert [r["token"] for r in fake_upstream.requests] == ["user-token", "server-token"]
    assert svg_text(client.get(url + "?token=bad%20token")) == "forks: invalid parameter"


def test_builtin_providers_come_through_the_providers_hook(app):
    from badgeapp.plugins import get_registry

    by_plugin = get_registry(app).providers_by_plugin()
    for name in ("github", "gitlab", "bitbucket", "dockerhub", "pypi", "npm", "youtube", "twitter"):
        assert [p.name for p in by_plugin[f"badgeapp.providers.{name}"]] == [name]
    github = get_registry(app).providers()["github"]
    assert github.subject_parts == 2
    assert "activity_rank" in github.metrics
