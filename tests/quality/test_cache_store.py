"""The quality badge cache: TTL, invalidation by project and type, stats; in memory and in Redis."""

from __future__ import annotations

import pytest

from badgeapp.quality.cache_store import MemoryBadgeCache, RedisBadgeCache, cache_key


class Clock:
    """A hand-moved monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_key_is_the_project_and_type_then_a_structured_hash():
    """Issue 11 item 4: the parts are hashed as a structured tuple, never joined."""
    plain = cache_key("O/R", "coverage", "flat", "", "")
    assert plain.startswith("o/r:coverage:")  # invalidation by project and type still works
    dev = cache_key("o/r", "coverage", "flat", "", "", branch="dev")
    assert dev != plain
    assert cache_key("o/r", "coverage", "flat", "", ":branch=dev") != dev
    assert cache_key("o/r", "coverage", "flat", "", "", generation=1) != plain


def test_memory_entries_expire_after_ttl_and_are_counted_until_swept():
    clock = Clock()
    cache = MemoryBadgeCache(ttl=300, clock=clock)
    cache.set("a/b:coverage:flat::", {"message": "90%"})
    assert cache.get("a/b:coverage:flat::") == {"message": "90%"}
    clock.now += 299
    assert cache.get("a/b:coverage:flat::") is not None
    clock.now += 1
    assert cache.get("a/b:coverage:flat::") is None
    assert cache.stats() == {
        "total_entries": 1,
        "active_entries": 0,
        "expired_entries": 1,
        "default_ttl": 300,
    }
    cache.set("c/d:tests:flat::", {"message": "1 passing"})  # a write sweeps expired entries
    assert cache.stats()["total_entries"] == 1


def _fill(cache) -> None:
    for key in (
        "acme/widgets:coverage:flat::",
        "acme/widgets:coverage:plastic::",
        "acme/widgets:tests:flat::",
        "acme/widgets-2:coverage:flat::",  # a project whose name starts like the other one
        "other/repo:coverage:flat::",
    ):
        cache.set(key, {"message": key})


def _check_invalidation(cache) -> None:
    _fill(cache)
    assert cache.invalidate("acme/widgets", "coverage") == 2
    assert cache.get("acme/widgets:tests:flat::") is not None
    assert cache.get("acme/widgets-2:coverage:flat::") is not None
    assert cache.invalidate("acme/widgets") == 1
    assert cache.invalidate("acme/widgets") == 0
    assert cache.stats()["total_entries"] == 2


def test_memory_invalidation_by_project_and_type():
    _check_invalidation(MemoryBadgeCache())


@pytest.fixture
def redis_cache(redis_url, redis_prefix):
    import redis

    return RedisBadgeCache(redis.Redis.from_url(redis_url), ttl=300, prefix=redis_prefix)


@pytest.mark.redis
def test_redis_invalidation_by_project_and_type(redis_cache):
    _check_invalidation(redis_cache)


@pytest.mark.redis
def test_redis_stats_are_shared_by_every_worker(redis_url, redis_prefix):
    import redis

    worker_a = RedisBadgeCache(redis.Redis.from_url(redis_url), prefix=redis_prefix)
    worker_b = RedisBadgeCache(redis.Redis.from_url(redis_url), prefix=redis_prefix)
    worker_a.set("o/r:coverage:flat::", {"message": "90%"})
    worker_b.set("o/r:tests:flat::", {"message": "3 passing"})
    assert worker_b.get("o/r:coverage:flat::") == {"message": "90%"}
    assert worker_a.stats()["total_entries"] == 2 == worker_b.stats()["active_entries"]
    assert worker_b.invalidate("o/r", "coverage") == 1
    assert worker_a.get("o/r:coverage:flat::") is None


@pytest.mark.redis
def test_redis_entry_in_its_grace_period_is_expired(redis_cache):
    redis_cache.set("o/r:coverage:flat::", {"message": "90%"})
    key = redis_cache.prefix + "o/r:coverage:flat::"
    assert 300_000 < redis_cache.client.pttl(key) <= (300 + redis_cache.grace) * 1000
    # move the key to the end of its life: past the TTL, inside the grace period
    redis_cache.client.pexpire(key, redis_cache.grace * 1000 - 1)
    assert redis_cache.get("o/r:coverage:flat::") is None
    assert redis_cache.stats() == {
        "total_entries": 1,
        "active_entries": 0,
        "expired_entries": 1,
        "default_ttl": 300,
    }


@pytest.mark.redis
def test_redis_prefix_with_glob_characters_matches_literally(redis_url, redis_prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    star = RedisBadgeCache(client, prefix=redis_prefix + "a*:")
    plain = RedisBadgeCache(client, prefix=redis_prefix + "ab:")
    star.set("o/r:coverage:flat::", {})
    plain.set("o/r:coverage:flat::", {})
    assert star.stats()["total_entries"] == 1
    star.clear()
    assert plain.stats()["total_entries"] == 1


def test_memory_cache_is_bounded_and_evicts_the_oldest():
    cache = MemoryBadgeCache(max_entries=3)
    for n in range(5):
        cache.set(f"o/r:coverage:flat::{n}", {"n": n})
    assert cache.stats()["total_entries"] == 3
    assert cache.get("o/r:coverage:flat::0") is None
    assert cache.get("o/r:coverage:flat::4") == {"n": 4}
    cache.set("o/r:coverage:flat::4", {"n": 44})  # replacing an entry evicts nothing
    assert cache.stats()["total_entries"] == 3


def test_full_memory_cache_drops_expired_entries_first():
    clock = Clock()
    cache = MemoryBadgeCache(ttl=10, clock=clock, max_entries=2)
    cache.set("a/a:coverage:flat::", {})
    clock.now += 5
    cache.set("b/b:coverage:flat::", {})
    clock.now += 6  # a/a expired, b/b still live
    cache.set("c/c:coverage:flat::", {})
    assert cache.get("b/b:coverage:flat::") is not None
    assert cache.stats()["total_entries"] == 2
