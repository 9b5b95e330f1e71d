"""Fixtures for the upstream layer: the fake server, and Upstream objects over each store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from badgeapp.upstream.cache import MemoryStore, RedisStore
from badgeapp.upstream.client import Timeouts
from badgeapp.upstream.service import Upstream

FAST = Timeouts(connect=0.5, read=0.5, retries=1, backoff=0.05)


class Clock:
    """A settable clock for freshness and stale-age decisions."""

    def __init__(self) -> None:
        import time

        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_upstream(clock: Clock):
    """``make_upstream(store=None, **options)`` -> Upstream with fast timeouts and the clock."""

    def _make(store=None, **options) -> Upstream:
        options.setdefault("timeouts", FAST)
        options.setdefault("fresh_seconds", 300)
        options.setdefault("stale_max_age", 3600)
        return Upstream(store or MemoryStore(), clock=clock, **options)

    return _make


@pytest.fixture
def redis_store(redis_url: str, redis_prefix: str) -> Iterator[RedisStore]:
    """A RedisStore under this test's own key prefix (cleaned by ``redis_prefix``)."""
    yield RedisStore(redis_url, prefix=redis_prefix + uuid.uuid4().hex[:6] + ":")


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def any_store(request: pytest.FixtureRequest):
    """Each store implementation in turn (Redis ones skip locally without a server)."""
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_store")
