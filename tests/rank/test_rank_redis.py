"""Scale-out: two apps (two workers) on one Redis share the rank cache and the rank limits."""

from __future__ import annotations

import pytest
from fake_github import service_tokens

pytestmark = pytest.mark.redis


def test_cache_and_limits_are_shared_through_redis(make_rank_app, redis_url, redis_prefix):
    tokens = service_tokens()
    settings = {
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "RANK_RATE_LIMIT_USERNAME": "2/hour",
        "tokens": tokens,
    }
    one = make_rank_app(**settings).test_client()
    two = make_rank_app(**dict(settings)).test_client()
    first = one.get("/rank/midway?format=json")
    assert first.status_code == 200 and first.headers["X-Cache"] == "MISS"
    other = two.get("/rank/midway?format=json")
    assert other.headers["X-Cache"] == "HIT"  # computed once, by the other worker
    assert other.get_json()["rank"] == first.get_json()["rank"]
    assert one.get("/rank/midway?force=true").status_code == 200  # the second cold one
    refused = two.get("/rank/midway?force=true&format=json")
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "RateLimitExceeded"
