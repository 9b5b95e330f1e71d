"""Upstream answers are untrusted: whatever an API sends back, every provider badge is a badge.

A real HTTP server on loopback stands in for every upstream API (GitHub, GitLab, Bitbucket,
Docker Hub, PyPI, pypistats, npm, YouTube, Twitter) and answers each request with the one
reply a hypothesis example chose: JSON documents with the fields the providers read holding
the wrong types (NaN, infinities, huge or negative numbers, superscript digits in strings,
markup, lists where objects belong), non-JSON bodies, odd statuses and hostile headers
(``Link`` pages, rate-limit resets). Every provider metric is then asked as SVG and as JSON:
no 5xx beyond the documented upstream ones (JSON only), never an ``internal error`` badge,
always a body that parses.
"""

from __future__ import annotations

import collections
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from badgeapp import create_app

from .checks import UPSTREAM_STATUSES, check_response
from .conftest import UPSTREAM_KEYS, contract_config


class Reply:
    """The answer the fake upstream gives to every request (set per example)."""

    status = 200
    headers: dict[str, str] = {}
    body = b"{}"


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.send_response(Reply.status)
        for name, value in Reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(Reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(Reply.body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def hostile_app(
    tmp_path_factory: pytest.TempPathFactory,
    migrated_sqlite_template: Path | None,
    hostile_server: str,
) -> Iterator[Flask]:
    config = contract_config(tmp_path_factory.mktemp("hostile"), migrated_sqlite_template)
    config.update({key: hostile_server for key in UPSTREAM_KEYS})
    config.update(
        {
            "GITHUB_GRAPHQL_URL": hostile_server + "/graphql",
            "UPSTREAM_FRESH_SECONDS": 0,
            "UPSTREAM_ERROR_COOLDOWN": 0,
            # every view must reach the provider: the hot path would answer a repeated URL
            # from memory for its lifetime, as it should in production
            "HOT_PATH_BYTES": 0,
            "STALE_MAX_AGE": 0,
            "UPSTREAM_READ_TIMEOUT": 1.0,
            "GITHUB_TOKEN": "ghp_test",
        }
    )
    app = create_app(config)
    yield app
    from badgeapp.storage import db

    db.dispose(app)


def _provider_urls(app: Flask) -> list[str]:
    with app.app_context():
        from badgeapp.plugins import get_registry

        providers = get_registry().providers()
    urls = []
    for name, provider in sorted(providers.items()):
        parts = int(getattr(provider, "subject_parts", 0) or 0)
        if parts == 0:
            continue
        subject = "/".join(["acme", "widgets", "x"][:parts])
        for metric in sorted(getattr(provider, "metrics", ()) or ()):
            urls.append(f"/v2/badge/{name}/{subject}/{metric}")
    # the same references inside one composition (resolved concurrently)
    references = [url.removeprefix("/v2/badge/") for url in urls]
    urls.append("/v2/compose?badges=" + ",".join(references[:20]))
    urls.append("/v2/compose?badges=" + ",".join(references[20:40]))
    return urls


#: fields the providers read (reference/upstream-apis.md), each will hold a hostile value
FIELDS = [
    "stargazers_count",
    "forks_count",
    "subscribers_count",
    "open_issues_count",
    "size",
    "pushed_at",
    "default_branch",
    "license",
    "tag_name",
    "workflow_runs",
    "total_count",
    "total",
    "commit",
    "items",
    "info",
    "data",
    "version",
    "dist-tags",
    "downloads",
    "pull_count",
    "star_count",
    "last_updated",
    "statistics",
    "public_metrics",
    "values",
    "status",
    "state",
    "result",
    "conclusion",
    "name",
    "spdx_id",
    "last_month",
    "last_week",
    "last_day",
    "subscriberCount",
    "viewCount",
    "followers_count",
    "latest",
    "requires_python",
    "classifiers",
    "committedDate",
    "created_on",
    "ref",
]
SCALAR = st.one_of(
    st.sampled_from(
        [
            float("nan"),
            float("inf"),
            float("-inf"),
            10**30,
            -(10**30),
            -1,
            0,
            1.5,
            "\u00b2",
            "\u0663",
            "12",
            "",
            "<script>alert(1)</script>",
            "2026-13-45T99:99:99Z",
            "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "not a date",
            "completed",
            "success",
            "failure",
            "in_progress",
            "SUCCESSFUL",
            "FAILED",
            None,
            True,
            False,
        ]
    ),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6),
    ),
    max_leaves=20,
)
#: where the providers look for their value (GitHub, PyPI, pypistats, npm, Docker Hub, YouTube,
#: Twitter, GitLab, Bitbucket): a hostile scalar is put exactly there
PATHS = [
    ("stargazers_count",),
    ("forks_count",),
    ("subscribers_count",),
    ("open_issues_count",),
    ("size",),
    ("total_count",),
    ("tag_name",),
    ("pushed_at",),
    ("license", "spdx_id"),
    ("workflow_runs", 0, "status"),
    ("workflow_runs", 0, "conclusion"),
    (0, "total"),
    (0, "commit", "committer", "date"),
    ("info", "version"),
    ("info", "license"),
    ("info", "requires_python"),
    ("data", "last_month"),
    ("data", "last_week"),
    ("data", "last_day"),
    ("version",),
    ("dist-tags", "latest"),
    ("downloads",),
    ("pull_count",),
    ("star_count",),
    ("last_updated",),
    ("items", 0, "statistics", "subscriberCount"),
    ("items", 0, "statistics", "viewCount"),
    ("data", "public_metrics", "followers_count"),
    (0, "status"),
    ("values", 0, "state", "result", "name"),
]


def _nested(path: tuple, leaf: object) -> object:
    for step in reversed(path):
        leaf = [leaf] if isinstance(step, int) else {step: leaf}
    return leaf


AIMED = st.builds(_nested, st.sampled_from(PATHS), SCALAR)
DOCUMENT = st.one_of(
    AIMED,
    AIMED,
    AIMED,
    st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=12),
    st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=6), max_size=3),
    VALUE,
)


def _dumps(value: object) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


BODY = st.one_of(
    DOCUMENT.map(_dumps),
    DOCUMENT.map(_dumps),
    DOCUMENT.map(_dumps),
    st.sampled_from(
        [
            b"",
            b"<html><body>Service Unavailable</body></html>",
            b'{"truncated": ',
            b"\x1f\x8b\x08\x00garbage",
            b"\xff\xfe\x00\x00",
            b"[" * 5000,
            b"null",
            b"NaN",
        ]
    ),
    st.binary(max_size=200),
)
STATUS = st.sampled_from(
    [200, 200, 200, 200, 202, 204, 304, 400, 403, 404, 409, 410, 429, 500, 503]
)
HEADERS = st.dictionaries(
    st.sampled_from(
        [
            "Link",
            "Content-Type",
            "ETag",
            "Last-Modified",
            "Retry-After",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
        ]
    ),
    st.one_of(
        st.sampled_from(
            [
                '<https://api.github.com/x?page=abc>; rel="last"',
                '<https://api.github.com/x?page=99999999999999999999>; rel="last"',
                '<https://api.github.com/x?page=-3>; rel="last"',
                '<https://api.github.com/x?page=2&page=7>; rel="last"',
                "<>; rel=last",
                "application/json",
                "text/html",
                "0",
                "-1",
                "99999999999999999999",
                "Sun, 06 Nov 1994 08:49:37 GMT",
                "soon",
            ]
        ),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    ),
    max_size=4,
)


def test_every_provider_metric_survives_any_upstream_answer(hostile_app):
    client = hostile_app.test_client()
    urls = _provider_urls(hostile_app)
    assert len(urls) >= 20, urls
    examples: list[None] = []
    drawn: collections.Counter[str] = collections.Counter()

    @settings(
        max_examples=int(os.environ.get("CONTRACT_UPSTREAM_EXAMPLES", "40")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(status=STATUS, headers=HEADERS, body=BODY, as_json=st.booleans())
    @example(status=200, headers={}, body=b"[" * 5000, as_json=False)  # RecursionError once
    def answer(status: int, headers: dict[str, str], body: bytes, as_json: bool) -> None:
        Reply.status, Reply.headers, Reply.body = status, headers, body
        # a fresh upstream layer per example (the process keeps one per distinct setting), so
        # one example's "rate limited until 2286" does not decide the next one's answer
        examples.append(None)
        hostile_app.config["UPSTREAM_USER_AGENT"] = f"badgeapp-contract/{len(examples)}"
        for url in urls:
            if as_json:
                url = url.replace("/v2/compose?", "/v2/compose.json?")
                url = url if "/v2/compose" in url else url + ".json"
            response = client.get(url)
            kind = check_response(response, allow=UPSTREAM_STATUSES)
            assert kind == ("json" if as_json else "svg"), (url, response.status_code)
            if kind == "svg":
                drawn[response.data.split(b'aria-label="', 1)[1].split(b'"', 1)[0].decode()] += 1
            if as_json and response.status_code >= 400:
                assert response.get_json()["message"] != "internal error", (url, body[:80])
            if as_json and "/v2/compose" in url and response.status_code == 200:
                errors = [item["error"] for item in response.get_json()["badges"]]
                assert "internal error" not in errors, (url, body[:80])

    answer()
    values = [text for text in drawn if not text.endswith(("inaccessible", "invalid", "not found"))]
    assert values, drawn  # some hostile answers were read as values, not all refused


def test_a_good_answer_draws_the_value(hostile_app):
    """The fake upstream is really asked: a well-formed answer shows up on the badge."""
    hostile_app.config["UPSTREAM_USER_AGENT"] = "badgeapp-contract/good"
    client = hostile_app.test_client()
    Reply.status, Reply.headers = 200, {"Content-Type": "application/json"}
    Reply.body = _dumps({"stargazers_count": 4321, "pull_count": 7})
    assert b"4.3k" in client.get("/v2/badge/github/acme/widgets/stars").data


def _ask(app: Flask, document: object, url: str) -> str:
    """The badge text for ``url`` when upstream answers ``document`` (fresh upstream layer)."""
    app.config["UPSTREAM_USER_AGENT"] = f"badgeapp-contract/{url}/{document!r}"[:200]
    Reply.status, Reply.headers = 200, {"Content-Type": "application/json"}
    Reply.body = document if isinstance(document, bytes) else _dumps(document)
    response = app.test_client().get(url)
    check_response(response)
    return response.data.split(b'aria-label="', 1)[1].split(b'"', 1)[0].decode()


@pytest.mark.parametrize(
    "count", [float("nan"), float("inf"), "\u00b2", "\u0663"], ids=["nan", "inf", "sup2", "arabic3"]
)
def test_untrusted_numbers_are_invalid_not_a_crash(hostile_app, count):
    """Finding 4 (fixed in 463f2a3), kept as a regression test."""
    text = _ask(hostile_app, {"stargazers_count": count}, "/v2/badge/github/acme/widgets/stars")
    assert text == "stars: invalid"


def test_deeply_nested_upstream_json_is_invalid_not_a_crash(hostile_app):
    """Finding 5 (fixed in a916cb6), kept as a regression test."""
    text = _ask(hostile_app, b"[" * 5000, "/v2/badge/github/acme/widgets/stars")
    assert text == "stars: invalid"


_PREFIX = {
    "": 1,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
    "Z": 1e21,
    "Y": 1e24,
}


def test_huge_counts_are_not_understated(hostile_app):
    """Finding 6 (fixed in a916cb6), kept as a regression test."""
    text = _ask(hostile_app, {"stargazers_count": 10**30}, "/v2/badge/github/acme/widgets/stars")
    shown = text.removeprefix("stars: ")
    number, prefix = shown.rstrip("kMGTPEZY"), shown[len(shown.rstrip("kMGTPEZY")) :]
    assert float(number) * _PREFIX[prefix] >= 0.9 * 10**30, shown
