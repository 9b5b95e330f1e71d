"""Analytics: counting is bounded and off the request path; flushes add up in the database and
in Redis; the report and /api/analytics say what was drawn; charts are safe SVG."""

from __future__ import annotations

import datetime as dt
import math
import threading

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgeapp import create_app
from badgeapp.analytics.hooks import get_flusher
from badgeapp.analytics.recorder import OTHER, Recorder
from badgeapp.analytics.report import summarise
from badgeapp.analytics.store import BUCKET_SECONDS, DatabaseStore, RedisStore, bucket_of
from badgeapp.render.charts import bar_chart, hbar_chart
from badgeapp.storage import apikeys, db


def test_recorder_memory_is_bounded():
    recorder = Recorder(max_keys=10)
    for i in range(1000):
        recorder.count("badge", f"/badge/{i}")
    counts, _ = recorder.drain()
    assert len(counts) <= 11
    assert sum(counts.values()) == 1000 and counts[("badge", OTHER)] == 990
    assert recorder.drain() == ({}, {})


def test_recorder_counts_exactly_under_threads():
    recorder = Recorder()

    def work():
        for _ in range(5000):
            recorder.count("render", "custom")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert recorder.drain()[0] == {("render", "custom"): 40000}


def test_badges_are_counted_by_family_path_error_and_304(app, client):
    client.get("/v2/badge/custom?label=a&value=b")
    second = client.get("/v2/badge/custom?label=a&value=b")
    client.get(
        "/v2/badge/custom?label=a&value=b", headers={"If-None-Match": second.headers["ETag"]}
    )
    client.get("/v2/badge/custom?label=a")  # no value: an error badge (200 image)
    client.get("/badge/x-y-green")
    client.get("/dashboard")  # a page, not a badge
    client.get("/health")
    flusher = get_flusher(app)
    assert flusher.flush() > 0
    data = summarise(flusher.store.read(dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)), "hour")
    assert data["renders"]["by_family"] == {"custom": 5}
    assert data["errors"]["by_family"] == {"custom": 1}
    assert data["cache"]["not_modified"] == 1
    assert data["popular"][0] == {"path": "/v2/badge/custom", "count": 4}
    assert data["cache"]["hits"] >= 1 and data["cache"]["misses"] >= 1
    assert sum(data["renders_series"]) == 5


def test_nothing_is_written_on_the_request_path(app, client):
    """Answers only touch the in-process recorder; the thread (or a page) writes."""
    flusher = get_flusher(app)
    flusher.interval = 3600  # the thread will not flush during this test
    client.get("/v2/badge/custom?label=a&value=b")
    assert DatabaseStore(app).read(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)) == []
    assert len(flusher.recorder) > 0


def test_the_background_thread_flushes(app_config):
    app = create_app({**app_config, "ANALYTICS_FLUSH_SECONDS": 0.1})
    client = app.test_client()
    client.get("/v2/badge/custom?label=a&value=b")
    store = DatabaseStore(app)
    import time

    deadline = time.monotonic() + 10
    while not store.read(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)):
        assert time.monotonic() < deadline, "the flusher thread never wrote"
        time.sleep(0.05)
    get_flusher(app).stop()
    db.dispose(app)


def test_analytics_can_be_switched_off(app_config):
    app = create_app({**app_config, "ANALYTICS_ENABLED": False})
    assert get_flusher(app) is None
    assert app.test_client().get("/v2/badge/custom?label=a&value=b").status_code == 200


def test_database_counts_add_up_across_processes_atomically(app):
    """Two stores (two workers) adding to the same bucket: sums, never lost updates."""
    bucket = bucket_of(dt.datetime.now(dt.UTC))
    stores = [DatabaseStore(app), DatabaseStore(app)]

    def add(store):
        for _ in range(20):
            store.add(bucket, {("render", "custom"): 1}, {("quota", "github:abc"): 42})

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = stores[0].read(bucket - dt.timedelta(seconds=1))
    assert ("render", "custom", 40) in [(m, k, n) for _, m, k, n in rows]
    assert ("quota", "github:abc", 42) in [(m, k, n) for _, m, k, n in rows]


@pytest.mark.postgres
def test_postgres_store(app_config, postgres_url):
    from badgeapp.storage import migrate

    app = create_app({**app_config, "DATABASE_URL": postgres_url})
    migrate.upgrade(app)
    store = DatabaseStore(app)
    bucket = bucket_of(dt.datetime.now(dt.UTC))
    store.add(bucket, {("render", "custom"): 2}, {})
    store.add(bucket, {("render", "custom"): 3}, {("quota", "t"): 7})
    store.add(bucket, {}, {("quota", "t"): 5})
    rows = {(m, k): n for _, m, k, n in store.read(bucket)}
    assert rows == {("render", "custom"): 5, ("quota", "t"): 5}
    store.prune(bucket + dt.timedelta(seconds=1))
    assert store.read(bucket) == []
    db.dispose(app)


@pytest.mark.redis
def test_redis_store_uses_hincrby(redis_url, redis_prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    store = RedisStore(client, redis_prefix, 3600)
    bucket = bucket_of(dt.datetime.now(dt.UTC))
    store.add(bucket, {("render", "github"): 2}, {("quota", "github:x"): 100})
    RedisStore(client, redis_prefix, 3600).add(bucket, {("render", "github"): 3}, {})
    rows = {(m, k): n for _, m, k, n in store.read(bucket - dt.timedelta(minutes=10))}
    assert rows == {("render", "github"): 5, ("quota", "github:x"): 100}
    assert 0 < client.ttl(f"{redis_prefix}analytics:{int(bucket.timestamp())}") <= 3600


@pytest.mark.redis
def test_the_app_counts_into_redis_when_redis_url_is_set(app_config, redis_url, redis_prefix):
    app = create_app({**app_config, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix})
    app.test_client().get("/v2/badge/custom?label=a&value=b")
    flusher = get_flusher(app)
    assert isinstance(flusher.store, RedisStore)
    flusher.flush()
    data = summarise(flusher.store.read(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)), "hour")
    assert data["renders"]["by_family"] == {"custom": 1}
    db.dispose(app)


def test_report_windows_and_steps():
    now = dt.datetime(2026, 11, 30, 12, 7, tzinfo=dt.UTC)
    rows = [
        (now - dt.timedelta(minutes=2), "render", "github", 3),
        (now - dt.timedelta(minutes=50), "render", "custom", 2),
        (now - dt.timedelta(hours=5), "render", "custom", 7),
        (now - dt.timedelta(days=3), "error", "custom", 1),
        (now - dt.timedelta(minutes=2), "upstream", "calls", 4),
        (now - dt.timedelta(minutes=20), "quota", "github:a", 4000),
        (now - dt.timedelta(minutes=2), "quota", "github:a", 3990),
    ]
    hour = summarise(rows, "hour", now)
    assert len(hour["renders_series"]) == 12 and hour["step_seconds"] == BUCKET_SECONDS
    assert hour["renders"]["by_family"] == {"github": 3, "custom": 2}
    assert hour["renders_series"][-1] == 3 and hour["upstream"]["calls"] == 4
    assert hour["quota"] == {"github:a": 3990}
    day = summarise(rows, "day", now)
    assert day["renders"]["total"] == 12 and len(day["renders_series"]) == 24
    week = summarise(rows, "week", now)
    assert week["errors"]["total"] == 1 and len(week["renders_series"]) == 7
    assert week["cache"]["ratio"] is None


def test_api_analytics_needs_an_admin_key(app, client):
    client.get("/v2/badge/custom?label=a&value=b")
    assert client.get("/api/analytics").status_code == 401
    with db.session_scope(app) as session:
        themes = apikeys.create_key(session, "t", ["themes"])[1]
        admin = apikeys.create_key(session, "a", ["admin"])[1]
    refused = client.get("/api/analytics", headers={"Authorization": f"Bearer {themes}"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "Forbidden"
    response = client.get("/api/analytics?window=day", headers={"Authorization": f"Bearer {admin}"})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    body = response.get_json()
    assert body["window"] == "day" and body["renders"]["by_family"] == {"custom": 1}
    assert set(body) >= {"cache", "errors", "popular", "upstream", "quota", "steps"}


def test_quota_per_token_is_sampled_without_the_token(app_config, fake_upstream):
    app = create_app({**app_config, **fake_upstream.config(), "GITHUB_TOKENS": "tok-one,tok-two"})
    client = app.test_client()
    assert client.get("/v2/badge/github/pallets/flask/stars").status_code == 200
    flusher = get_flusher(app)
    flusher.flush()
    data = summarise(flusher.store.read(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)), "hour")
    assert data["upstream"]["calls"] >= 1
    assert len(data["quota"]) == 2
    assert all(key.startswith("github:") and "tok" not in key for key in data["quota"])
    db.dispose(app)


@given(
    values=st.lists(st.integers(0, 10**9), max_size=30),
    names=st.lists(st.text(max_size=40), max_size=12),
)
def test_charts_are_well_formed_svg_whatever_the_labels(values, names):
    labels = [f"<{i}>&'\"" for i in range(len(values))]
    for svg in (
        bar_chart(values, labels, title="Renders <b>"),
        hbar_chart([(n, i) for i, n in enumerate(names)], title="Popular & co"),
    ):
        root = SafeET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-label")
        assert not any(el.tag.endswith("script") for el in root.iter())
        for element in root.iter():  # every coordinate and size is a finite number
            for name in ("x", "y", "width", "height"):
                if element.get(name) is not None:
                    assert math.isfinite(float(element.get(name))), (name, element.get(name))


def test_answers_served_outside_flask_can_be_counted(app):
    from badgeapp.analytics.hooks import count_answer

    count_answer(app, "custom", "/badge/a-b-green", 304)
    count_answer(app, "custom", "/badge/a-b-green")
    flusher = get_flusher(app)
    flusher.flush()
    data = summarise(flusher.store.read(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)), "hour")
    assert data["renders"]["by_family"] == {"custom": 2}
    assert data["cache"]["not_modified"] == 1
