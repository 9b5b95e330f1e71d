"""Properties of the shields routes and safe fetch's parsers: arbitrary input never breaks them."""

from __future__ import annotations

import ipaddress
import uuid
from urllib.parse import quote

import pytest
from fake_upstream import serve_fake
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badgeapp.net.safefetch import SafeFetchError, address_allowed, parse_target
from badgeapp.shields.table import ROUTES, SERVICES

SEGMENT = st.text(min_size=1, max_size=30).filter(lambda s: s not in (".", ".."))


@pytest.fixture(scope="module")
def client(make_module_app):
    with serve_fake() as fake:
        app = make_module_app(
            **fake.config(),
            REDIS_PREFIX=f"fuzz-{uuid.uuid4().hex[:8]}:",
            UPSTREAM_RETRIES=0,
        )
        yield app.test_client()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    service=st.sampled_from(SERVICES),
    segments=st.lists(SEGMENT, min_size=0, max_size=5),
    query=st.dictionaries(
        st.sampled_from(
            [
                "label",
                "color",
                "style",
                "branch",
                "include_prereleases",
                "sort",
                "filename",
                "url",
                "logo",
                "cacheSeconds",
            ]
        ),
        st.text(max_size=30),
        max_size=3,
    ),
)
def test_any_path_under_a_service_is_an_image_never_a_500(client, service, segments, query):
    path = "/" + "/".join([service, *(quote(s, safe="") for s in segments)])
    response = client.get(path, query_string=query)
    assert response.status_code in (200, 404, 414), (path, response.status_code)
    assert response.mimetype in ("image/svg+xml", "application/json"), path


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_non_global_ipv4_is_refused_directly_and_mapped(n):
    ip = ipaddress.IPv4Address(n)
    mapped = f"::ffff:{ip}"
    if not ip.is_global or ip.is_multicast:
        assert not address_allowed(str(ip))
        assert not address_allowed(mapped)
    else:
        assert address_allowed(str(ip)) == address_allowed(mapped)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parse_target_only_ever_raises_safe_fetch_error(text):
    try:
        target = parse_target(text, {})
    except SafeFetchError:
        return
    assert target.scheme == "https" and target.host


def test_every_route_example_matches_its_own_route():
    for route in ROUTES:
        path = route.example.lstrip("/").split("?")[0]
        assert route.regex.match(path), route.example
