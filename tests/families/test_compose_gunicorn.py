"""Issue 11 item 2 under real gunicorn: heavy composite PNGs do not starve a cheap badge.

The report: four scale-4 composites in parallel made a trivial static badge on the same worker
wait 25.4 s. One gunicorn worker (threads) serves four large composite PNGs at once; a static
badge requested meanwhile is answered before any of them (they are drawn in the raster helper
processes, and the request threads wait without holding Python's lock).
"""

from __future__ import annotations

import io
import threading
import time

import pytest
import requests
from PIL import Image

WIDE = "W" * 100 + ":" + "W" * 100


@pytest.mark.slow
def test_a_static_badge_is_answered_while_four_composites_draw(serve_gunicorn):
    server = serve_gunicorn(workers=1, threads=8, RASTER_MAX_HEAVY="2", RASTER_WAIT_SECONDS="60")
    warm = requests.get(
        server.base_url + "/v2/compose",
        params={"badges": ",".join(["w" + WIDE[1:]] * 10), "format": "png", "scale": "4"},
        timeout=120,
    )
    assert warm.status_code == 200  # the helper processes are up
    finished: dict[str, float] = {}
    answers: dict[str, requests.Response] = {}

    def heavy(tag: str) -> None:
        answers[tag] = requests.get(
            server.base_url + "/v2/compose",
            params={"badges": ",".join([tag + WIDE[1:]] * 10), "format": "png", "scale": "4"},
            timeout=120,
        )
        finished[tag] = time.monotonic()

    threads = [threading.Thread(target=heavy, args=(tag,)) for tag in "abcd"]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    cheap = requests.get(server.base_url + "/badge/build-passing-green.png", timeout=60)
    cheap_done = time.monotonic()
    for thread in threads:
        thread.join()
    assert cheap.status_code == 200
    assert cheap_done < min(finished.values()), server.log()[-2000:]
    for response in answers.values():
        assert response.status_code == 200
        image = Image.open(io.BytesIO(response.content))
        assert image.size[1] == 20 and image.size[0] > 20_000  # lowered to scale 1
