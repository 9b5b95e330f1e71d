"""Issue 11 items 2 and 5: a composite's raster cost and upstream fan-out are bounded.

Item 2: ``/v2/compose`` with 20 items of 100 + 100 wide characters at ``format=png&scale=4`` drew
176144x80 pixels in 8.8 s, was never cached, and four in parallel made a static badge on the
same worker wait 25 s. Now a composite PNG has at most ``COMPOSE_MAX_PNG_PIXELS`` pixels (the
scale is lowered to fit) and ``MAX_PNG_TEXT_CHARS`` characters, is kept in the render cache, and
large rasters run in helper processes, at most ``RASTER_MAX_HEAVY`` at a time (``Busy`` badge
after ``RASTER_WAIT_SECONDS``), so a cheap badge is answered while they draw.

Item 5: one compose of 20 ``github/*/activity_rank`` items made 40 upstream GETs. Now one
request makes at most ``COMPOSE_MAX_COLD_FETCHES``; items past it are drawn stale or
``not fetched``; cached answers cost nothing.
"""

from __future__ import annotations

import io
import threading
import time
import uuid

import pytest
from fake_upstream import FakeUpstream
from PIL import Image

from badgeapp.families.compose import MAX_PNG_TEXT_CHARS
from badgeapp.http import render_cache
from badgeapp.render.raster import HEAVY_PIXELS

WIDE = "W" * 100 + ":" + "W" * 100  # the issue's "100:100" item: about 2,200 px wide


@pytest.fixture
def app_config(app_config: dict, fake_upstream: FakeUpstream) -> dict:
    return {
        **app_config,
        **fake_upstream.config(),
        "REDIS_PREFIX": f"test-{uuid.uuid4().hex[:10]}:",
        "UPSTREAM_READ_TIMEOUT": 2.0,
        # these tests watch the render cache and the fetch budget behind the hot path, whose
        # stored answers (60 s for a composite with unfetched items) would answer repeats first
        "HOT_PATH_BYTES": 0,
    }


def png_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.size


def compose_png(client, badges: list[str], scale: int = 4, **extra):
    query = {"badges": ",".join(badges), "format": "png", "scale": str(scale), **extra}
    return client.get("/v2/compose", query_string=query)


# -- item 2: raster cost


def test_the_issues_composite_is_refused_cheaply(client):
    response = compose_png(client, [WIDE] * 20)
    assert response.content_type == "image/png"
    width, height = png_size(response.data)
    assert width < 1000 and height <= 80  # an error badge, not a 176144x80 raster
    assert len(WIDE.replace(":", "")) * 20 > MAX_PNG_TEXT_CHARS
    svg = client.get("/v2/compose", query_string={"badges": ",".join([WIDE] * 20)})
    assert svg.status_code == 200  # the SVG (drawn by the viewer) is still served


def test_a_wide_composite_is_drawn_at_a_lower_scale(client, app):
    budget = app.config.get("COMPOSE_MAX_PNG_PIXELS") or 1_000_000
    response = compose_png(client, [WIDE] * 10, scale=4)
    assert response.status_code == 200
    width, height = png_size(response.data)
    assert width * height <= budget
    assert height == 20  # scale 1: 22,000 x 20 fits, scale 2 would not
    assert width > 20_000


def test_ordinary_composites_keep_the_requested_scale(client):
    response = compose_png(client, [f"item{i}:{i}" for i in range(20)], scale=4)
    assert png_size(response.data)[1] == 80


def test_too_large_even_at_scale_one_is_an_error_badge(client, app):
    app.config["COMPOSE_MAX_PNG_PIXELS"] = 500
    response = compose_png(client, ["a:1", "b:2", "c:3"], scale=1)
    assert response.content_type == "image/png"
    assert response.headers["Cache-Control"].startswith("no-cache")  # an error, not kept
    assert png_size(response.data)[0] * png_size(response.data)[1] > 500  # the error badge
    json_error = client.get("/v2/compose.json?badges=a:1")  # JSON is not rasterised
    assert json_error.status_code == 200


def test_big_composites_are_cached(client):
    render_cache.clear()
    badges = [WIDE] * 9
    first = compose_png(client, badges)
    hits, misses = render_cache.render.cache_info()[:2]
    second = compose_png(client, badges)
    assert second.data == first.data
    info = render_cache.render.cache_info()
    assert info.hits >= hits + 1
    assert info.misses == misses  # nothing was drawn again
    assert render_cache.render.cache_bytes() <= render_cache.RENDER_CACHE_BYTES


def heavy_badges(tag: str) -> list[str]:
    """A distinct composite (no cache hit) whose raster is over ``HEAVY_PIXELS``."""
    return [tag + WIDE[1:]] * 10


@pytest.mark.slow
def test_a_cheap_badge_is_not_held_up_by_heavy_composites(app):
    assert HEAVY_PIXELS < 10 * 2_200 * 20
    app.config["RASTER_MAX_HEAVY"] = 2
    app.config["RASTER_WAIT_SECONDS"] = 60
    done: dict[str, float] = {}

    def heavy(tag: str) -> None:
        response = compose_png(app.test_client(), heavy_badges(tag))
        assert response.status_code == 200
        done[tag] = time.perf_counter()

    render_cache.clear()
    compose_png(app.test_client(), heavy_badges("u"))  # start the helper processes
    threads = [threading.Thread(target=heavy, args=(tag,)) for tag in "abcd"]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    cheap = app.test_client().get("/badge/build-passing-green.png")
    cheap_done = time.perf_counter()
    assert cheap.status_code == 200
    for thread in threads:
        thread.join()
    assert len(done) == 4
    # the static badge was answered while the four composites were still being drawn
    assert cheap_done < min(done.values())


@pytest.mark.slow
def test_heavy_rasters_past_the_cap_get_a_busy_badge(app):
    app.config["RASTER_MAX_HEAVY"] = 1
    app.config["RASTER_WAIT_SECONDS"] = 0.05
    render_cache.clear()
    compose_png(app.test_client(), heavy_badges("v"))  # start the helper process
    statuses: list[int] = []

    def heavy(tag: str) -> None:
        statuses.append(compose_png(app.test_client(), heavy_badges(tag)).status_code)

    threads = [threading.Thread(target=heavy, args=(tag,)) for tag in "efgh"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 200 in statuses
    assert 503 in statuses  # "compose | busy, retry shortly", not a queue of seconds


# -- item 5: upstream fan-out


def rank_items(count: int = 20, prefix: str = "o") -> list[str]:
    return [f"github/{prefix}{i}/repo{i}/activity_rank" for i in range(count)]


def compose_json(client, badges: list[str]) -> list[dict]:
    response = client.get("/v2/compose.json", query_string={"badges": ",".join(badges)})
    assert response.status_code == 200
    return response.get_json()["badges"]


def test_one_compose_makes_at_most_the_cold_fetch_cap(client, fake_upstream):
    fake_upstream.reset_counts()
    items = compose_json(client, rank_items(20))
    assert len(items) == 20
    calls = fake_upstream.count("/github/")
    assert calls <= 8  # was 40: two GETs per item
    assert calls >= 2
    skipped = [item for item in items if item["error"] == "not fetched"]
    assert skipped  # items past the cap are drawn, not fetched
    assert all(item["label"] for item in items)


def test_cached_items_are_free_so_repeats_fill_in(client, fake_upstream):
    fake_upstream.reset_counts()
    for _ in range(12):
        items = compose_json(client, rank_items(20, prefix="r"))
        if not any(item["error"] for item in items):
            break
    assert not any(item["error"] for item in items)
    assert fake_upstream.count("/github/") == 40  # each resource fetched once, over requests


def test_the_cap_is_a_config_key(app, client, fake_upstream):
    app.config["COMPOSE_MAX_COLD_FETCHES"] = 0
    fake_upstream.reset_counts()
    items = compose_json(client, rank_items(5, prefix="z"))
    assert fake_upstream.count("/github/") == 0
    assert [item["error"] for item in items] == ["not fetched"] * 5


def test_items_past_the_cap_are_served_stale_when_a_value_exists(app, client, fake_upstream):
    app.config["UPSTREAM_FRESH_SECONDS"] = 0  # every cached answer is due for revalidation
    app.config["COMPOSE_MAX_COLD_FETCHES"] = 100
    first = compose_json(client, rank_items(3, prefix="s"))
    assert not any(item["error"] for item in first)
    app.config["COMPOSE_MAX_COLD_FETCHES"] = 0
    fake_upstream.reset_counts()
    response = client.get("/v2/compose", query_string={"badges": ",".join(rank_items(3, "s"))})
    assert fake_upstream.count("/github/") == 0
    assert response.headers.get("X-Badge-Stale") == "1"


def test_single_badges_are_not_capped(client, fake_upstream):
    fake_upstream.reset_counts()
    response = client.get("/v2/badge/github/solo/repo/activity_rank.json")
    assert response.status_code == 200
    assert fake_upstream.count("/github/") == 2


def test_the_raster_settings_apply_to_every_png_of_the_process(app_config):
    from badgeapp import create_app
    from badgeapp.render import raster

    try:
        create_app({**app_config, "RASTER_MAX_HEAVY": 3, "RASTER_WAIT_SECONDS": 0.5})
        assert raster._LANE == {"max_heavy": 3, "wait": 0.5}
    finally:
        raster.configure(max_heavy=raster.DEFAULT_MAX_HEAVY, wait=raster.DEFAULT_WAIT)
