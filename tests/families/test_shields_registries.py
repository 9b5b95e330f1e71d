"""Shields' PyPI and npm routes against the fake registries: shields' label, message, colour."""

from __future__ import annotations

import uuid

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import serve_fake

from badgeapp.render.colors import to_svg_color


@pytest.fixture(scope="module")
def client(make_module_app):
    with serve_fake() as fake:
        app = make_module_app(**fake.config(), REDIS_PREFIX=f"reg-{uuid.uuid4().hex[:8]}:")
        yield app.test_client()


def badge(client, path: str) -> tuple[str, str, str | None, int]:
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
    return label, message, fills[-1], response.status_code


CASES = [
    ("/pypi/v/flask", "pypi", "v3.1.0", "blue"),
    ("/pypi/v/flask.svg", "pypi", "v3.1.0", "blue"),
    ("/pypi/v/flask/3.0.0", "pypi", "v3.0.0", "blue"),
    ("/pypi/v/flask/0.12.1", "pypi", "v0.12.1", "orange"),
    ("/pypi/format/flask/0.12.1", "format", "source", "yellow"),
    ("/pypi/pyversions/flask", "python", "3.9 | 3.10 | 3.11 | 3.12 | 3.13", "blue"),
    ("/pypi/l/flask", "license", "BSD-3-Clause", "green"),
    ("/pypi/dm/flask", "downloads", "35M/month", "brightgreen"),
    ("/pypi/dw/flask", "downloads", "8.8M/week", "brightgreen"),
    ("/pypi/dd/flask", "downloads", "1.2M/day", "brightgreen"),
    ("/pypi/format/flask", "format", "wheel", "brightgreen"),
    ("/pypi/wheel/flask", "wheel", "yes", "brightgreen"),
    ("/pypi/implementation/flask", "implementation", "cpython | pypy", "blue"),
    ("/pypi/status/flask", "status", "stable", "brightgreen"),
    ("/npm/v/left-pad", "npm", "v1.3.0", "blue"),
    ("/npm/v/@babel/core", "npm", "v7.26.0", "blue"),
    ("/npm/v/left-pad/next", "npm@next", "v5.0.0-beta.3", "orange"),
    ("/npm/v/@babel/core/next", "npm@next", "v5.0.0-beta.3", "orange"),
    ("/npm/dw/left-pad", "downloads", "3.5M/week", "brightgreen"),
    ("/npm/dm/left-pad", "downloads", "0/month", "red"),
    ("/npm/dd/left-pad", "downloads", "5/day", "yellow"),
    ("/npm/dy/left-pad", "downloads", "123M/year", "brightgreen"),
    ("/npm/dt/left-pad", "downloads", "15k", "brightgreen"),
    ("/npm/dw/@babel/core", "downloads", "3.5M/week", "brightgreen"),
    ("/npm/l/left-pad", "license", "WTFPL", "7cd958"),
    ("/npm/l/@babel/core", "license", "MIT", "green"),
    ("/npm/types/@babel/core", "types", "included", "blue"),
    ("/npm/types/left-pad", "types", "missing", "lightgrey"),
    ("/npm/node/left-pad", "node", ">= 0.10.0", "brightgreen"),
]


@pytest.mark.parametrize(("path", "label", "message", "colour"), CASES)
def test_route(client, path, label, message, colour):
    assert badge(client, path) == (label, message, to_svg_color(colour), 200)


ERRORS = [
    ("/pypi/v/missing", "pypi", "package not found"),
    ("/pypi/dm/missing", "downloads", "package not found"),
    ("/pypi/v/flask/0.0.0", "pypi", "package not found"),
    ("/npm/v/missing", "npm", "package not found"),
    ("/npm/v/left-pad/nosuchtag", "npm", "package not found"),
    ("/npm/dt/missing", "downloads", "package not found"),
]


@pytest.mark.parametrize(("path", "label", "message"), ERRORS)
def test_errors(client, path, label, message):
    assert badge(client, path) == (label, message, to_svg_color("red"), 200)


def test_bad_names_are_invalid_parameter_not_a_crash(client):
    _label, message, _, status = badge(client, "/pypi/v/%2e%2e")
    assert (message, status) == ("invalid parameter", 200)


def test_unknown_pypi_route_is_shields_404(client):
    assert client.get("/pypi/nope/flask").status_code == 404
