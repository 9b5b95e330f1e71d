"""``badgeapp.upstream.graphql``: GitHub GraphQL POSTs with caching, tokens, retries, stale."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fake_github import FakeGitHub, serve_fake_github

from badgeapp.upstream.graphql import GraphQLFailure, cache_key, github_graphql

QUERY = "query($login: String!) { user(login: $login) { login followers { totalCount } } }"


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with serve_fake_github() as server:
        yield server


def config(fake: FakeGitHub, **extra) -> dict:
    tokens = ",".join(f"ghp_gql{uuid.uuid4().hex}" for _ in range(2))
    return {**fake.config(), "GITHUB_TOKENS": tokens, "UPSTREAM_BACKOFF": 0.05, **extra}


def test_answer_and_cache_by_query_and_variables(fake):
    cfg = config(fake)
    first = github_graphql(cfg, QUERY, {"login": "octocat"})
    assert first.data["user"]["followers"]["totalCount"] == 8900 and not first.stale
    again = github_graphql(cfg, QUERY, {"login": "octocat"})
    assert again.data == first.data
    assert fake.count("graphql") == 1  # cached
    github_graphql(cfg, QUERY, {"login": "midway"})
    assert fake.count("graphql") == 2  # other variables, other entry
    github_graphql(cfg, QUERY, {"login": "octocat"}, fresh=0)
    assert fake.count("graphql") == 3  # fresh=0 asks again


def test_cache_key_separates_user_tokens():
    shared = cache_key("u", QUERY, {"login": "a"}, None)
    mine = cache_key("u", QUERY, {"login": "a"}, "ghp_" + "a" * 36)
    theirs = cache_key("u", QUERY, {"login": "a"}, "ghp_" + "b" * 36)
    assert len({shared, mine, theirs}) == 3
    assert "ghp_" not in mine
    assert cache_key("u", QUERY, {"a": 1, "b": 2}, None) == cache_key(
        "u", QUERY, {"b": 2, "a": 1}, None
    )


def test_user_token_is_sent_instead_of_the_pool(fake):
    token = "ghp_" + "m" * 36
    github_graphql(config(fake), QUERY, {"login": "octocat"}, user_token=token)
    assert fake.tokens() == [token]


def test_not_found(fake):
    with pytest.raises(GraphQLFailure) as caught:
        github_graphql(config(fake), QUERY, {"login": "ghost-user-x"})
    assert caught.value.kind == "not_found"


def test_invalid_query_is_an_upstream_failure(fake):
    with pytest.raises(GraphQLFailure) as caught:
        github_graphql(config(fake), "query { user(login: 1) { nope } }")
    assert caught.value.kind == "upstream"


def test_a_502_is_retried(fake):
    fake.fail("graphql", status=502, times=1)
    result = github_graphql(config(fake), QUERY, {"login": "octocat"})
    assert result.data["user"]["login"] == "octocat"
    assert fake.count("graphql") == 2


def test_stale_answer_when_github_fails(fake):
    cfg = config(fake)
    github_graphql(cfg, QUERY, {"login": "octocat"})
    fake.fail("graphql", status=500)
    stale = github_graphql(cfg, QUERY, {"login": "octocat"}, fresh=0)
    assert stale.stale and stale.data["user"]["login"] == "octocat"


def test_no_tokens_and_bad_credentials(fake):
    with pytest.raises(GraphQLFailure) as caught:
        github_graphql({**fake.config(), "GITHUB_TOKENS": ""}, QUERY, {"login": "octocat"})
    assert caught.value.kind == "no_tokens"
    assert fake.count("graphql") == 0
    with pytest.raises(GraphQLFailure) as caught:
        github_graphql(config(fake), QUERY, {"login": "o"}, user_token="ghp_bad" + "x" * 33)
    assert caught.value.kind == "bad_credentials"


def test_rate_limited_pool(fake):
    cfg = config(fake)
    for token in cfg["GITHUB_TOKENS"].split(","):
        fake.quota[token] = 0
    with pytest.raises(GraphQLFailure) as caught:
        github_graphql(cfg, QUERY, {"login": "octocat"})
    assert caught.value.kind == "rate_limited"
    assert 0 < caught.value.retry_after <= 1800
    with pytest.raises(GraphQLFailure) as caught:
        github_graphql(cfg, QUERY, {"login": "midway"})
    assert caught.value.kind == "no_tokens"  # both now known to be exhausted: no call
    assert fake.count("graphql") == 2
