"""The render cache is bounded in bytes, not just entries (``badgeapp/http/render_cache.py``).

Found by the contract hunt: one scale-4 PNG of two 255-character texts is ~700 KB, so an
entry-only LRU of 4096 could be filled by one client with ~3 GB per process. Now bodies over
``MAX_CACHED_BODY`` (an eighth of the cache) are served but not kept, and the total stays under
``RENDER_CACHE_BYTES``.
"""

from __future__ import annotations

import random
import threading
import urllib.parse

from badgeapp.http import render_cache
from badgeapp.http.render_cache import Rendered, _RenderLRU
from badgeapp.render.spec import BadgeSpec

from .checks import check_response


def _sized_renderer(calls: list[str]):
    def render(spec: BadgeSpec, fmt: str = "svg", scale: int = 2, **options) -> Rendered:
        calls.append(spec.message)
        return Rendered(b"x" * int(spec.message), "image/png", '"e"')

    return render


def _spec(size: int) -> BadgeSpec:
    return BadgeSpec(label="", message=str(size))


def test_total_bytes_stay_under_the_bound():
    calls: list[str] = []
    cache = _RenderLRU(_sized_renderer(calls), maxsize=100, maxbytes=1000, max_body=400)
    for size in (300, 300, 300, 300, 100):
        cache(_spec(size), "png", 2, salt=len(calls))  # distinct keys
    assert cache.cache_bytes() <= 1000
    assert cache.cache_info().currsize < 5


def test_large_bodies_are_served_not_kept():
    calls: list[str] = []
    cache = _RenderLRU(_sized_renderer(calls), maxsize=100, maxbytes=10_000, max_body=400)
    big, small = _spec(500), _spec(50)
    assert len(cache(big).body) == 500
    assert len(cache(big).body) == 500
    cache(small)
    cache(small)
    assert calls == ["500", "500", "50"]  # the big one rendered twice, the small one once
    info = cache.cache_info()
    assert (info.hits, info.misses, info.currsize) == (1, 3, 1)
    assert cache.cache_bytes() == 50


def test_entry_bound_still_applies():
    calls: list[str] = []
    cache = _RenderLRU(_sized_renderer(calls), maxsize=3, maxbytes=10_000, max_body=400)
    for size in (1, 2, 3, 4):
        cache(_spec(size))
    cache(_spec(1))  # evicted first, so rendered again
    assert calls == ["1", "2", "3", "4", "1"]


def test_concurrent_use_keeps_the_books_straight():
    calls: list[str] = []
    cache = _RenderLRU(_sized_renderer(calls), maxsize=50, maxbytes=2000, max_body=400)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(300):
            cache(_spec(rng.randint(1, 120)))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.cache_bytes() <= 2000
    held = cache.cache_info().currsize
    assert held <= 50
    assert cache.cache_bytes() == sum(
        len(r.body)
        for r in list(cache._entries.values())  # the real total
    )


def test_a_huge_png_badge_is_kept_within_the_byte_bound(cclient):
    """Through the app: a ~400-700 KB badge PNG (seconds to draw) is kept, and counted in bytes.

    Issue 11: large answers are the expensive ones, so they are cached too; the bound is the
    cache's bytes (one body at most ``MAX_CACHED_BODY``, an eighth), not a small per-body cap.
    """
    rng = random.Random(7)
    text = "".join(chr(rng.randint(0x21, 0x7E)) for _ in range(255))
    query = urllib.parse.urlencode({"label": text, "value": text[::-1], "scale": 4})
    render_cache.clear()
    response = cclient.get("/v2/badge/custom.png?" + query)
    assert check_response(response) == "png"
    assert len(response.data) > 256 * 1024  # over the old per-body cap
    assert render_cache.render.cache_bytes() >= len(response.data)
    assert render_cache.render.cache_bytes() <= render_cache.RENDER_CACHE_BYTES
    again = cclient.get("/v2/badge/custom.png?" + query)
    assert again.data == response.data
    assert render_cache.render.cache_info().hits >= 1


def test_one_body_never_takes_more_than_an_eighth():
    assert render_cache.MAX_CACHED_BODY == render_cache.RENDER_CACHE_BYTES // 8
    calls: list[str] = []
    cache = _RenderLRU(_sized_renderer(calls), maxsize=100, maxbytes=8000, max_body=1000)
    cache(_spec(1001))
    assert cache.cache_bytes() == 0
    cache(_spec(1000))
    assert cache.cache_bytes() == 1000
