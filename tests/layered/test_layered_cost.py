"""Issue 11 item 1: a request's images are budgeted by decoded pixels before any is decoded.

The attack: 64 ImageLayers, each a ``data:`` PNG of 4096x4096 1-bit pixels (about 2 KB each),
took a worker from 94 MiB to 4.3 GB RSS, kept after the request, and 16.5 s of CPU. Now the
decoded pixels are summed over the request from the images' headers and the request is refused
before decoding; images within the budget are decoded straight to their drawn size; and the
decoded-image cache is bounded in bytes.
"""

from __future__ import annotations

import functools
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from layered_builders import body, data_uri, image_layer, png_bytes
from PIL import Image

from badgeapp.layered import AssetLibrary
from badgeapp.layered.compose import DEFAULT_MAX_DECODED_PIXELS

URL = "/api/badge/generate"
PROBE = Path(__file__).with_name("rss_probe.py")
MiB = 1024 * 1024


@functools.cache
def one_bit_png(seed: int, side: int = 4096) -> bytes:
    """A 1-bit PNG of ``side`` x ``side`` pixels, a couple of KB, distinct per ``seed``."""
    image = Image.new("1", (side, side), 0)
    image.putpixel((seed % side, seed // side % side), 1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def bomb_body(count: int = 64, side: int = 4096) -> dict:
    layers = [image_layer(data_uri(one_bit_png(i, side)), size=50, z=i) for i in range(count)]
    return body(*layers)


def probe(tmp_path: Path, request_body: dict, query: str = "format=png") -> dict:
    file = tmp_path / "body.json"
    file.write_text(json.dumps(request_body))
    done = subprocess.run(
        [sys.executable, str(PROBE), str(file), query],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=Path(__file__).parent,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_attack_body_is_as_small_as_in_the_issue():
    payload = json.dumps(bomb_body())
    assert len(payload) < 200_000  # 64 images of 4096x4096 in under 200 KB
    assert sum(len(one_bit_png(i)) for i in range(3)) < 3 * 3000


def test_64_one_bit_4096_images_are_refused_naming_a_layer(client):
    response = client.post(URL + "?format=png", json=bomb_body())
    assert response.status_code == 422
    (error,) = response.get_json()["detail"]
    assert error["loc"][:3] == ["body", "layers", 2]  # the third 16.8 Mpx image crosses 33.5 Mpx
    assert error["loc"][3] == "path"
    assert "too much image data" in error["msg"]
    assert str(DEFAULT_MAX_DECODED_PIXELS) in error["msg"]


def test_the_budget_is_summed_over_the_request_not_per_image(client):
    two = client.post(URL + "?format=png", json=bomb_body(count=2))
    three = client.post(URL + "?format=png", json=bomb_body(count=3))
    assert two.status_code == 200
    assert three.status_code == 422


def test_the_same_image_many_times_is_counted_once(client):
    uri = data_uri(one_bit_png(7))
    layers = [image_layer(uri, size=40, z=i) for i in range(20)]
    assert client.post(URL + "?format=png", json=body(*layers)).status_code == 200


def test_the_budget_is_a_config_key(app, client):
    app.config["LAYERED_MAX_DECODED_PIXELS"] = 1000
    small = image_layer(data_uri(png_bytes((40, 40))))  # 1,600 pixels
    response = client.post(URL, json=body(small))
    assert response.status_code == 422
    assert "more than the 1000" in response.get_json()["detail"][0]["msg"]


@pytest.mark.slow
def test_the_attack_is_refused_without_memory_or_time(tmp_path):
    result = probe(tmp_path, bomb_body())
    assert result["status"] == 422
    assert result["peak_growth"] < 40 * MiB, result  # was 4.2 GB
    assert result["kept_growth"] < 20 * MiB, result
    # (its time, was 16.5 s of CPU, is measured by benchmarks/bench_heavy.py)


@pytest.mark.slow
def test_images_within_the_budget_are_decoded_to_their_drawn_size(tmp_path):
    # two 4096x4096 images (the most the budget allows) drawn 50 units wide
    result = probe(tmp_path, bomb_body(count=2))
    assert result["status"] == 200, result
    # one decode at a time, in the image's own 1-byte mode, shrunk at once: one 16 MiB buffer
    # plus its reduction, never 64 MiB RGBA per image (let alone kept)
    assert result["peak_growth"] < 60 * MiB, result
    assert result["kept_growth"] < 20 * MiB, result


def test_the_image_cache_is_bounded_in_bytes():
    library = AssetLibrary([], cache_bytes=1 * MiB)
    for seed in range(40):
        source = library.open_source(data_uri(png_bytes((200, 200), (seed, 0, 0, 255))))
        assert library.picture(source).size == (200, 200)  # 160 KB each as RGBA
        assert library.cached_bytes() <= 1 * MiB
    assert library.cached_bytes() > 0


def test_a_picture_bigger_than_a_quarter_of_the_cache_is_not_kept():
    library = AssetLibrary([], cache_bytes=1 * MiB)
    source = library.open_source(data_uri(png_bytes((600, 600))))  # 1.4 MB as RGBA
    assert library.picture(source).size == (600, 600)
    assert library.cached_bytes() == 0


def test_pictures_are_decoded_at_the_drawn_size():
    library = AssetLibrary([])
    source = library.open_source(data_uri(one_bit_png(3)))
    assert source.size == (4096, 4096)
    picture = library.picture(source, (50, 50))
    assert picture.size == (50, 50)
    assert picture.mode == "RGBA"
    assert library.cached_bytes() == 50 * 50 * 4
