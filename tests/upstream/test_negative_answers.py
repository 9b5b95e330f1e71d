"""Issue 11 item 6: upstream 404s for names that do not exist are kept minutes, and small.

The attack: 2,000 distinct unknown GitHub repositories stored 1.4 MB in Redis with 7-day TTLs.
Here 300 unknown repositories through the app (the figure is keys and bytes per request), each
answered 404 by the fake GitHub; every key they leave expires within minutes and is small.
"""

from __future__ import annotations

import pytest
import redis

from badgeapp import create_app
from badgeapp.storage import db
from badgeapp.upstream.service import NEGATIVE_MAX_BODY, NEGATIVE_TTL_SECONDS

REPOSITORIES = 300


@pytest.mark.slow
@pytest.mark.redis
def test_unknown_repositories_leave_only_short_small_entries(
    app_config, fake_upstream, redis_url, redis_prefix
):
    fake_upstream.fail(r"/repos/ghost", status=404)
    application = create_app(
        {
            **app_config,
            **fake_upstream.config(),
            "REDIS_URL": redis_url,
            "REDIS_PREFIX": redis_prefix,
            "RATE_LIMIT": "100000/minute",
            "ABUSE_DETECTION": False,  # 300 unknown repositories from one address is enumeration
            "STALE_MAX_AGE": 7 * 86400,
        }
    )
    client = application.test_client()
    for i in range(REPOSITORIES):
        response = client.get(f"/v2/badge/github/ghost{i}/nothing/stars")
        assert response.status_code in (200, 404), response.status_code
    assert b"not found" in response.data
    assert fake_upstream.count(r"/repos/ghost") >= REPOSITORIES  # each one did reach "GitHub"
    store = redis.Redis.from_url(redis_url)
    total = 0
    long_lived = []
    for key in store.scan_iter(match=redis_prefix + "*", count=1000):
        if b"limits" in key:
            continue
        ttl = store.ttl(key)
        if ttl == -2:  # expired between the scan and now
            continue
        total += store.memory_usage(key) or 0
        if b":analytics:" in key:  # one rollup hash per bucket, kept for the retention period
            continue
        if ttl < 0 or ttl > NEGATIVE_TTL_SECONDS:
            long_lived.append((key, ttl))
    assert not long_lived, long_lived[:5]
    assert total < REPOSITORIES * (NEGATIVE_MAX_BODY + 1024), total
    db.dispose(application)


def test_a_404_is_still_cached_for_a_while(make_upstream, fake_upstream, clock):
    """Negative answers are still cached (a missing repository is not a call per view)."""
    fake_upstream.fail(r"/repos/ghost", status=404)
    upstream = make_upstream()
    url = fake_upstream.url + "/github/repos/ghost/x"
    assert upstream.get(url).status == 404
    assert upstream.get(url).status == 404
    assert fake_upstream.count(r"/repos/ghost") == 1
    clock.advance(NEGATIVE_TTL_SECONDS + 1)
    assert upstream.get(url).status == 404
    assert fake_upstream.count(r"/repos/ghost") == 2


@pytest.mark.redis
def test_the_redis_ttl_of_a_404_is_minutes_not_days(make_upstream, fake_upstream, redis_store):
    fake_upstream.fail(r"/repos/ghost", status=404)
    upstream = make_upstream(redis_store, stale_max_age=7 * 86400)
    assert upstream.get(fake_upstream.url + "/github/repos/ghost/y").status == 404
    ttls = [
        redis_store.client.pttl(key) / 1000
        for key in redis_store.client.scan_iter(match=redis_store.prefix + "e:*")
    ]
    assert ttls and all(0 < ttl <= NEGATIVE_TTL_SECONDS for ttl in ttls), ttls
