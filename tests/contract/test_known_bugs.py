"""Bugs the contract tests found in files this area does not own, one strict xfail each.

Each test states the contract in the plainest request that breaks it; the reason names the
finding in ``.qa-findings.md``. When the owner fixes the bug the test passes, strict xfail
turns that into a failure, and the marker (and the walk's ``KNOWN_BUGS`` filter) must go.
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


@pytest.mark.xfail(
    strict=True,
    reason="finding 8: quality_badge answers the spec's 400 as JSON before asking whether the "
    "client wants JSON, so an <img> gets a broken image",
)
@pytest.mark.parametrize("query", ["style=for-the-badge", "style=social", "branch=a~b"])
def test_quality_refusal_is_an_image_for_image_clients(cclient, seed, query):
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


@pytest.mark.xfail(
    strict=True,
    reason="finding 10: a 7.5 KB compose URL draws a 358124 x 112 PNG (40 Mpx, ~4.5 s CPU)",
)
def test_one_url_cannot_make_a_huge_png(cclient):
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
