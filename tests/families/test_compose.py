"""``/v2/compose``: literals and badge references in one SVG, layouts, ids, limits."""

from __future__ import annotations

import re
import urllib.parse
import uuid
from collections import Counter

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import FakeUpstream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def app_config(app_config: dict, fake_upstream: FakeUpstream) -> dict:
    return {
        **app_config,
        **fake_upstream.config(),
        "REDIS_PREFIX": f"test-{uuid.uuid4().hex[:10]}:",
        "UPSTREAM_READ_TIMEOUT": 0.5,
        "UPSTREAM_CONNECT_TIMEOUT": 0.5,
    }


def items(response) -> tuple:
    root = SafeET.fromstring(response.data)
    return root, [child for child in root if child.tag == f"{SVG}svg"]


def test_spec_example_horizontal(client):
    response = client.get("/v2/compose?badges=stars:100,forks:50&layout=horizontal")
    assert response.status_code == 200
    assert response.content_type == "image/svg+xml;charset=utf-8"
    root, children = items(response)
    assert [c.get("aria-label") for c in children] == ["stars: 100", "forks: 50"]
    first_w = float(children[0].get("width"))
    assert float(children[1].get("x")) == first_w + 4  # default gap
    assert float(root.get("width")) == first_w + 4 + float(children[1].get("width"))
    assert float(root.get("height")) == 20
    assert root.get("aria-label") == "stars: 100, forks: 50"


def test_references_are_resolved_through_the_providers(client, fake_upstream):
    response = client.get(
        "/v2/compose?badges=github/pallets/flask/stars,pypi/flask/version,build:passing:green"
    )
    _root, children = items(response)
    assert [c.get("aria-label") for c in children] == [
        "stars: 12k",
        "pypi: v3.1.0",
        "build: passing",
    ]
    assert fake_upstream.count("/github/") == 1


def test_vertical_and_grid_layouts(client):
    _root, col = items(client.get("/v2/compose?badges=a:1,b:2,c:3&layout=vertical&gap=2"))
    assert [float(c.get("y")) for c in col] == [0, 22, 44]
    assert {float(c.get("x")) for c in col} == {0}
    root, grid = items(client.get("/v2/compose?badges=a:1,b:2,c:3,d:4,e:5&layout=grid&gap=0"))
    positions = [(float(c.get("x")), float(c.get("y"))) for c in grid]
    assert [y for _, y in positions] == [0, 0, 0, 20, 20]  # ceil(sqrt(5)) = 3 columns
    assert float(root.get("height")) == 40
    _root, two = items(client.get("/v2/compose?badges=a:1,b:2,c:3&layout=grid&columns=2"))
    assert [float(c.get("y")) for c in two] == [0, 0, 24]


def test_ids_are_unique_and_references_stay_inside_their_item(client):
    response = client.get(
        "/v2/compose?badges=a:1,b:2,github/pallets/flask/forks&style=plastic&animated=true"
    )
    root = SafeET.fromstring(response.data)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert ids
    assert not [i for i, n in Counter(ids).items() if n > 1]
    text = response.data.decode()
    for ref in set(re.findall(r"url\(#([^)]+)\)", text)):
        assert ref in ids


def test_failing_reference_is_that_items_error_badge(client):
    response = client.get("/v2/compose?badges=ok:1,github/missing/repo/stars,nope/x/y")
    _root, children = items(response)
    assert [c.get("aria-label") for c in children] == [
        "ok: 1",
        "stars: repo not found",
        "y: badge not found",
    ]


def test_json_format_lists_the_items(client):
    doc = client.get("/v2/compose.json?badges=a:1,github/pallets/flask/forks").get_json()
    assert doc["layout"] == "horizontal"
    assert [(b["label"], b["message"], b["value"]) for b in doc["badges"]] == [
        ("a", "1", None),
        ("forks", "2.3k", 2345),
    ]


def test_at_most_20_items(client):
    ok = client.get("/v2/compose?badges=" + ",".join(f"n{i}:{i}" for i in range(20)))
    assert len(items(ok)[1]) == 20
    too_many = client.get("/v2/compose?badges=" + ",".join(f"n{i}:{i}" for i in range(21)))
    assert SafeET.fromstring(too_many.data).get("aria-label") == "compose: invalid parameter"
    doc = client.get("/v2/compose.json?badges=" + ",".join(f"n{i}:{i}" for i in range(21)))
    assert doc.status_code == 400


@pytest.mark.parametrize(
    "query", ["", "badges=", "badges=a:1&layout=diagonal", "badges=a:1&gap=wide"]
)
def test_invalid_parameters(client, query):
    response = client.get(f"/v2/compose?{query}")
    assert SafeET.fromstring(response.data).get("aria-label") == "compose: invalid parameter"


def test_markup_in_literals_is_escaped(client):
    response = client.get('/v2/compose?badges=<script>:"x"&amp,b:2')
    root = SafeET.fromstring(response.data)  # well-formed
    assert not [el for el in root.iter() if el.tag.endswith("script")]


def test_stale_item_marks_the_composition(app, client, fake_upstream):
    app.config["UPSTREAM_FRESH_SECONDS"] = 0
    client.get("/v2/compose?badges=github/pallets/flask/forks")
    fake_upstream.fail("/github/", status=500)
    response = client.get("/v2/compose?badges=a:1,github/pallets/flask/forks")
    assert response.headers["X-Badge-Stale"] == "1"
    assert "max-age=60" in response.headers["Cache-Control"]


def test_etag_and_304(client):
    first = client.get("/v2/compose?badges=a:1")
    again = client.get("/v2/compose?badges=a:1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "default-src 'none'" in first.headers["Content-Security-Policy"]


TEXT = st.text(
    alphabet=st.characters(blacklist_characters=",:", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() and "\x00" not in t)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_any_literal_text_gives_well_formed_svg(client, pairs):
    query = urllib.parse.urlencode({"badges": ",".join(f"{a}:{b}" for a, b in pairs)})
    response = client.get(f"/v2/compose?{query}")
    assert response.status_code == 200
    root = SafeET.fromstring(response.data)
    children = [c for c in root if c.tag == f"{SVG}svg"]
    assert len(children) == len(pairs)
    assert not [el for el in root.iter() if el.tag.endswith(("script", "foreignObject"))]


def test_png_format(client):
    for url in ("/v2/compose.png?badges=a:1,b:2", "/v2/compose?badges=a:1,b:2&format=png"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.content_type == "image/png"
        assert response.data.startswith(b"\x89PNG")
