"""Issue 11 item 6: anonymous nice-badge requests cannot grow the shared Redis without bound.

The attack: 20,000 unknown ids, each with its own ``?label=``, stored 20,000 ``nice | ?``
images for a day. Scaled to 2,000 requests here (the figure is keys per request).
"""

from __future__ import annotations

import pytest
import redis
from defusedxml import ElementTree

from badgeapp import create_app
from badgeapp.families.nice import LAST_IMAGE_SLOTS
from badgeapp.storage import db

REQUESTS = 2_000


@pytest.fixture
def redis_app(app_config, redis_url, redis_prefix):
    application = create_app(
        {
            **app_config,
            "REDIS_URL": redis_url,
            "REDIS_PREFIX": redis_prefix,
            "NICE_OPEN_CREATE": True,
            "RATE_LIMIT": "100000/minute",
        }
    )
    yield application
    db.dispose(application)


def _keys(redis_url: str, prefix: str) -> dict[str, int]:
    """Every key under ``prefix`` (rate-limit counters aside) with its TTL in seconds."""
    client = redis.Redis.from_url(redis_url)
    found = {}
    for key in client.scan_iter(match=prefix + "*", count=1000):
        name = key.decode()
        if ":limits" not in name and "LIMITS" not in name and "limiter" not in name:
            found[name] = client.ttl(key)
    return found


def _message(response) -> str:
    texts = [t.text for t in ElementTree.fromstring(response.data).iter() if t.text]
    return texts[-1]


@pytest.mark.slow
@pytest.mark.redis
def test_unknown_ids_with_distinct_labels_store_no_images(redis_app, redis_url, redis_prefix):
    client = redis_app.test_client()
    before = _keys(redis_url, redis_prefix)
    for i in range(REQUESTS):
        response = client.get(f"/badge/nosuch{i}.svg?label=probe-{i}")
        assert response.status_code == 200
    assert _message(response) == "?"
    # analytics hashes are one per time bucket, bounded by ANALYTICS_MAX_KEYS: not per client
    added = {
        k: ttl
        for k, ttl in _keys(redis_url, redis_prefix).items()
        if k not in before and ":analytics:" not in k
    }
    assert not [k for k in added if "nice:image" in k], sorted(added)[:5]
    # what is left is the one-second "no such button" answers: short-lived and never an image
    assert all(ttl <= 60 for ttl in added.values()), sorted(added.items())[:5]


@pytest.mark.slow
@pytest.mark.redis
def test_a_known_button_keeps_a_bounded_number_of_last_images(redis_app, redis_url, redis_prefix):
    client = redis_app.test_client()
    public_id = client.post("/api/buttons").get_json()["publicId"]
    for i in range(REQUESTS // 4):
        assert client.get(f"/badge/{public_id}.svg?label=variant-{i}").status_code == 200
    images = [k for k in _keys(redis_url, redis_prefix) if f"nice:image:{public_id}" in k]
    assert 0 < len(images) <= LAST_IMAGE_SLOTS


@pytest.mark.redis
def test_the_last_image_is_still_served_for_its_own_url(app_config, redis_url, redis_prefix):
    """The slots never hand one URL's image to another URL (BADGE-06 still holds)."""
    config = {
        **app_config,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "NICE_OPEN_CREATE": True,
        "RATE_LIMIT": "3/minute",
    }
    application = create_app(config)
    client = application.test_client()
    public_id = client.post("/api/buttons").get_json()["publicId"]
    labels = [f"l{i}" for i in range(LAST_IMAGE_SLOTS * 3)]
    limited_client = application.test_client()
    drawn = {}
    for label in labels:
        env = {"REMOTE_ADDR": f"10.1.{len(drawn)}.1"}  # each label drawn by a fresh visitor
        drawn[label] = client.get(f"/badge/{public_id}.svg?label={label}", environ_base=env)
        assert drawn[label].status_code == 200
    for _ in range(5):  # exhaust one visitor's limit
        last = limited_client.get(f"/badge/{public_id}.svg?label=l0")
    assert last.status_code == 200
    # its own label, from its slot or drawn again, never a neighbour's from the same slot
    assert ElementTree.fromstring(last.data).get("aria-label") == "l0: 0"
    db.dispose(application)
