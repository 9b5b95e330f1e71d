"""V1 routes answer like their v2 forms, marked deprecated; shields static badges are untouched."""

from __future__ import annotations

import pytest

from badgeapp import create_app
from badgeapp.http.v1 import DEPRECATION
from badgeapp.security.signing import sign_url, signing_key


@pytest.fixture
def v1_client(app_config, fake_upstream):
    return create_app({**app_config, **fake_upstream.config()}).test_client()


@pytest.mark.parametrize(
    ("v1", "v2"),
    [
        ("/badge/github/pallets/flask/stars", "/v2/badge/github/pallets/flask/stars"),
        ("/v1/badge/github/pallets/flask/stars", "/v2/badge/github/pallets/flask/stars"),
        ("/badge/github/pallets/flask/forks.svg", "/v2/badge/github/pallets/flask/forks.svg"),
        (
            "/v1/badge/github/pallets/flask/stars?format=json",
            "/v2/badge/github/pallets/flask/stars?format=json",
        ),
        ("/badge/pypi/flask/version", "/v2/badge/pypi/flask/version"),
        ("/badge/custom?label=Build&value=Passing", "/v2/badge/custom?label=Build&value=Passing"),
        (
            "/v1/badge/custom?label=Build&value=Passing&color=green&style=cyberpunk",
            "/v2/badge/custom?label=Build&value=Passing&color=green&style=cyberpunk",
        ),
        ("/badge/custom.json?label=a&value=b", "/v2/badge/custom.json?label=a&value=b"),
        ("/v1/compose?badges=stars:100,forks:50", "/v2/compose?badges=stars:100,forks:50"),
        ("/v1/compose.json?badges=a:1", "/v2/compose.json?badges=a:1"),
    ],
)
def test_v1_answers_like_v2(v1_client, v1, v2):
    old, new = v1_client.get(v1), v1_client.get(v2)
    assert old.status_code == new.status_code == 200
    assert old.mimetype == new.mimetype
    assert old.get_data() == new.get_data()
    assert old.headers["ETag"] == new.headers["ETag"]
    assert old.headers["Deprecation"] == DEPRECATION
    assert old.headers["Link"] == f'<{v2}>; rel="successor-version"'
    assert "Deprecation" not in new.headers


def test_v1_conditional_requests(v1_client):
    first = v1_client.get("/badge/github/pallets/flask/stars")
    again = v1_client.get(
        "/badge/github/pallets/flask/stars", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["Deprecation"] == DEPRECATION


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/badge/github-stars-blue", "github: stars"),
        ("/badge/custom-badge-blue", "custom: badge"),
        ("/badge/github%2Fa%2Fb%2Fc-stars-blue", "github/a/b/c: stars"),
        ("/badge/plugin-x-blue", "plugin: x"),
    ],
)
def test_shields_static_badges_are_not_rewritten(v1_client, path, label):
    response = v1_client.get(path)
    assert response.status_code == 200
    assert f'aria-label="{label}"' in response.get_data(as_text=True)
    assert "Deprecation" not in response.headers


def test_unknown_v1_paths_are_v2_404s(v1_client):
    response = v1_client.get("/v1/badge/nosuch/a/b/c")
    assert response.status_code == 404
    assert "badge not found" in response.get_data(as_text=True)
    assert v1_client.get("/badge/nosuchprovider/a/b/stars").status_code == 404


def test_v1_post_is_not_rewritten(v1_client):
    assert "Deprecation" not in v1_client.post("/v1/badge/custom?value=x").headers


def test_signed_v1_url_is_checked_against_the_v1_path(app_config, fake_upstream):
    app = create_app(
        {**app_config, **fake_upstream.config(), "SIGNING_KEY": "k", "SIGNED_FAMILIES": "providers"}
    )
    client = app.test_client()
    assert client.get("/badge/github/pallets/flask/stars").status_code == 403
    signed = sign_url("/badge/github/pallets/flask/stars", signing_key(app.config))
    assert client.get(signed).status_code == 200


@pytest.mark.slow
def test_v1_through_gunicorn(serve_gunicorn):
    import requests

    server = serve_gunicorn(workers=1, threads=4)
    static = requests.get(server.base_url + "/badge/github%2Fa%2Fb%2Fc-stars-blue", timeout=10)
    assert static.status_code == 200 and "Deprecation" not in static.headers
    custom = requests.get(server.base_url + "/badge/custom?label=Build&value=Passing", timeout=10)
    assert custom.status_code == 200
    assert custom.headers["Deprecation"] == DEPRECATION
    assert 'aria-label="Build: Passing"' in custom.text
