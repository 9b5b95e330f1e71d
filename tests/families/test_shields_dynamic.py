"""Endpoint and dynamic (json, yaml, xml) badges over safe fetch, against a loopback site.

The site is reachable only because this module's app allow-lists 127.0.0.1 and plain http;
the refusals (other loopback names, metadata, private, file:) are the safe-fetch ones, shown
as error badges.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import defusedxml.ElementTree as SafeET
import pytest

from badgeapp.render.colors import to_svg_color

DOCS: dict[str, tuple[str, bytes]] = {
    "/ep/basic.json": (
        "application/json",
        json.dumps(
            {"schemaVersion": 1, "label": "hello", "message": "sweet world", "color": "orange"}
        ).encode(),
    ),
    "/ep/full.json": (
        "application/json",
        json.dumps(
            {
                "schemaVersion": 1,
                "label": "build",
                "message": "passing",
                "color": "green",
                "labelColor": "333",
                "isError": False,
                "namedLogo": "github",
                "logoColor": "white",
                "logoSize": "auto",
                "logoWidth": 20,
                "logoPosition": 3,
                "style": "for-the-badge",
                "cacheSeconds": 3600,
            }
        ).encode(),
    ),
    "/ep/error.json": (
        "application/json",
        json.dumps(
            {"schemaVersion": 1, "label": "x", "message": "broken", "isError": True, "color": "red"}
        ).encode(),
    ),
    "/ep/nolabel.json": (
        "application/json",
        json.dumps({"schemaVersion": 1, "label": "", "message": "just a message"}).encode(),
    ),
    "/ep/unknown.json": (
        "application/json",
        json.dumps({"schemaVersion": 1, "label": "a", "message": "b", "colour": "red"}).encode(),
    ),
    "/ep/v2.json": (
        "application/json",
        json.dumps({"schemaVersion": 2, "label": "a", "message": "b"}).encode(),
    ),
    "/ep/notjson": ("text/plain", b"<html>not json</html>"),
    "/data.json": (
        "application/json",
        json.dumps(
            {
                "name": "badgeapp",
                "version": "1.2.3",
                "stars": 1234.0,
                "ok": True,
                "tags": ["a", "b"],
                "nested": {"deep": [{"n": 1}, {"n": 2}]},
            }
        ).encode(),
    ),
    "/data.yaml": ("text/yaml", b"name: badgeapp\nversion: 1.2.3\nlist:\n  - x\n  - y\n"),
    "/bomb.yaml": (
        "text/yaml",
        b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
            for i in range(7)
        ),
    ),
    "/data.xml": (
        "application/xml",
        b'<?xml version="1.0"?><project><name>badgeapp</name>'
        b'<version kind="release">1.2.3</version><dep>a</dep><dep>b</dep></project>',
    ),
    "/xxe.xml": (
        "application/xml",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<r><v>&x;</v></r>",
    ),
    "/big.json": ("application/json", b'{"a": "' + b"x" * 100_000 + b'"}'),
}


class Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("to=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        kind, body = DOCS.get(path, ("text/plain", b""))
        self.send_response(200 if path in DOCS else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def client(make_module_app):
    app = make_module_app(
        SAFE_FETCH_ALLOW_HOSTS="127.0.0.1",
        SAFE_FETCH_ALLOW_HTTP=True,
        REDIS_PREFIX=f"dyn-{uuid.uuid4().hex[:8]}:",
    )
    return app.test_client()


def badge(client, path: str):
    response = client.get(path)
    assert response.mimetype == "image/svg+xml", (path, response.data[:200])
    root = SafeET.fromstring(response.data)
    label, sep, message = root.get("aria-label").partition(": ")
    if not sep:
        label, message = "", label
    fills = [
        el.get("fill")
        for el in root.iter()
        if el.tag.endswith("rect") and el.get("fill", "").startswith("#")
    ]
    return label, message, fills[-1] if fills else None, response


def url(site: str, path: str) -> str:
    return quote(site + path, safe="")


def test_endpoint_basic(client, site):
    label, message, fill, _ = badge(client, f"/endpoint?url={url(site, '/ep/basic.json')}")
    assert (label, message, fill) == ("hello", "sweet world", to_svg_color("orange"))


def test_endpoint_every_field(client, site):
    label, message, fill, response = badge(
        client, f"/endpoint.svg?url={url(site, '/ep/full.json')}"
    )
    assert (label, message) == ("BUILD", "PASSING")  # style for-the-badge from the document
    assert fill == to_svg_color("green")
    assert b'fill="#333"' in response.data and b"<image" in response.data
    assert "max-age=3600" in response.headers["Cache-Control"]


def test_endpoint_user_parameters_win(client, site):
    path = f"/endpoint?url={url(site, '/ep/full.json')}&style=flat&label=mine&color=blue"
    label, message, fill, response = badge(client, path)
    assert (label, message, fill) == ("mine", "passing", to_svg_color("blue"))
    assert "max-age=3600" in response.headers["Cache-Control"]  # max(300, 3600)


def test_endpoint_is_error_ignores_user_colour(client, site):
    path = f"/endpoint?url={url(site, '/ep/error.json')}&color=blue"
    assert badge(client, path)[1:3] == ("broken", to_svg_color("red"))


def test_endpoint_empty_label_and_default_colour(client, site):
    label, message, fill, response = badge(client, f"/endpoint?url={url(site, '/ep/nolabel.json')}")
    assert (label, message, fill) == ("", "just a message", to_svg_color("lightgrey"))
    assert "max-age=300" in response.headers["Cache-Control"]


def test_endpoint_json_format(client, site):
    body = client.get(f"/endpoint.json?url={url(site, '/ep/basic.json')}").get_json()
    assert body["label"] == "hello" and body["message"] == "sweet world"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("/ep/unknown.json", "invalid properties: colour"),
        ("/ep/v2.json", "invalid properties: schemaVersion"),
        ("/ep/notjson", "unparseable json response"),
        ("/ep/nothere.json", "resource not found"),
        ("/big.json", "response too large"),
    ],
)
def test_endpoint_errors(client, site, doc, message):
    assert badge(client, f"/endpoint?url={url(site, doc)}")[:2] == ("custom badge", message)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "invalid query parameter: url"),
        ("file:///etc/passwd", "invalid query parameter: url"),
        ("gopher://127.0.0.1:70/", "invalid query parameter: url"),
        ("https://localhost/x.json", "address not allowed"),
        ("https://169.254.169.254/latest/meta-data/", "address not allowed"),
        ("https://10.0.0.5/x.json", "address not allowed"),
        ("https://[::1]/x.json", "address not allowed"),
    ],
)
def test_endpoint_refusals_are_clear_badges(client, target, message):
    label, got, _fill, response = badge(client, f"/endpoint?url={quote(target, safe='')}")
    assert (label, got, response.status_code) == ("custom badge", message, 200)


def test_redirect_into_metadata_is_refused(client, site):
    target = url(site, "/redirect?to=http://169.254.169.254/latest/meta-data/")
    assert badge(client, f"/endpoint?url={target}")[1] == "address not allowed"


DYNAMIC = [
    ("json", "/data.json", "$.version", "", "", "1.2.3"),
    ("json", "/data.json", "$.stars", "", "", "1234"),
    ("json", "/data.json", "$.ok", "", "", "true"),
    ("json", "/data.json", "$.tags[*]", "", "", "a, b"),
    ("json", "/data.json", "$..n", "v", " items", "v1, 2 items"),
    ("json", "/data.json", "$.nested.deep[?(@.n > 1)].n", "", "", "2"),
    ("yaml", "/data.yaml", "$.version", "", "", "1.2.3"),
    ("yaml", "/data.yaml", "$.list[0]", "[", "]", "[x]"),
    ("xml", "/data.xml", "//version", "v", "", "v1.2.3"),
    ("xml", "/data.xml", "//version/@kind", "", "", "release"),
    ("xml", "/data.xml", "//dep", "", "", "a, b"),
    ("xml", "/data.xml", "count(//dep)", "", "", "2"),
]


@pytest.mark.parametrize(("kind", "doc", "query", "prefix", "suffix", "message"), DYNAMIC)
def test_dynamic(client, site, kind, doc, query, prefix, suffix, message):
    path = (
        f"/badge/dynamic/{kind}?url={url(site, doc)}&query={quote(query, safe='')}"
        f"&prefix={quote(prefix)}&suffix={quote(suffix)}"
    )
    assert badge(client, path)[:3] == ("custom badge", message, to_svg_color("blue"))


def test_dynamic_label_uri_and_suffix_format(client, site):
    path = f"/badge/dynamic/json.svg?uri={url(site, '/data.json')}&query=$.name&label=project"
    assert badge(client, path)[:2] == ("project", "badgeapp")
    body = client.get(f"/badge/dynamic/json.json?url={url(site, '/data.json')}&query=$.name")
    assert body.get_json()["message"] == "badgeapp"


@pytest.mark.parametrize(
    ("kind", "doc", "query", "message"),
    [
        ("json", "/data.json", "$.missing", "no result"),
        ("json", "/data.json", "$.nested", "invalid key value"),
        ("json", "/data.json", "$[", "invalid query parameter: query"),
        ("json", "/data.json", "", "invalid query parameter: query"),
        ("json", "/data.yaml", "$.a", "unparseable json response"),
        ("yaml", "/bomb.yaml", "$..*", "response too large"),
        ("xml", "/data.xml", "//[", "invalid query parameter: query"),
        ("xml", "/data.json", "//a", "unparseable xml response"),
        (
            "xml",
            "/data.xml",
            "//*[count(//*[count(//*)>0])>0]//*[1]",
            "invalid query parameter: query",
        ),
        ("xml", "/xxe.xml", "//v", "&x;"),  # the entity is not resolved
    ],
)
def test_dynamic_errors(client, site, kind, doc, query, message):
    path = f"/badge/dynamic/{kind}?url={url(site, doc)}&query={quote(query, safe='')}"
    label, got, _, response = badge(client, path)
    assert (label, got, response.status_code) == ("custom badge", message, 200)
    assert b"root:" not in response.data


def test_dynamic_unknown_kind_is_404_and_static_badges_still_work(client):
    assert client.get("/badge/dynamic/toml?url=x&query=y").status_code == 404
    assert badge(client, "/badge/dynamic-json-blue")[:2] == ("dynamic", "json")
