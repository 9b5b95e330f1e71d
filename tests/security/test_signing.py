"""Signed URLs: HMAC-SHA256 ``sig`` (+ ``exp``) over the canonical path and query."""

from __future__ import annotations

import time
import urllib.parse

import pytest

from badgeapp import create_app
from badgeapp.security.signing import (
    canonical,
    parse_duration,
    sign_command,
    sign_url,
    signing_key,
)


@pytest.fixture
def signed_app(app_config):
    return create_app({**app_config, "SIGNING_KEY": "k3y-for-tests", "SIGNED_FAMILIES": "custom"})


@pytest.fixture
def key(signed_app):
    return signing_key(signed_app.config)


def label_of(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('aria-label="', 1)[1].split('"', 1)[0]


def test_signed_url_is_accepted(signed_app, key):
    client = signed_app.test_client()
    url = sign_url("/badge/build-passing-brightgreen?style=flat-square", key)
    response = client.get(url)
    assert response.status_code == 200
    assert label_of(response) == "build: passing"


def test_query_order_and_spelling_do_not_matter(signed_app, key):
    client = signed_app.test_client()
    url = sign_url("/v2/badge/custom?label=Build&value=Passing&color=green", key)
    path, query = url.split("?", 1)
    pairs = urllib.parse.parse_qsl(query)
    shuffled = path + "?" + urllib.parse.urlencode(list(reversed(pairs)))
    assert client.get(shuffled).status_code == 200


def test_missing_signature_is_refused_for_a_signed_family(signed_app):
    response = signed_app.test_client().get("/badge/build-passing-brightgreen")
    assert response.status_code == 403
    assert response.mimetype == "image/svg+xml"
    assert label_of(response) == "403: signature required"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda u: u.replace("passing", "failing"),
        lambda u: u.replace("style=flat", "style=plastic"),
        lambda u: u + "&logo=github",
        lambda u: u[:-2] + ("AA" if not u.endswith("AA") else "BB"),
        lambda u: u + "&sig=again",
    ],
)
def test_tampered_url_is_refused(signed_app, key, tamper):
    url = sign_url("/badge/build-passing-brightgreen?style=flat", key)
    response = signed_app.test_client().get(tamper(url))
    assert response.status_code == 403
    assert label_of(response) == "403: invalid signature"


def test_other_key_is_refused(signed_app):
    url = sign_url("/badge/build-passing-brightgreen", b"another key")
    assert signed_app.test_client().get(url).status_code == 403


def test_expiry(signed_app, key):
    client = signed_app.test_client()
    fresh = sign_url("/badge/a-b-green", key, expires_at=int(time.time()) + 60)
    assert client.get(fresh).status_code == 200
    expired = sign_url("/badge/a-b-green", key, expires_at=int(time.time()) - 1)
    response = client.get(expired)
    assert response.status_code == 403
    assert label_of(response) == "403: signature expired"
    # moving the expiry forward breaks the signature
    forged = expired.replace(f"exp={int(time.time()) - 1}", f"exp={int(time.time()) + 600}")
    assert client.get(forged).status_code == 403


def test_json_clients_get_the_json_error(signed_app):
    client = signed_app.test_client()
    response = client.get("/badge/a-b-green.json?sig=nope")
    assert response.status_code == 403
    assert response.get_json()["message"] == "invalid signature"
    response = client.get("/badge/a-b-green", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.get_json()["error"] == "Forbidden"


def test_unsigned_families_still_check_a_signature_they_carry(signed_app, key):
    client = signed_app.test_client()
    assert client.get("/v2/compose?badges=stars:100,forks:50").status_code == 200
    assert client.get("/health?sig=forged").status_code == 403
    assert client.get(sign_url("/health", key)).status_code == 200


def test_token_requests_need_a_signature_when_configured(app_config):
    app = create_app({**app_config, "SIGNING_KEY": "k", "SIGN_TOKEN_REQUESTS": True})
    client = app.test_client()
    assert client.get("/badge/a-b-green").status_code == 200
    assert client.get("/badge/a-b-green?token=ghp_x").status_code == 403
    response = client.get("/badge/a-b-green", headers={"Authorization": "Bearer ghp_x"})
    assert response.status_code == 403
    signed = sign_url("/badge/a-b-green?token=ghp_x", signing_key(app.config))
    assert client.get(signed).status_code == 200


def test_key_defaults_to_one_derived_from_secret_key(app_config):
    app = create_app({**app_config, "SECRET_KEY": "s"})
    key = signing_key(app.config)
    assert key != b"s" and len(key) == 32
    assert app.test_client().get(sign_url("/badge/a-b-green", key)).status_code == 200


def test_canonical_form_sorts_and_drops_sig():
    assert canonical("/p", [("b", "2"), ("sig", "x"), ("a", "1 2")]) == "/p?a=1%202&b=2"


@pytest.mark.parametrize(
    ("text", "seconds"), [("3600", 3600), ("90s", 90), ("15m", 900), ("2h", 7200), ("7d", 604800)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_sign_command(signed_app, key):
    runner = signed_app.test_cli_runner()
    result = runner.invoke(
        sign_command, ["https://badges.example.com/badge/a-b-green?style=flat", "--expires", "1h"]
    )
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("https://badges.example.com/badge/a-b-green?style=flat&exp=")
    path = url.removeprefix("https://badges.example.com")
    assert signed_app.test_client().get(path).status_code == 200
    bad = runner.invoke(sign_command, ["/badge/a-b-green", "--expires", "soon"])
    assert bad.exit_code != 0


def test_sign_is_a_badgeapp_command():
    from badgeapp.cli import cli

    assert "sign" in cli.commands


def test_unknown_signed_family_stops_start_up(app_config):
    from badgeapp import ConfigError

    with pytest.raises(ConfigError, match="SIGNED_FAMILIES: no family compse"):
        create_app({**app_config, "SIGNED_FAMILIES": "compse"})


def test_signed_json_api_family(app_config):
    app = create_app({**app_config, "SIGNING_KEY": "k", "SIGNED_FAMILIES": "compose,layered"})
    client = app.test_client()
    body = {"width": 100, "height": 20, "layers": []}
    response = client.post("/api/badge/generate", json=body)
    assert response.status_code == 403
    assert response.get_json() == {
        "error": "Forbidden",
        "code": 403,
        "message": "signature required",
        "requestId": response.get_json()["requestId"],
    }
    signed = sign_url("/api/badge/generate", signing_key(app.config))
    assert client.post(signed, json=body).status_code != 403
    assert client.get("/v2/compose?badges=a:1").status_code == 403
    assert (
        client.get(sign_url("/v2/compose?badges=a:1", signing_key(app.config))).status_code == 200
    )
