"""The hot path (badgeapp/http/hot_path.py): repeated requests answered before Flask's routing,
exactly as correct as the slow path (issue 10, item 2; issue 11, item 4)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgeapp import create_app
from badgeapp.badges.cache_keys import structured_key
from badgeapp.http.hot_path import ENVIRON_KEY, request_key
from badgeapp.quality.cache_store import cache_key
from badgeapp.storage import apikeys, db

STATIC = "/badge/build-passing-brightgreen"


def hot(app):
    return app.extensions[ENVIRON_KEY]


@pytest.fixture
def upload_key(app) -> str:
    with db.session_scope(app) as session:
        return apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]


def upload(client, key: str, coverage: float, branch: str | None = None):
    response = client.post(
        "/api/v1/reports/acme/widgets" + (f"?branch={branch}" if branch else ""),
        json={"coverage": coverage},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response


def test_repeated_badge_is_served_from_the_hot_path_with_304(client, app):
    first = client.get(STATIC + "?color=green&label=x")
    assert first.status_code == 200 and "Age" not in first.headers
    hits = hot(app).hits
    again = client.get(STATIC + "?label=x&color=green")  # the same request, other order
    assert hot(app).hits == hits + 1
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Age"] == "0"
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    conditional = client.get(
        STATIC + "?label=x&color=green", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert conditional.status_code == 304 and conditional.data == b""
    assert conditional.headers["ETag"] == first.headers["ETag"]
    head = client.head(STATIC + "?label=x&color=green")
    assert head.status_code == 200 and head.data == b""


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?token=ghp_secret", {}),
        ("?to%6Ben=ghp_secret", {}),  # percent-encoded name, which the app decodes
        ("", {"Authorization": "Bearer ghp_secret"}),
    ],
)
def test_token_requests_are_never_served_from_or_stored_in_the_hot_path(
    client, app, query, headers
):
    public = client.get(STATIC)
    assert public.headers["Cache-Control"].startswith("public")
    hits = hot(app).hits
    for _ in range(2):
        private = client.get(STATIC + query, headers=headers)
        assert private.status_code == 200
        assert private.headers["Cache-Control"].startswith("private")
        assert "Age" not in private.headers
    assert hot(app).hits == hits
    assert all("token" not in repr(key) for key in hot(app).entries)


def test_vary_accept_answers_are_keyed_by_accept(client, app, upload_key):
    upload(client, upload_key, 64.2)
    url = "/api/v1/badge/coverage/acme/widgets"
    image = {"Accept": "image/svg+xml,image/*"}
    json_accept = {"Accept": "application/json"}
    answers = [client.get(url, headers=h) for h in (image, json_accept, image, json_accept)]
    assert [a.mimetype for a in answers] == ["image/svg+xml", "application/json"] * 2
    assert answers[2].data == answers[0].data and answers[3].data == answers[1].data
    assert "Age" in answers[2].headers and "Age" in answers[3].headers  # both from the hot path
    assert all("Accept" in a.headers["Vary"] for a in answers)


def test_upload_invalidates_stored_badges(client, app, upload_key):
    upload(client, upload_key, 64.2)
    url = "/api/v1/badge/coverage/acme/widgets"
    assert b"64.2%" in client.get(url).data
    assert b"64.2%" in client.get(url).data  # stored now
    upload(client, upload_key, 70)
    for _ in range(3):
        assert b"70%" in client.get(url).data


def test_quality_label_cannot_reach_another_branchs_key(client, app, upload_key):
    """Issue 11 item 4: ``?label=:branch=dev`` stored main's value under dev's key."""
    upload(client, upload_key, 85.3)
    upload(client, upload_key, 40, branch="dev")
    url = "/api/v1/badge/coverage/acme/widgets"
    assert b"85.3%" in client.get(url + "?label=:branch=dev").data
    assert b"40%" in client.get(url + "?branch=dev").data


def test_plugin_reload_invalidates_stored_badges(app_config):
    app = create_app({**app_config, "PLUGINS_RELOAD_INTERVAL": 0.01})
    client = app.test_client()
    plugin = Path(app_config["BADGEAPP_PLUGINS_DIR"]) / "counter.py"
    plugin.write_text('def get_metric(metric):\n    return "one"\n')
    time.sleep(0.05)
    url = "/v2/badge/plugin/counter/visits"
    assert b"one" in client.get(url).data
    assert b"one" in client.get(url).data
    plugin.write_text('def get_metric(metric):\n    return "two!"\n')
    time.sleep(0.05)
    assert b"two!" in client.get(url).data


def test_lifetime_is_honoured(client, app):
    for _ in range(2):  # the static lane's answer is stored when it is drawn a second time
        assert client.get(STATIC).status_code == 200
    assert (
        client.get(STATIC + "?cacheSeconds=90000")
        .headers["Cache-Control"]
        .startswith("public, max-age=90000")
    )
    stored = {key[3] + repr(key[5]): entry for key, entry in hot(app).entries.items()}
    lifetimes = sorted(round(e.expires_at - e.stored_at) for e in stored.values())
    assert lifetimes == [86400, 90000]
    for entry in stored.values():  # time passes
        entry.expires_at = time.time() - 1
    hits = hot(app).hits
    assert client.get(STATIC).status_code == 200
    assert hot(app).hits == hits  # expired: answered by the app again


def test_percent_encoded_paths_are_not_their_decoded_twins(client):
    """``%2D`` inside a segment is not a separator: the key keeps the path as sent."""
    for _ in range(2):
        encoded = client.get("/badge/x%2Dy-green")
        plain = client.get("/badge/x-y-green")
        assert b'aria-label="x-y"' in encoded.data
        assert b'aria-label="x: y"' in plain.data


def test_uncacheable_answers_are_not_stored(client, app):
    client.get(STATIC + "?cacheSeconds=0&label=a")  # the family default still applies
    client.get("/health")
    client.get("/plugins/list")
    for key in hot(app).entries:
        assert key[3] not in ("/health", "/plugins/list")


def test_memory_is_bounded_in_bytes(app_config):
    app = create_app({**app_config, "HOT_PATH_BYTES": 40_000})
    client = app.test_client()
    for n in range(200):
        for _ in range(2):  # a static lane's answer is stored when it is drawn a second time
            assert client.get(f"/badge/n{n}-passing-green").status_code == 200
        assert hot(app).stored_bytes() <= 40_000
    assert 10 < len(hot(app).entries) < 200


def test_hot_path_can_be_turned_off(app_config):
    app = create_app({**app_config, "HOT_PATH_BYTES": 0})
    assert ENVIRON_KEY not in app.extensions
    assert app.test_client().get(STATIC).status_code == 200


PAIRS = st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6)), max_size=4)


def _environ(path: str, pairs: list[tuple[str, str]]) -> dict:
    from urllib.parse import urlencode

    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(pairs),
        "HTTP_HOST": "example.test",
    }


@given(
    st.sampled_from(["/badge/a-b-c", "/badge/a-b"]),
    PAIRS,
    st.sampled_from(["/badge/a-b-c", "/badge/a-b"]),
    PAIRS,
)
def test_distinct_requests_never_share_a_hot_path_key(path_a, pairs_a, path_b, pairs_b):
    key_a = request_key(_environ(path_a, pairs_a))
    key_b = request_key(_environ(path_b, pairs_b))
    if key_a is None or key_b is None:
        return  # token requests never get a key

    def canonical(path, pairs):  # names sorted, the order of one name's values kept
        return path, sorted(pairs, key=lambda pair: pair[0])

    same_request = canonical(path_a, pairs_a) == canonical(path_b, pairs_b)
    assert (key_a == key_b) == same_request


PART = st.text(alphabet=':=/\\"ab,[]', max_size=6)


@given(st.tuples(PART, PART, PART, st.none() | PART), st.tuples(PART, PART, PART, st.none() | PART))
def test_distinct_quality_requests_never_share_a_cache_key(a, b):
    key_a = cache_key("acme/widgets", "coverage", *a)
    key_b = cache_key("acme/widgets", "coverage", *b)
    normalise = lambda t: (*t[:3], t[3] or None)  # noqa: E731  no branch == the default branch
    assert (key_a == key_b) == (normalise(a) == normalise(b))


@given(st.lists(PART, max_size=4), st.lists(PART, max_size=4))
def test_structured_keys_are_injective(a, b):
    assert (structured_key(*a) == structured_key(*b)) == (a == b)
