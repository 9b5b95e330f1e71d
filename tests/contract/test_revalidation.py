"""Revalidation works the same for every family: an ``<img>`` revalidates, never breaks.

For one badge of each family: the ETag of a 200 answers ``If-None-Match`` (plain, weak
``W/`` or in a list) with ``304 Not Modified``, no body, the same ETag and a Cache-Control;
a different ETag gets the full image again.
"""

from __future__ import annotations

import pytest

from .checks import check_response

URLS = [
    "/v2/badge/custom?label=a&value=b",
    "/v2/badge/custom.png?label=a&value=b",
    "/badge/a-b-blue",
    "/badge/a-b-blue.json",
    "/static/v1?message=m",
    "/v2/badge/github/a/b/stars",
    "/v2/badge/plugin/echo/cpu",
    "/v2/compose?badges=a:b,c:d",
    "/v2/compose.png?badges=a:b",
    "/api/v1/badge/coverage/{org}/{repo}",
    "/badge/{button}.svg",
]


@pytest.mark.parametrize("url", URLS)
def test_every_family_answers_304_to_its_own_etag(cclient, seed, url):
    url = url.format(org=seed.org, repo=seed.repo, button=seed.button)
    first = cclient.get(url)
    assert first.status_code == 200, url
    kind = check_response(first)
    etag = first.headers.get("ETag")
    assert etag and etag.startswith('"'), (url, etag)
    for header in (etag, "W/" + etag, f'"nope", {etag}'):
        again = cclient.get(url, headers={"If-None-Match": header})
        assert again.status_code == 304, (url, header, again.status_code)
        assert again.data == b""
        assert again.headers.get("ETag") == etag
        assert again.headers.get("Cache-Control")
    other = cclient.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert check_response(other) == kind
    assert other.data == first.data or kind == "json"
