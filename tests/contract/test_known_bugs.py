"""Bugs the contract tests found in files this area does not own, one test each.

Each test states the contract in the plainest request that broke it and names the finding in
``.qa-findings.md``. An open bug's test is a strict xfail (with a ``KNOWN_BUGS`` filter for the
walk); once the owner fixes it, the marker goes and the test stays as a regression test.
"""

from __future__ import annotations

import pytest

from .checks import check_response


@pytest.mark.parametrize("url", ["/v2/compose?badges=a%00:b", "/v2/compose?badges=%1B"])
def test_compose_title_with_control_character_is_valid_xml(cclient, url):
    """Finding 1 (fixed in a5cee8b): kept as a regression test."""
    check_response(cclient.get(url))


#: what Chrome sends for an <img>
BROWSER_IMAGE_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"


@pytest.mark.parametrize("query", ["style=for-the-badge", "style=social", "branch=a~b"])
def test_quality_refusal_is_an_image_for_image_clients(cclient, seed, query):
    """Finding 8 (fixed by the quality owner), kept as a regression test."""
    url = f"/api/v1/badge/coverage/{seed.org}/{seed.repo}?{query}"
    response = cclient.get(url, headers={"Accept": BROWSER_IMAGE_ACCEPT})
    assert response.status_code == 400  # the spec's status stays
    assert check_response(response) == "svg"


@pytest.mark.parametrize("query", ["style=for-the-badge", "branch=a~b"])
def test_quality_refusal_is_the_spec_json_for_json_clients(cclient, seed, query):
    url = f"/api/v1/badge/coverage/{seed.org}/{seed.repo}?{query}&format=json"
    response = cclient.get(url)
    assert response.status_code == 400
    assert check_response(response) == "json"
    assert response.get_json()["detail"].startswith("Invalid")


#: the most pixels one badge URL may make the server draw (a 4096 x 4096 image)
MAX_PNG_PIXELS = 4096 * 4096


def test_one_url_cannot_make_a_huge_png(cclient):
    """Finding 10 (fixed by the compose owner), kept as a regression test."""
    import io

    from PIL import Image

    item = "W" * 250 + ":" + "W" * 250
    url = "/v2/compose.png?scale=4&style=for-the-badge&badges=" + ",".join([item] * 15)
    response = cclient.get(url)
    kind = check_response(response)
    if kind == "png":
        with Image.open(io.BytesIO(response.data)) as image:
            width, height = image.size
        assert width * height <= MAX_PNG_PIXELS, (width, height)


def test_single_badge_png_stays_small(cclient):
    """The same words on one badge: bounded by the 255-character text limit."""
    import io

    from PIL import Image

    url = "/v2/badge/custom.png?scale=4&style=for-the-badge&label=" + "W" * 300 + "&value=x"
    with Image.open(io.BytesIO(cclient.get(url).data)) as image:
        width, height = image.size
    assert width * height <= MAX_PNG_PIXELS


def test_quality_badge_varies_on_accept(cclient, seed):
    """Finding 16 (fixed): the same URL answers JSON or SVG by Accept, so it says Vary: Accept."""
    url = f"/api/v1/badge/coverage/{seed.org}/{seed.repo}"
    image = cclient.get(url, headers={"Accept": BROWSER_IMAGE_ACCEPT})
    document = cclient.get(url, headers={"Accept": "application/json"})
    assert (check_response(image), check_response(document)) == ("svg", "json")
    for response in (image, document):
        assert "accept" in response.headers.get("Vary", "").lower(), response.headers
