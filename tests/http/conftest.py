"""Fixtures for the response-path tests: a module-wide app with a few probe routes.

``probe`` routes exercise ``badge_response`` the way a family would (a given error class, a
given cache lifetime, a renderer that fails), so the response path is tested through HTTP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import defusedxml.ElementTree as SafeET
import pytest
from flask import Blueprint, Flask, request

from badgeapp import errors
from badgeapp.http import render_cache
from badgeapp.http.badge_response import badge_response, value_response
from badgeapp.http.query import parse_query
from badgeapp.providers.base import Value

SVG_NS = "{http://www.w3.org/2000/svg}"

probe = Blueprint("probe", __name__)


@probe.get("/probe/value")
def probe_value():
    """A family-like view: default lifetime from ?default=, optional private response."""
    query = parse_query(request.args)
    spec = query.spec(label="probe", message="42", color="blue")
    return badge_response(
        spec,
        query,
        cache_seconds=int(request.args.get("default", "300")),
        private="private" in request.args,
    )


@probe.get("/probe/error/<name>")
def probe_error(name: str):
    """Answers the named BadgeError class through badge_response."""
    error = getattr(errors, name)()
    return badge_response(error, parse_query(request.args), label="probe", cache_seconds=300)


@probe.get("/probe/raise/<name>")
def probe_raise(name: str):
    """Raises the named BadgeError class: the app-wide handler must draw it."""
    raise getattr(errors, name)()


@probe.get("/probe/json-body")
def probe_json_body():
    query = parse_query(request.args)
    spec = query.spec(label="probe", message="7")
    return badge_response(spec, query, json_body={"count": 7, "label": "probe"})


@probe.get("/probe/provider")
def probe_provider():
    """A provider-family-like view answering a ``Value``."""
    value = Value(
        raw=1234,
        display="1.2k",
        color="blue" if "colored" in request.args else None,
        label="stars" if "labelled" in request.args else None,
        fetched_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        stale="stale" in request.args,
        cache_seconds=int(request.args["hint"]) if "hint" in request.args else None,
    )
    return value_response(value, label="github", color="green", cache_seconds=300)


@pytest.fixture(scope="module")
def badge_app(make_module_app) -> Flask:
    app = make_module_app()
    app.register_blueprint(probe)
    render_cache.clear()
    return app


@pytest.fixture(scope="module")
def bclient(badge_app: Flask):
    return badge_app.test_client()


@pytest.fixture(scope="session")
def parse_svg() -> Callable[[bytes], object]:
    """Parse SVG bytes with defusedxml (fails on anything that is not well-formed XML)."""

    def parse(data: bytes):
        root = SafeET.fromstring(data)
        assert root.tag == SVG_NS + "svg", root.tag
        return root

    return parse


@pytest.fixture(scope="session")
def svg_text() -> Callable[[bytes], str]:
    """The accessible text (``<title>`` or ``aria-label``) of an SVG badge."""

    def text(data: bytes) -> str:
        root = SafeET.fromstring(data)
        title = root.find(SVG_NS + "title")
        if title is not None:
            return title.text or ""
        return root.get("aria-label", "")

    return text


@probe.get("/probe/bytes")
def probe_bytes():
    """A composite drawn by the family itself, answered through ``bytes_response``."""
    from badgeapp.http.badge_response import bytes_response

    body = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    return bytes_response(
        body, "svg", cache_seconds=120, requested=parse_query(request.args).cache_seconds
    )
