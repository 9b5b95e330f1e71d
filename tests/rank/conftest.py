"""Fixtures of the rank family's tests: the fake GitHub and apps pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_github import FakeGitHub, serve_fake_github, service_tokens

from badgeapp import create_app


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """GitHub's GraphQL and REST on a loopback port (see tests/upstream/fake_github.py)."""
    with serve_fake_github() as fake:
        yield fake


@pytest.fixture
def make_rank_app(app_config, fake_github):
    """``make_rank_app(**config)``: an app on the fake GitHub with two fresh service tokens."""

    def make(**config):
        tokens = config.pop("tokens", None)
        if tokens is None:
            tokens = service_tokens()
        return create_app(
            {
                **app_config,
                **fake_github.config(),
                "GITHUB_TOKENS": ",".join(tokens),
                **config,
            }
        )

    return make


@pytest.fixture
def rank_client(make_rank_app):
    return make_rank_app().test_client()
