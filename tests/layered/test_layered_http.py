"""End to end over real HTTP on loopback: a threaded server, the requests library as the client."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator

import pytest
import requests
from PIL import Image
from werkzeug.serving import make_server

from badgeapp import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def base_url(app_config) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(app_config), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_spec_python_client_example(base_url, example):
    """The spec's Python integration example, run as written (with this server's URL)."""
    response = requests.post(f"{base_url}/api/badge/generate", json=example, timeout=10)
    assert response.status_code == 200
    result = response.json()
    base64_str = result["data"]["base64"].split(",")[1]
    img = Image.open(io.BytesIO(base64.b64decode(base64_str)))
    assert img.size == (600, 600)
    assert result["config"] == example


def test_png_download_and_concurrent_requests(base_url, example):
    results: list[int] = []

    def fetch() -> None:
        response = requests.post(
            f"{base_url}/api/badge/generate",
            json=example,
            headers={"Accept": "image/png"},
            timeout=20,
        )
        assert response.headers["Content-Type"] == "image/png"
        results.append(Image.open(io.BytesIO(response.content)).size[0])

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [600] * 8


def test_oversized_body_over_http_is_413(base_url):
    data = b'{"layers": [], "pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = requests.post(
        f"{base_url}/api/badge/generate",
        data=data,
        headers={"Content-Type": "application/json"},
        timeout=20,
    )
    assert response.status_code == 413
    assert response.json()["detail"][0]["loc"] == ["body"]
