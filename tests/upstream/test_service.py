"""The upstream service over real HTTP: caching, 304 revalidation, stale-on-error, single-flight,
token rotation and bounded waits."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from badgeapp.errors import Inaccessible
from badgeapp.upstream.client import Timeouts
from badgeapp.upstream.tokens import TokenPool, parse_tokens


def repo_url(fake, repo: str = "pallets/flask") -> str:
    return f"{fake.url}/github/repos/{repo}"


def test_fresh_answers_come_from_the_cache(fake_upstream, make_upstream):
    up = make_upstream()
    first = up.get(repo_url(fake_upstream))
    second = up.get(repo_url(fake_upstream))
    assert first.json()["stargazers_count"] == second.json()["stargazers_count"] == 12345
    assert fake_upstream.count("/github/") == 1
    assert up.stats.fresh_hits == 1


def test_revalidation_sends_the_etag_and_a_304_refreshes_the_entry(
    fake_upstream, make_upstream, clock
):
    up = make_upstream(fresh_seconds=60)
    first = up.get(repo_url(fake_upstream))
    clock.advance(61)
    second = up.get(repo_url(fake_upstream))
    assert fake_upstream.count("/github/", status=304) == 1
    last = fake_upstream.requests[-1]
    assert last["headers"]["if-none-match"] == first.headers.get("etag") or last["headers"][
        "if-none-match"
    ].startswith('"')
    assert second.body == first.body
    assert second.fetched_at == clock.now  # the 304 refreshed the entry
    assert up.stats.not_modified == 1
    up.get(repo_url(fake_upstream))  # fresh again: no call
    assert fake_upstream.count("/github/") == 2


def test_not_found_answers_are_cached_too(fake_upstream, make_upstream):
    up = make_upstream()
    assert up.get(repo_url(fake_upstream, "missing/repo")).status == 404
    assert up.get(repo_url(fake_upstream, "missing/repo")).status == 404
    assert fake_upstream.count("/github/") == 1


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 500},
        {"status": 503},
        {"delay": 2},
        {"ratelimit": True},
    ],
    ids=["500", "503", "slow", "rate-limited"],
)
def test_stale_on_error(fake_upstream, make_upstream, clock, fault):
    up = make_upstream(fresh_seconds=60, stale_max_age=3600)
    good = up.get(repo_url(fake_upstream))
    clock.advance(120)
    fake_upstream.fail("/github/", **fault)
    result = up.get(repo_url(fake_upstream))
    assert result.stale is True
    assert result.body == good.body
    assert result.fetched_at == good.fetched_at
    assert up.stats.stale_served == 1


def test_stale_values_expire_after_stale_max_age(fake_upstream, make_upstream, clock):
    up = make_upstream(fresh_seconds=60, stale_max_age=3600)
    up.get(repo_url(fake_upstream))
    clock.advance(3601)
    fake_upstream.fail("/github/", status=500)
    with pytest.raises(Inaccessible) as info:
        up.get(repo_url(fake_upstream))
    assert info.value.message == "inaccessible"


def test_no_value_and_a_failing_upstream_is_inaccessible(fake_upstream, make_upstream):
    fake_upstream.fail("/github/", status=500)
    with pytest.raises(Inaccessible):
        make_upstream().get(repo_url(fake_upstream))


def test_unreachable_upstream_serves_stale(fake_upstream, make_upstream, clock):
    up = make_upstream(fresh_seconds=60)
    url = repo_url(fake_upstream)
    up.get(url)
    fake_upstream.stop()
    clock.advance(61)
    assert up.get(url).stale is True


def test_a_badge_never_waits_longer_than_the_read_timeout_plus_one_retry(
    fake_upstream, make_upstream
):
    timeouts = Timeouts(connect=0.5, read=0.5, retries=1, backoff=0.05)
    up = make_upstream(timeouts=timeouts)
    fake_upstream.fail("/github/", delay=5)
    started = time.monotonic()
    with pytest.raises(Inaccessible):
        up.get(repo_url(fake_upstream))
    assert time.monotonic() - started < timeouts.read * 2 + timeouts.backoff + 0.3


def test_concurrent_waiters_are_bounded_too(fake_upstream, make_upstream):
    timeouts = Timeouts(connect=0.5, read=0.5, retries=1, backoff=0.05)
    up = make_upstream(timeouts=timeouts)
    fake_upstream.fail("/github/", delay=5)
    started = time.monotonic()

    def call():
        try:
            return up.get(repo_url(fake_upstream))
        except Inaccessible as exc:
            return exc

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(lambda _: call(), range(20)))
    assert all(isinstance(o, Inaccessible) for o in outcomes)
    assert time.monotonic() - started < timeouts.budget + 0.5
    assert fake_upstream.received("/github/") == 1


def test_100_concurrent_cold_requests_make_one_upstream_call(fake_upstream, make_upstream):
    up = make_upstream()
    fake_upstream.latency = 0.3
    barrier = threading.Barrier(100)

    def call(_):
        barrier.wait()
        return up.get(repo_url(fake_upstream)).json()["stargazers_count"]

    with ThreadPoolExecutor(100) as pool:
        results = list(pool.map(call, range(100)))
    assert results == [12345] * 100
    assert fake_upstream.count("/github/") == 1


@pytest.mark.redis
def test_single_flight_across_processes_through_redis(
    fake_upstream, make_upstream, redis_store, redis_url
):
    """Four Upstream objects (four 'processes': separate in-process flights) share one Redis."""
    from badgeapp.upstream.cache import RedisStore

    workers = [make_upstream(RedisStore(redis_url, redis_store.prefix)) for _ in range(4)]
    fake_upstream.latency = 0.3
    barrier = threading.Barrier(40)

    def call(i):
        barrier.wait()
        return workers[i % 4].get(repo_url(fake_upstream)).json()["stargazers_count"]

    with ThreadPoolExecutor(40) as pool:
        results = list(pool.map(call, range(40)))
    assert results == [12345] * 40
    assert fake_upstream.count("/github/") == 1


@pytest.mark.redis
def test_redis_followers_see_the_leaders_failure(
    fake_upstream, make_upstream, redis_store, redis_url
):
    from badgeapp.upstream.cache import RedisStore

    a = make_upstream(redis_store)
    b = make_upstream(RedisStore(redis_url, redis_store.prefix))
    fake_upstream.latency = 0.2
    fake_upstream.fail("/github/", status=500)
    outcomes = []

    def call(up):
        try:
            outcomes.append(up.get(repo_url(fake_upstream)))
        except Inaccessible as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=call, args=(u,)) for u in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(o, Inaccessible) for o in outcomes)
    assert fake_upstream.count("/github/") == 1


# -- tokens ----------------------------------------------------------------------------


def github_get(up, fake, pool, repo="pallets/flask"):
    return up.get(
        repo_url(fake, repo),
        pool=pool,
        auth_header=lambda token: {"Authorization": f"Bearer {token}"},
    )


def test_parse_tokens():
    assert parse_tokens("a", "b, c a,,d") == ("a", "b", "c", "d")
    assert parse_tokens("", "") == ()


def test_rate_limited_token_is_switched_and_skipped_until_reset(fake_upstream, make_upstream):
    up = make_upstream()
    pool = TokenPool(("tok-a", "tok-b"), up.store)
    fake_upstream.quota["tok-a"] = 0
    assert github_get(up, fake_upstream, pool).status == 200
    used = [(r["token"], r["status"]) for r in fake_upstream.requests]
    assert used == [("tok-a", 403), ("tok-b", 200)]
    github_get(up, fake_upstream, pool, "other/repo")
    assert fake_upstream.requests[-1]["token"] == "tok-b"  # tok-a is skipped until its reset
    assert pool.pick() == "tok-b"


def test_tokens_are_picked_by_remaining_quota(fake_upstream, make_upstream):
    up = make_upstream()
    pool = TokenPool(("tok-a", "tok-b"), up.store)
    fake_upstream.quota.update({"tok-a": 10, "tok-b": 4000})
    github_get(up, fake_upstream, pool, "one/repo")  # unknown quotas: the first token
    github_get(up, fake_upstream, pool, "two/repo")  # tok-a reported 9 left: unknown tok-b wins
    github_get(up, fake_upstream, pool, "three/repo")  # tok-b reported 3999 > 9
    assert [r["token"] for r in fake_upstream.requests] == ["tok-a", "tok-b", "tok-b"]


def test_all_tokens_exhausted_serves_stale_without_calling(fake_upstream, make_upstream, clock):
    up = make_upstream(fresh_seconds=60)
    pool = TokenPool(("tok-a", "tok-b"), up.store)
    github_get(up, fake_upstream, pool)
    fake_upstream.quota.update({"tok-a": 0, "tok-b": 0})
    clock.advance(61)
    assert github_get(up, fake_upstream, pool).stale is True
    calls = fake_upstream.count("/github/")
    clock.advance(61)
    assert github_get(up, fake_upstream, pool).stale is True
    assert fake_upstream.count("/github/") == calls  # both skipped until their reset
    with pytest.raises(Inaccessible):
        github_get(up, fake_upstream, pool, "never/fetched")


def test_tokens_never_reach_the_store_in_clear(fake_upstream, make_upstream):
    up = make_upstream()
    pool = TokenPool(("secret-token-value",), up.store)
    github_get(up, fake_upstream, pool)
    assert "secret-token-value" not in repr(up.store._data)


def test_a_failed_resource_is_not_asked_again_during_the_cooldown(
    fake_upstream, make_upstream, clock
):
    up = make_upstream(fresh_seconds=60, error_cooldown=30)
    up.get(repo_url(fake_upstream))
    clock.advance(61)
    fake_upstream.fail("/github/", status=500)
    for _ in range(5):
        assert up.get(repo_url(fake_upstream)).stale is True
    assert fake_upstream.count("/github/", status=500) == 1
    fake_upstream.heal()
    clock.advance(31)
    assert up.get(repo_url(fake_upstream)).stale is False
    assert fake_upstream.count("/github/") == 3


def test_anonymous_rate_limit_waits_for_the_reset(fake_upstream, make_upstream, clock):
    up = make_upstream(fresh_seconds=60, error_cooldown=30)
    fake_upstream.quota[""] = 0  # anonymous quota used up; reset in an hour
    with pytest.raises(Inaccessible):
        up.get(repo_url(fake_upstream))
    clock.advance(600)  # past the cooldown, before the reset
    with pytest.raises(Inaccessible):
        up.get(repo_url(fake_upstream))
    assert fake_upstream.count("/github/") == 1


def test_revalidation_does_not_spend_quota(fake_upstream, make_upstream, clock):
    up = make_upstream(fresh_seconds=60)
    pool = TokenPool(("tok-a",), up.store)
    github_get(up, fake_upstream, pool)
    after_first = pool.state("tok-a")["remaining"]
    for _ in range(3):
        clock.advance(61)
        github_get(up, fake_upstream, pool)
    assert fake_upstream.count("/github/", status=304) == 3
    assert pool.state("tok-a")["remaining"] == after_first == 4999


def test_one_upstream_per_configuration_until_forgotten(fake_upstream):
    from badgeapp.upstream import forget_upstreams, get_upstream

    config = fake_upstream.config()
    first = get_upstream(config)
    assert get_upstream(dict(config)) is first  # same settings: the same store and pools
    assert get_upstream({**config, "UPSTREAM_FRESH_SECONDS": 7}) is not first
    forget_upstreams()
    assert get_upstream(config) is not first
