"""Fixtures for provider tests: the fake upstream and a ``resolve`` helper over its config."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from fake_upstream import FakeUpstream

from badgeapp.providers.base import ResolveContext, Value
from badgeapp.providers.bitbucket import BitbucketProvider
from badgeapp.providers.dockerhub import DockerHubProvider
from badgeapp.providers.github import GitHubProvider
from badgeapp.providers.gitlab import GitLabProvider
from badgeapp.providers.npm import NpmProvider
from badgeapp.providers.pypi import PyPIProvider
from badgeapp.providers.twitter import TwitterProvider
from badgeapp.providers.youtube import YouTubeProvider

PROVIDERS = {
    p.name: p
    for p in (
        GitHubProvider(),
        GitLabProvider(),
        BitbucketProvider(),
        DockerHubProvider(),
        PyPIProvider(),
        NpmProvider(),
        YouTubeProvider(),
        TwitterProvider(),
    )
}


@pytest.fixture
def upstream_config(fake_upstream: FakeUpstream) -> dict:
    """Config pointing every provider at the fake, with a private in-process cache."""
    return {
        **fake_upstream.config(),
        "REDIS_PREFIX": f"test-{uuid.uuid4().hex[:10]}:",
        "UPSTREAM_CONNECT_TIMEOUT": 1.0,
        "UPSTREAM_READ_TIMEOUT": 1.0,
        "UPSTREAM_BACKOFF": 0.05,
    }


@pytest.fixture
def resolve(upstream_config: dict) -> Callable[..., Value]:
    """``resolve("github/pallets/flask", "stars", branch=...)`` -> Value."""

    def _resolve(path: str, metric: str, config: dict | None = None, **args: str) -> Value:
        name, *subject = path.split("/")
        ctx = ResolveContext(args=args, config={**upstream_config, **(config or {})})
        return PROVIDERS[name].resolve(tuple(subject), metric, ctx)

    return _resolve
