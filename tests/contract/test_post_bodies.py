"""Every POST route, fed whatever a client can send: never a 500.

Bodies are arbitrary bytes, arbitrary JSON (NaN, Infinity, deep nesting, huge numbers
included), report-shaped text and XML, and layered-generator configs that are mostly valid
with hostile fields (file paths that leave the asset folders, NUL bytes, decompression-bomb
images, extreme sizes), under assorted Content-Types, with and without an API key. Every
answer must be JSON (or the PNG the layered generator was asked for) with a status below
500; the layered generator's spec'd 500 is for a genuine render failure only, so a user's
body gets 200, 400, 413, 415 or 422 there.
"""

from __future__ import annotations

import base64
import collections
import io
import json
import os
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from .checks import check_json_error, check_response
from .strategies import TEXT, TROUBLE

LAYERED = "/api/badge/generate"
#: examples per POST route (CONTRACT_POST_EXAMPLES=2000 for a long local hunt)
POST_EXAMPLES = int(os.environ.get("CONTRACT_POST_EXAMPLES", "40"))
LAYERED_STATUSES = {200, 400, 413, 415, 422}


def _png(width: int, height: int, *, claimed: tuple[int, int] | None = None) -> bytes:
    """A PNG; with ``claimed`` its header states other dimensions (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (255, 0, 0, 255)).save(buffer, "PNG")
    data = buffer.getvalue()
    if claimed is None:
        return data
    ihdr = struct.pack(">II", *claimed) + data[24:29]
    chunk = b"IHDR" + ihdr
    crc = struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return data[:8] + struct.pack(">I", 13) + chunk + crc + data[33:]


def _data_uri(data: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64," + base64.b64encode(data).decode()


IMAGE_PATHS = [
    "icons/star.png",
    "icons/trophy.png",
    "icons/../../../etc/passwd",
    "/etc/passwd",
    "../../instance/config.py",
    "icons/%2e%2e/%2e%2e/etc/passwd",
    "icons/star.png\x00.txt",
    "icons\\..\\..\\etc\\passwd",
    "file:///etc/passwd",
    "https://example.com/x.png",
    "",
    _data_uri(_png(4, 4)),
    _data_uri(_png(1, 1, claimed=(100000, 100000))),
    _data_uri(_png(1, 1)[:40]),
    _data_uri(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    _data_uri(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    "data:image/png;base64,!!!not base64!!!",
    "data:,",
]
FONT_PATHS = [
    "DejaVu Sans",
    "DejaVuSans-Bold",
    "/System/Library/Fonts/Arial.ttf",
    "/etc/passwd",
    "../../../../etc/shadow",
    "fonts/../../x.ttf",
    "\x00",
    "a" * 300,
]


def _encode_json(value) -> bytes:
    return json.dumps(value).encode()


HOSTILE_NUMBER = st.one_of(
    st.sampled_from([-1, 10**12, -(10**12), 601, 1e308, "100", "center", None, True, [], {}]),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _number(lo: int, hi: int, typical: int) -> st.SearchStrategy:
    """A valid whole number in [lo, hi]; hostility comes from ``mutated`` below."""
    return st.one_of(st.just(typical), st.integers(min_value=lo, max_value=hi))


GOOD_COLORS = ["#FFD700", "white", "#fff", "#FF450080", "navy", "#000000", "#FD0"]
COLOR = st.sampled_from(GOOD_COLORS)
HOSTILE_COLOR = st.one_of(st.sampled_from(["rgb(1,2,3)", "", "#", "red;", "\x00"]), TEXT)
POSITION = st.one_of(
    st.sampled_from(["left", "center", "right", "top", "bottom"]), _number(0, 600, 100)
)


def _maybe(strategy):
    return st.one_of(strategy, strategy, st.just(None))


def _clean(layer: dict) -> dict:
    return {key: value for key, value in layer.items() if value is not None}


BACKGROUND = st.builds(
    lambda color, z: _clean({"type": "BackgroundLayer", "mode": "solid", "color": color, "z": z}),
    COLOR,
    _number(0, 9, 0),
)
FILL = st.one_of(
    st.builds(lambda c: {"mode": "solid", "color": c}, COLOR),
    st.builds(
        lambda a, b, v: {"mode": "gradient", "start_color": a, "end_color": b, "vertical": v},
        COLOR,
        COLOR,
        st.booleans(),
    ),
)
SHAPE = st.builds(
    lambda shape, fill, border, params, z: _clean(
        {
            "type": "ShapeLayer",
            "shape": shape,
            "fill": fill,
            "border": border,
            "params": params,
            "z": z,
        }
    ),
    st.sampled_from(["hexagon", "circle", "rounded_rect"]),
    FILL,
    _maybe(st.fixed_dictionaries({"color": COLOR, "width": _number(0, 20, 6)})),
    st.one_of(
        st.fixed_dictionaries({"radius": _number(250, 250, 250)}),
        st.fixed_dictionaries(
            {
                "width": _number(450, 450, 450),
                "height": _number(450, 450, 450),
                "radius": _number(0, 100, 50),
            }
        ),
    ),
    _number(10, 19, 10),
)
TEXT_LAYER = st.builds(
    lambda text, font, size, color, align, wrap, z: _clean(
        {
            "type": "TextLayer",
            "text": text,
            "font": {"path": font, "size": size},
            "color": color,
            "align": align,
            "wrap": wrap,
            "z": z,
        }
    ),
    st.one_of(TEXT, st.sampled_from(TROUBLE), st.text(min_size=300, max_size=2100)),
    st.one_of(st.sampled_from(FONT_PATHS), TEXT),
    _number(1, 200, 45),
    _maybe(COLOR),
    _maybe(st.fixed_dictionaries({"x": POSITION, "y": POSITION})),
    _maybe(
        st.fixed_dictionaries(
            {
                "dynamic": st.booleans(),
                "max_width": _maybe(_number(1, 600, 400)),
                "line_gap": _maybe(_number(0, 50, 6)),
            }
        )
    ),
    _number(20, 40, 30),
)
IMAGE_LAYER = st.builds(
    lambda path, size, position, opacity, z: _clean(
        {
            "type": "ImageLayer",
            "path": path,
            "size": size,
            "position": position,
            "opacity": opacity,
            "z": z,
        }
    ),
    st.one_of(st.sampled_from(IMAGE_PATHS), TEXT),
    _maybe(
        st.one_of(
            _number(1, 600, 150),
            st.fixed_dictionaries({"width": _number(1, 600, 200), "height": _number(1, 600, 100)}),
            st.fixed_dictionaries(
                {
                    "dynamic": st.just(True),
                    "max_width": _number(1, 600, 300),
                    "max_height": _number(1, 600, 150),
                    "max_upscale": st.floats(0.1, 4),
                }
            ),
        )
    ),
    _maybe(st.fixed_dictionaries({"x": POSITION, "y": POSITION})),
    _maybe(st.floats(0, 1)),
    _number(20, 29, 20),
)
VALID_LAYERED_BODY = st.builds(
    lambda canvas, layers: _clean({"canvas": canvas, "layers": layers}),
    _maybe(
        st.fixed_dictionaries(
            {"bg": COLOR, "scale_factor": st.one_of(st.just(1), st.floats(0.1, 1))}
        )
    ),
    st.lists(st.one_of(BACKGROUND, SHAPE, TEXT_LAYER, IMAGE_LAYER), max_size=5),
)


def _leaves(value, path=()):
    """Every (path, leaf) of a JSON document."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, (*path, index))
    else:
        yield path, value


def _mutate(body: dict, pick: int, junk) -> dict:
    """``body`` with its ``pick``-th leaf replaced by ``junk`` (one hostile field at a time)."""
    body = json.loads(json.dumps(body))
    leaves = list(_leaves(body))
    if not leaves:
        return body
    path, _ = leaves[pick % len(leaves)]
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = junk
    return body


#: a valid config (hostile text, fonts and image paths inside), or one with a single bad field
LAYERED_BODY = st.one_of(
    VALID_LAYERED_BODY,
    VALID_LAYERED_BODY,
    VALID_LAYERED_BODY,
    st.builds(
        _mutate, VALID_LAYERED_BODY, st.integers(0, 200), st.one_of(HOSTILE_NUMBER, HOSTILE_COLOR)
    ),
)
_ATTR = st.one_of(
    st.sampled_from(["0.5", "1", "0", "-1", "2.5", "NaN", "inf", "1e999", "", "x"]), TEXT
).map(lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;"))
REPORT = st.one_of(
    st.builds(
        lambda lf, lh: f"SF:a.py\nDA:1,1\nLF:{lf}\nLH:{lh}\nend_of_record\n".encode(),
        _ATTR,
        _ATTR,
    ),
    st.builds(
        lambda rate: (
            f"<?xml version='1.0'?><coverage line-rate='{rate}'><packages/></coverage>".encode()
        ),
        _ATTR,
    ),
    st.builds(
        lambda tests, failures, name: (
            f"<testsuites><testsuite name='{name}' tests='{tests}' failures='{failures}'>"
            f"<testcase name='{name}'/></testsuite></testsuites>"
        ).encode(),
        _ATTR,
        _ATTR,
        _ATTR,
    ),
    st.builds(
        lambda pct: _encode_json({"meta": {"version": "7.4"}, "totals": {"percent_covered": pct}}),
        st.one_of(
            JSON_SCALAR := st.one_of(st.floats(), st.integers(), TEXT, st.none()), JSON_SCALAR
        ),
    ),
    st.builds(
        lambda level: _encode_json(
            {"version": "2.1.0", "runs": [{"results": [{"level": level, "ruleId": "x"}]}]}
        ),
        st.one_of(st.sampled_from(["error", "warning", "note"]), TEXT, st.integers()),
    ),
)
JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        TEXT,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(TEXT, children, max_size=5)
    ),
    max_leaves=25,
)
RAW = st.one_of(
    st.binary(max_size=600),
    st.sampled_from(
        [
            b"",
            b"[" * 50000,
            b'{"a":' * 20000,
            b'{"layers": NaN}',
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"null",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><coverage line-rate="&b;"/>',
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<testsuite>&e;</testsuite>",
            b"<coverage line-rate='2.5'/>",
            b"<testsuites><testsuite tests='-5' failures='NaN'/></testsuites>",
            b"SF:a.py\nLF:-1\nLH:99999999999999999999\nend_of_record\n",
            b'{"totals": {"percent_covered": 1e999}}',
            b'{"version": "2.1.0", "runs": [{"results": "x"}]}',
            b'{"runs": [null]}',
        ]
    ),
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=latin-1",
        "text/plain",
        "application/xml",
        "multipart/form-data",
        "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded",
        "image/png",
        "\x00garbage/;;",
    ]
)


BODY = st.one_of(LAYERED_BODY.map(_encode_json), JSON.map(_encode_json), RAW, REPORT)
LAYERED_BODIES = st.one_of(
    LAYERED_BODY.map(_encode_json),
    LAYERED_BODY.map(_encode_json),
    LAYERED_BODY.map(_encode_json),
    BODY,
)


LAYERED_QUERIES = ["", "", "", "?format=png", "?format=png", "?format=json", "?format=%00"]
QUERIES = [
    "",
    "?format=json",
    "?format=%00",
    "?branch=dev",
    "?branch=%00",
    "?badge_type=coverage",
    "?badge_type=%3Cx%3E",
    "?format=lcov",
    "?format=junit",
    "?format=cobertura",
]


def _post_rules(app) -> list[str]:
    """POST rules of the APIs; the dashboard's HTML form posts (CSRF-guarded) are walked by
    tests/dashboard/test_dashboard_walk.py."""
    return sorted(
        r.rule
        for r in app.url_map.iter_rules()
        if "POST" in (r.methods or ()) and not r.rule.startswith("/dashboard/")
    )


def _concrete(rule: str, seed) -> str:
    return (
        rule.replace("<org>", seed.org)
        .replace("<repo>", seed.repo)
        .replace("<nice_id:public_id>", seed.button)
    )


def test_every_post_route_is_walked(contract_app):
    """The walk below covers the app's POST routes; a new one must be added here."""
    assert _post_rules(contract_app) == sorted(
        [
            "/api/badge/generate",
            "/api/buttons",
            "/api/buttons/<nice_id:public_id>/nice",
            "/api/v1/badge/invalidate/<org>/<repo>",
            "/api/v1/reports/<org>/<repo>",
            "/themes/install",
            "/webhook/github",
        ]
    )


@pytest.mark.parametrize(
    "rule",
    [
        "/api/badge/generate",
        "/api/buttons",
        "/api/buttons/<nice_id:public_id>/nice",
        "/api/v1/badge/invalidate/<org>/<repo>",
        "/api/v1/reports/<org>/<repo>",
        "/themes/install",
        "/webhook/github",
    ],
)
def test_post_body_never_breaks(cclient, seed, rule):
    url = _concrete(rule, seed)
    seen: collections.Counter[int] = collections.Counter()
    admin = f"Bearer {seed.admin_key}"
    keys = [admin, admin, admin, admin, None, "Bearer nope", "Basic x"]

    @settings(
        max_examples=POST_EXAMPLES * 2 if rule == LAYERED else POST_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        body=LAYERED_BODIES if rule == LAYERED else BODY,
        content_type=CONTENT_TYPES,
        auth=st.sampled_from(keys),
        query=st.sampled_from(LAYERED_QUERIES if rule == LAYERED else QUERIES),
    )
    def post(body: bytes, content_type: str | None, auth: str | None, query: str) -> None:
        headers = {"Authorization": auth} if auth else {}
        response = cclient.post(url + query, data=body, content_type=content_type, headers=headers)
        kind = check_response(response)
        seen[response.status_code] += 1
        if kind == "json" and response.status_code >= 400:
            check_json_error(url, response)
        assert kind in ("json", "png"), (url, response.status_code, kind)
        if rule == LAYERED:
            assert response.status_code in LAYERED_STATUSES, response.data[:300]
            if kind == "png":
                assert response.status_code == 200 and query == "?format=png"

    post()
    print(rule, dict(seen))


def test_layered_renders_valid_bodies(cclient):
    """The walk is not all refusals: a spec example with hostile text draws an image."""
    body = {
        "canvas": {"bg": "white", "scale_factor": 1},
        "layers": [
            {"type": "BackgroundLayer", "mode": "solid", "color": "#FFFFFF", "z": 0},
            {
                "type": "ShapeLayer",
                "shape": "hexagon",
                "fill": {"mode": "solid", "color": "#FD0"},
                "params": {"radius": 250},
                "z": 10,
            },
            {
                "type": "TextLayer",
                "text": "<script>\U0001f984\x00\u202e" * 20,
                "font": {"path": "/etc/passwd", "size": 45},
                "z": 30,
            },
            {
                "type": "ImageLayer",
                "path": _data_uri(_png(1, 1, claimed=(100000, 100000))),
                "z": 20,
            },
        ],
    }
    response = cclient.post(LAYERED + "?format=png", json=body)
    assert response.status_code in (200, 422), response.data[:300]
    body["layers"] = body["layers"][:3]
    response = cclient.post(LAYERED + "?format=png", json=body)
    assert check_response(response) in ("png", "json")
    assert response.status_code in (200, 422), response.data[:300]


def test_layered_body_over_the_cap_is_413(cclient):
    response = cclient.post(
        LAYERED, data=b"{" + b" " * (3 * 1024 * 1024) + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert check_response(response) == "json"


def test_report_over_the_cap_is_413(cclient, seed, contract_app):
    limit = contract_app.config["QUALITY_MAX_REPORT_BYTES"]
    response = cclient.post(
        f"/api/v1/reports/{seed.org}/{seed.repo}",
        data=b"SF:a\n" + b"x" * (limit + 10),
        content_type="text/plain",
        headers={"Authorization": f"Bearer {seed.admin_key}"},
    )
    assert response.status_code == 413
    assert check_response(response) == "json"


@pytest.mark.slow
def test_one_layered_request_cannot_take_seconds(cclient):
    """Finding 11 (fixed by the layered owner: layers x scale^2 <= 128), a regression test."""
    import time

    layer = {
        "type": "ShapeLayer",
        "shape": "circle",
        "fill": {"mode": "gradient", "start_color": "#000", "end_color": "#fff", "vertical": False},
        "border": {"color": "#f00", "width": 20},
        "params": {"radius": 250},
        "z": 10,
    }
    body = {"canvas": {"scale_factor": 4}, "layers": [layer] * 64}  # 13 KB of JSON
    started = time.monotonic()
    response = cclient.post(LAYERED + "?format=png", json=body)
    elapsed = time.monotonic() - started
    check_response(response)
    # refused (422) or drawn, but not seconds of one worker's CPU for a 13 KB body
    assert elapsed < 3.0, f"{elapsed:.1f} s"
