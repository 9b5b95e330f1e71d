"""The shared response path through HTTP: headers, ETag/304, CORS/CSP, error badges, formats."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from werkzeug.http import http_date, parse_date

from badgeapp.http import render_cache
from badgeapp.http.badge_response import SERVER_START, SVG_CSP
from badgeapp.render.colors import to_svg_color


def test_svg_headers(bclient):
    response = bclient.get("/probe/value")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml;charset=utf-8"
    assert response.headers["Cache-Control"] == (
        "public, max-age=300, s-maxage=300, stale-while-revalidate=86400"
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == SVG_CSP
    assert "default-src 'none'" in SVG_CSP
    assert parse_date(response.headers["Last-Modified"]) is not None
    expires = parse_date(response.headers["Expires"])
    now = dt.datetime.now(dt.UTC)
    assert dt.timedelta(seconds=290) < expires - now <= dt.timedelta(seconds=301)


def test_png_and_json_content_types(bclient):
    png = bclient.get("/probe/value?format=png")
    assert png.headers["Content-Type"] == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Content-Security-Policy" not in png.headers
    assert png.headers["Access-Control-Allow-Origin"] == "*"
    data = bclient.get("/probe/value?format=json")
    assert data.headers["Content-Type"] == "application/json"
    assert data.get_json() == {
        "schemaVersion": 1,
        "label": "probe",
        "message": "42",
        "color": "blue",
    }


@pytest.mark.parametrize(
    ("query", "seconds"),
    [
        ("", 300),
        ("&cacheSeconds=3600", 3600),  # raises
        ("&cacheSeconds=10", 300),  # never lowers
        ("&cacheSeconds=0", 300),
        ("&cacheSeconds=-5", 300),
        ("&cacheSeconds=junk", 300),
        ("&maxAge=7200", 7200),  # legacy name
        ("&cacheSeconds=99999999999", 365 * 24 * 3600),  # capped at a year
    ],
)
def test_cache_seconds_raises_never_lowers(bclient, query, seconds):
    response = bclient.get("/probe/value?default=300" + query)
    assert response.headers["Cache-Control"] == (
        f"public, max-age={seconds}, s-maxage={seconds}, stale-while-revalidate=86400"
    )


def test_zero_lifetime_is_no_store(bclient):
    response = bclient.get("/probe/value?default=0")
    assert response.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    raised = bclient.get("/probe/value?default=0&cacheSeconds=60")
    assert raised.headers["Cache-Control"].startswith("public, max-age=60,")


def test_private_response(bclient):
    response = bclient.get("/probe/value?private=1")
    assert response.headers["Cache-Control"] == "private, max-age=300"


def test_etag_is_strong_and_follows_bytes(bclient):
    first = bclient.get("/probe/value?label=x&color=green")
    second = bclient.get("/probe/value?color=green&label=x")
    other = bclient.get("/probe/value?label=y&color=green")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert second.headers["ETag"] == etag
    assert second.data == first.data
    assert other.headers["ETag"] != etag
    png = bclient.get("/probe/value?label=x&color=green&format=png")
    assert png.headers["ETag"] != etag


def test_render_cache_is_keyed_by_normalised_spec(bclient):
    render_cache.clear()
    bclient.get("/probe/value?label=cache-me&color=green")
    misses = render_cache.render.cache_info().misses
    bclient.get("/probe/value?color=green&label=cache-me&unrelated=1")
    info = render_cache.render.cache_info()
    assert info.misses == misses
    assert info.hits >= 1


def test_if_none_match_gives_304(bclient):
    first = bclient.get("/probe/value?label=etag")
    etag = first.headers["ETag"]
    again = bclient.get("/probe/value?label=etag", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    listed = bclient.get("/probe/value?label=etag", headers={"If-None-Match": f'"nope", W/{etag}'})
    assert listed.status_code == 304
    star = bclient.get("/probe/value?label=etag", headers={"If-None-Match": "*"})
    assert star.status_code == 304
    changed = bclient.get("/probe/value?label=other", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.data


def test_if_modified_since(bclient):
    later = http_date(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))
    earlier = http_date(dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    assert bclient.get("/probe/value", headers={"If-Modified-Since": later}).status_code == 304
    assert bclient.get("/probe/value", headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110)
    both = bclient.get(
        "/probe/value", headers={"If-Modified-Since": later, "If-None-Match": '"other"'}
    )
    assert both.status_code == 200


def test_static_badges_are_modified_at_server_start(bclient):
    response = bclient.get("/badge/static-badge-blue")
    assert parse_date(response.headers["Last-Modified"]) == SERVER_START
    at_start = bclient.get(
        "/badge/static-badge-blue", headers={"If-Modified-Since": http_date(SERVER_START)}
    )
    assert at_start.status_code == 304
    before = bclient.get(
        "/badge/static-badge-blue",
        headers={"If-Modified-Since": http_date(SERVER_START - dt.timedelta(seconds=1))},
    )
    assert before.status_code == 200


ERRORS = [
    # class, shields message, colour, JSON status
    ("NotFound", "not found", "red", 404),
    ("BadgeNotFound", "badge not found", "red", 404),
    ("InvalidParameter", "invalid parameter", "red", 400),
    ("InvalidResponse", "invalid", "lightgrey", 502),
    ("Inaccessible", "inaccessible", "lightgrey", 503),
    ("ImproperlyConfigured", "improperly configured", "lightgrey", 503),
    ("Deprecated", "no longer available", "lightgrey", 410),
]


@pytest.mark.parametrize(("name", "message", "color", "status"), ERRORS)
@pytest.mark.parametrize("route", ["error", "raise"])
def test_error_badge_svg(bclient, parse_svg, svg_text, route, name, message, color, status):
    response = bclient.get(f"/probe/{route}/{name}?color=blue&labelColor=yellow&style=flat")
    image_status = 404 if name == "BadgeNotFound" else 200
    assert response.status_code == image_status
    assert response.headers["Content-Type"] == "image/svg+xml;charset=utf-8"
    parse_svg(response.data)
    text = svg_text(response.data)
    assert text.endswith(message)
    fills = response.data.decode()
    # the error's colour, never the user's overrides (shields' isError)
    assert f'fill="{to_svg_color(color)}"' in fills
    assert to_svg_color("blue") not in fills
    assert to_svg_color("yellow") not in fills


@pytest.mark.parametrize(("name", "message", "color", "status"), ERRORS)
def test_error_badge_label_and_user_label(bclient, svg_text, name, message, color, status):
    assert svg_text(bclient.get(f"/probe/error/{name}").data) == f"probe: {message}"
    custom = bclient.get(f"/probe/error/{name}?label=mine").data
    assert svg_text(custom) == f"mine: {message}"


@pytest.mark.parametrize(("name", "message", "color", "status"), ERRORS)
@pytest.mark.parametrize("route", ["error", "raise"])
def test_error_json(bclient, route, name, message, color, status):
    response = bclient.get(f"/probe/{route}/{name}?format=json")
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.data)
    assert body["error"] == name
    assert body["message"]


@pytest.mark.parametrize(("name", "message", "color", "status"), ERRORS)
def test_error_png(bclient, name, message, color, status):
    response = bclient.get(f"/probe/error/{name}?format=png")
    assert response.headers["Content-Type"] == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_transient_errors_are_cached_briefly(bclient):
    down = bclient.get("/probe/error/Inaccessible?cacheSeconds=9999")
    assert "max-age=60," in down.headers["Cache-Control"]
    bad = bclient.get("/probe/error/InvalidParameter?cacheSeconds=9999")
    assert "max-age=300," in bad.headers["Cache-Control"]


def test_family_json_body(bclient):
    response = bclient.get("/probe/json-body?format=json")
    assert response.get_json() == {"count": 7, "label": "probe"}
    assert response.headers["ETag"]
    svg = bclient.get("/probe/json-body")
    assert svg.headers["Content-Type"].startswith("image/svg+xml")


def test_engine_failure_is_still_an_image(bclient, monkeypatch, parse_svg, svg_text):
    import badgeapp.http.render_cache as rc

    calls = {"n": 0}
    real = rc._render_svg

    def flaky(spec, theme):
        calls["n"] += 1
        if spec.message == "42":
            raise RuntimeError("engine bug")
        return real(spec, theme)

    monkeypatch.setattr(rc, "_render_svg", flaky)
    rc.clear()
    response = bclient.get("/probe/value?label=crash")
    rc.clear()
    assert calls["n"] >= 1
    parse_svg(response.data)
    assert svg_text(response.data) == "crash: internal error"
    assert response.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"


def test_total_engine_failure_gives_last_resort_image(bclient, monkeypatch, parse_svg):
    import badgeapp.http.render_cache as rc

    def broken(spec, theme):
        raise RuntimeError("engine gone")

    monkeypatch.setattr(rc, "_render_svg", broken)
    rc.clear()
    response = bclient.get("/probe/value?label=dead")
    rc.clear()
    assert response.status_code == 500
    parse_svg(response.data)
    assert b"internal error" in response.data


def test_unknown_paths_are_badge_not_found(bclient, svg_text, parse_svg):
    response = bclient.get("/no/such/badge")
    assert response.status_code == 404
    parse_svg(response.data)
    assert svg_text(response.data) == "404: badge not found"
    assert f'fill="{to_svg_color("red")}"' in response.data.decode()
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_not_found_formats(badge_app):
    from badgeapp.http.badge_response import not_found_response

    with badge_app.test_request_context("/badge/nope.json"):
        response = not_found_response("/badge/nope.json")
        assert response.status_code == 404
        assert json.loads(response.get_data())["error"] == "BadgeNotFound"
    with badge_app.test_request_context("/badge/nope.png"):
        response = not_found_response("/badge/nope.png")
        assert response.status_code == 404
        assert response.content_type == "image/png"
    with badge_app.test_request_context("/badge/a-b-c.gif"):
        response = not_found_response("/badge/a-b-c.gif")
        assert response.status_code == 410
        assert b"gif no longer available" in response.get_data()


def test_query_string_capped(bclient, svg_text):
    response = bclient.get("/v2/badge/custom?value=x&pad=" + "a" * 9000)
    assert response.status_code == 414
    assert svg_text(response.data).endswith("invalid parameter")
    small = bclient.get("/v2/badge/custom?value=x&pad=" + "a" * 7000)
    assert small.status_code == 200


def test_head_request(bclient):
    response = bclient.head("/badge/head-ok-green")
    assert response.status_code == 200
    assert response.headers["ETag"]


def test_value_response(bclient):
    plain = bclient.get("/probe/provider?format=json")
    assert plain.get_json() == {
        "schemaVersion": 1,
        "label": "github",
        "message": "1.2k",
        "color": "green",
    }
    assert plain.headers["Last-Modified"] == "Fri, 02 Jan 2026 03:04:05 GMT"
    assert "max-age=300," in plain.headers["Cache-Control"]
    own = bclient.get("/probe/provider?format=json&colored&labelled").get_json()
    assert (own["label"], own["color"]) == ("stars", "blue")
    user = bclient.get("/probe/provider?format=json&colored&color=red&label=mine").get_json()
    assert (user["label"], user["color"]) == ("mine", "red")


def test_value_cache_hints(bclient):
    hinted = bclient.get("/probe/provider?hint=900")
    assert "max-age=900," in hinted.headers["Cache-Control"]
    stale = bclient.get("/probe/provider?hint=900&stale&cacheSeconds=5000")
    assert "max-age=5000," in stale.headers["Cache-Control"]  # the user may still raise it
    stale_only = bclient.get("/probe/provider?hint=900&stale")
    assert "max-age=60," in stale_only.headers["Cache-Control"]


def test_value_if_modified_since(bclient):
    since = "Sat, 03 Jan 2026 00:00:00 GMT"
    assert bclient.get("/probe/provider", headers={"If-Modified-Since": since}).status_code == 304
    older = "Thu, 01 Jan 2026 00:00:00 GMT"
    assert bclient.get("/probe/provider", headers={"If-Modified-Since": older}).status_code == 200


def test_options_that_cannot_change_the_bytes_share_a_cache_entry(bclient):
    render_cache.clear()
    bclient.get("/probe/value?label=key")
    before = render_cache.render.cache_info()
    bclient.get("/probe/value?label=key&scale=4")  # scale only matters for PNG
    after = render_cache.render.cache_info()
    assert after.misses == before.misses
    assert after.hits == before.hits + 1


def test_bytes_response_uses_the_same_headers(bclient):
    response = bclient.get("/probe/bytes?cacheSeconds=600")
    assert response.headers["Content-Type"] == "image/svg+xml;charset=utf-8"
    assert response.headers["Cache-Control"].startswith("public, max-age=600,")
    assert response.headers["Content-Security-Policy"] == SVG_CSP
    again = bclient.get("/probe/bytes", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
