"""Shields' GitHub routes GitHub serves only over GraphQL (discussions, sponsors), against the
fake GitHub whose GraphQL endpoint validates the queries with graphql-core: shields' label,
message and colour, its not-found wording, and what a server without usable tokens draws."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import serve_fake

from badgeapp.render.colors import to_svg_color
from badgeapp.shields import github

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
TOKEN = "ghp_shieldsgraphql000000000000000000000000"


@pytest.fixture(scope="module")
def fake():
    with serve_fake() as server:
        yield server


def make_client(make_module_app, fake, **config):
    app = make_module_app(
        **fake.config(),
        REDIS_PREFIX=f"shields-gql-{uuid.uuid4().hex[:8]}:",
        UPSTREAM_CONNECT_TIMEOUT=1.0,
        UPSTREAM_READ_TIMEOUT=1.0,
        **config,
    )
    return app.test_client()


@pytest.fixture(scope="module")
def client(make_module_app, fake):
    return make_client(make_module_app, fake, GITHUB_TOKENS=TOKEN)


def badge(client, path: str) -> tuple[str, str, str, int]:
    """(label, message, fill of the message, status) of the SVG badge at ``path``."""
    response = client.get(path)
    assert response.mimetype == "image/svg+xml", (path, response.data[:200])
    root = SafeET.fromstring(response.data)
    label, _, message = root.get("aria-label").partition(": ")
    fills = [
        el.get("fill")
        for el in root.iter()
        if el.tag.endswith("rect") and el.get("fill", "").startswith("#")
    ]
    return label, message, fills[-1], response.status_code


BLUE, RED = to_svg_color("blue"), to_svg_color("red")


@pytest.mark.parametrize(
    ("path", "label", "message"),
    [
        ("/github/discussions/vercel/next.js", "discussions", "6000 total"),  # README example
        ("/github/discussions/pallets/flask", "discussions", "412 total"),
        ("/github/discussions/octocat/hello-world", "discussions", "0 total"),
        ("/github/discussions/Pallets/Flask.svg", "discussions", "412 total"),
        ("/github/sponsors/Homebrew", "sponsors", "217"),  # README example, an organisation
        ("/github/sponsors/octocat", "sponsors", "1.2k"),  # a user; shields' metric format
        ("/github/sponsors/newbie", "sponsors", "0"),
    ],
)
def test_route_draws_shields_label_message_colour(client, path, label, message):
    assert badge(client, path) == (label, message, BLUE, 200)


@pytest.mark.parametrize(
    ("path", "label", "message"),
    [
        ("/github/discussions/missing/repo", "discussions", "repo not found"),
        ("/github/discussions/vercel/no-such-repo", "discussions", "repo not found"),
        ("/github/sponsors/nobody-at-all", "sponsors", "user/org not found"),
    ],
)
def test_not_found_uses_shields_wording(client, path, label, message):
    assert badge(client, path) == (label, message, RED, 200)


def test_a_user_name_github_cannot_have_is_refused_before_any_call(client, fake):
    fake.reset_counts()
    label, message, _, status = badge(client, "/github/sponsors/no_such%20user")
    assert (label, message, status) == ("sponsors", "invalid parameter", 200)
    assert fake.count(r"/github/graphql") == 0


def test_answers_are_cached_in_the_upstream_store(client, fake):
    fake.reset_counts()
    assert badge(client, "/github/sponsors/midway")[1] == "0"
    assert badge(client, "/github/sponsors/midway")[1] == "0"
    assert fake.count(r"/github/graphql") == 1


def test_shields_parameters_formats_and_categories_apply(client):
    answer = client.get("/github/discussions/vercel/next.js.json").get_json()
    assert (answer["label"], answer["message"]) == ("discussions", "6000 total")
    assert badge(client, "/github/sponsors/Homebrew?label=backers&color=ff69b4")[:3] == (
        "backers",
        "217",
        "#ff69b4",
    )
    assert "max-age=900" in client.get("/github/sponsors/Homebrew").headers["Cache-Control"]
    assert (
        "max-age=300" in client.get("/github/discussions/vercel/next.js").headers["Cache-Control"]
    )
    social = client.get("/github/sponsors/Homebrew?style=social").data
    assert b"<image" in social and b"<image" not in client.get("/github/sponsors/Homebrew").data


def test_v2_paths_reach_the_same_metrics(client):
    assert badge(client, "/v2/badge/github/vercel/next.js/discussions")[:2] == (
        "discussions",
        "6000 total",
    )
    assert badge(client, "/v2/badge/github-user/Homebrew/sponsors")[:2] == ("sponsors", "217")


def test_without_tokens_the_badge_says_improperly_configured(make_module_app, fake):
    anonymous = make_client(make_module_app, fake)
    for path, label in (
        ("/github/discussions/vercel/next.js", "discussions"),
        ("/github/sponsors/Homebrew", "sponsors"),
    ):
        assert badge(anonymous, path)[:2] == (label, "improperly configured")


def test_a_rate_limited_token_pool_is_inaccessible(make_module_app, fake):
    token = "ghp_spent" + uuid.uuid4().hex
    fake.quota[token] = 0
    spent = make_client(make_module_app, fake, GITHUB_TOKENS=token)
    label, message, _, status = badge(spent, "/github/discussions/pallets/flask")
    assert (label, message, status) == ("discussions", "inaccessible", 200)
    assert badge(spent, "/github/sponsors/octocat")[1] == "inaccessible"


def readme_routes_table() -> list[tuple[str, str, str]]:
    block = README.split("<!-- shields-routes -->", 1)[1].split("<!-- /shields-routes -->")[0]
    rows = re.findall(r"^\| `(.+?)` \| (.+?) \| `(.+?)` \|$", block, re.M)
    return [(pattern.replace("\\|", "|"), label, example) for pattern, label, example in rows]


@pytest.mark.parametrize(
    "example", ["/github/sponsors/Homebrew", "/github/discussions/vercel/next.js"]
)
def test_readme_route_table_lists_the_route_with_its_example(example):
    route = next(r for r in github.ROUTES if r.example == example)
    assert (route.display, route.label, route.example) in readme_routes_table()
    assert f"\n{route.example}\n" in README.split("<!-- /shields-routes -->")[0]
