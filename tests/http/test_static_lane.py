"""The hot path's static lane: a plain static badge drawn without Flask's request handling
answers exactly what the Flask view answers, and only plain static badges take the lane."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badgeapp import create_app
from badgeapp.analytics.hooks import get_flusher
from badgeapp.http import hot_path
from badgeapp.http.hot_path import ENVIRON_KEY

#: headers whose values depend on the second the answer was made
TIMED = {"Expires", "Date", "Age"}


@pytest.fixture(scope="module")
def apps(make_module_app):
    """(with the lane: hot path on, without: hot path off, so every answer comes from Flask)."""
    return make_module_app(HOT_PATH_BYTES=16 * 2**20), make_module_app(HOT_PATH_BYTES=0)


def hot(app):
    return app.extensions[ENVIRON_KEY]


def comparable(response) -> tuple:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in TIMED)
    return response.status_code, headers, response.data


def drawn_by_lane(app, path: str, **kwargs) -> tuple[bool, object]:
    before = hot(app).drawn
    response = app.test_client().get(path, **kwargs)
    return hot(app).drawn == before + 1, response


PIECES = [*"abcXYZ09 _-%.~!*()'😀é", "--", "__", "%2F", "%20", "%2D"]
SEGMENT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
COLOR = st.sampled_from(["brightgreen", "red", "ff69b4", "abc", "informational", "%23fff", "x"])


@settings(max_examples=80)
@given(label=SEGMENT, message=SEGMENT, color=COLOR, suffix=st.sampled_from(["", ".svg"]))
def test_the_lane_answers_what_the_view_answers(apps, label, message, color, suffix):
    with_lane, flask_only = apps
    path = f"/badge/{label}-{message}-{color}{suffix}".replace(" ", "%20")
    hits = hot(with_lane).hits  # hypothesis may draw a path twice: then it is stored
    took_lane, fast = drawn_by_lane(with_lane, path)
    slow = flask_only.test_client().get(path)
    assert comparable(fast) == comparable(slow), path
    if not took_lane and hot(with_lane).hits == hits:
        # only what the view would not draw as a 200 badge goes to Flask
        assert slow.status_code != 200 or "/" in path[len("/badge/") :], path


def test_a_readme_badge_takes_the_lane_and_is_stored_the_second_time(apps):
    with_lane, _ = apps
    path = "/badge/build-passing-brightgreen"
    took_lane, first = drawn_by_lane(with_lane, path)
    assert took_lane and first.status_code == 200 and b"passing" in first.data
    assert first.headers["Content-Type"] == "image/svg+xml;charset=utf-8"
    stored = hot(with_lane).stored_bytes()
    took_lane, second = drawn_by_lane(with_lane, path)  # seen before: drawn, then stored
    assert took_lane and second.data == first.data
    assert hot(with_lane).stored_bytes() > stored
    hits = hot(with_lane).hits
    third = with_lane.test_client().get(path)
    assert hot(with_lane).hits == hits + 1 and third.data == first.data
    assert "Age" in third.headers  # served from the store


def test_one_off_badges_do_not_push_repeated_ones_out(make_module_app):
    """A flood of URLs drawn once each (a crawler) is never stored, so a small store keeps the
    README badge that is asked for again and again."""
    app = make_module_app(HOT_PATH_BYTES=64 * 1024)  # room for a few dozen badges
    client = app.test_client()
    for _ in range(3):
        client.get("/badge/build-passing-brightgreen")
    for n in range(300):
        assert client.get(f"/badge/crawl{n}-once-blue").status_code == 200
    hits = hot(app).hits
    assert "Age" in client.get("/badge/build-passing-brightgreen").headers
    assert hot(app).hits == hits + 1


def test_the_once_drawn_are_remembered_in_a_bounded_set(make_module_app, monkeypatch):
    monkeypatch.setattr(hot_path, "SEEN_LIMIT", 50)
    app = make_module_app(HOT_PATH_BYTES=16 * 2**20)
    client = app.test_client()
    for n in range(120):
        client.get(f"/badge/once{n}-drawn-blue")
        assert len(hot(app)._seen) <= 50
    assert hot(app).stored_bytes() == 0  # each drawn once: none stored


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/badge/build-passing-brightgreen?style=flat-square", {}),  # a query: Flask parses it
        ("/badge/build-passing-brightgreen", {"If-None-Match": '"x"'}),  # conditional
        ("/badge/build-passing-brightgreen.png", {}),  # PNG is heavy work, limited in Flask
        ("/badge/build-passing-brightgreen.json", {}),
        ("/badge/github/pallets/flask/stars", {}),  # a V1 provider path, rewritten later
        ("/badge/nothing", {}),  # no static badge: Flask's 404 badge
    ],
)
def test_anything_but_a_plain_static_badge_goes_through_flask(apps, path, headers):
    with_lane, flask_only = apps
    took_lane, fast = drawn_by_lane(with_lane, path, headers=headers)
    assert not took_lane
    slow = flask_only.test_client().get(path, headers=headers)
    assert fast.status_code == slow.status_code


def test_no_lane_where_static_badges_need_a_signature(make_module_app):
    signed = make_module_app(HOT_PATH_BYTES=16 * 2**20, SIGNED_FAMILIES=["custom"])
    took_lane, response = drawn_by_lane(signed, "/badge/build-passing-brightgreen")
    assert not took_lane and response.status_code == 403


def test_a_head_request_goes_through_flask(apps):
    with_lane, _ = apps
    before = hot(with_lane).drawn
    response = with_lane.test_client().head("/badge/head-only-blue")
    assert hot(with_lane).drawn == before and response.status_code == 200


def test_lane_answers_are_counted_like_flask_answers(apps):
    with_lane, _ = apps
    recorder = get_flusher(with_lane).recorder
    recorder.drain()
    took_lane, _ = drawn_by_lane(with_lane, "/badge/counted-once-green")
    assert took_lane
    counts, _ = recorder.drain()
    assert counts[("render", "custom")] == 1
    assert counts[("badge", "/badge/counted-once-green")] == 1


def test_a_failing_lane_leaves_the_request_to_flask(make_module_app):
    app = make_module_app(HOT_PATH_BYTES=16 * 2**20)

    def broken(environ):
        raise RuntimeError("lane bug")

    hot(app).lanes.insert(0, broken)
    response = app.test_client().get("/badge/still-served-blue")
    assert response.status_code == 200 and b"served" in response.data


def test_the_lane_is_on_by_default(app_config):
    app = create_app({key: value for key, value in app_config.items() if key != "HOT_PATH_BYTES"})
    assert hot(app).lanes, "the custom family registers its static lane"
