"""The route walk again, through a real gunicorn, with URLs encoded the way a browser sends them.

The Flask test client tidies a URL before the app sees it; a real server passes the request
line on as it came (``RAW_URI``), raw ``%`` signs and all. Here every GET route gets
hypothesis-built paths and queries sent byte for byte with ``http.client``, after the
encoding a browser applies to an ``<img src>`` (spaces, quotes, angle brackets, controls and
non-ASCII percent-encoded; a lone ``%`` left alone). The contract is the same: no 5xx beyond
the documented upstream ones, and a body that parses as its Content-Type.
"""

from __future__ import annotations

import collections
import http.client
import urllib.parse

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from .checks import UPSTREAM_STATUSES, check_response
from .conftest import Seed
from .strategies import QUERY, query_string
from .test_route_walk import RULES, SPEC_IMAGE_STATUS_ENDPOINTS, realistic_paths, rule_paths

#: gunicorn.conf.py's ``limit_request_line`` (the request line: method, target, version)
GUNICORN_LINE_LIMIT = 8190 - len("GET  HTTP/1.1")
#: bytes a browser percent-encodes in a URL it is given (WHATWG path and query sets)
_BROWSER_ESCAPES = set(b' "<>`{}') | set(range(0x00, 0x21)) | set(range(0x7F, 0x100))


def browser_encode(url: str) -> str:
    """``url`` as Chrome would put it on the request line (``%`` and ASCII kept as typed)."""
    out = []
    for byte in url.encode("utf-8"):
        out.append(f"%{byte:02X}" if byte in _BROWSER_ESCAPES else chr(byte))
    return "".join(out).replace("#", "%23")


class RawResponse:
    """What ``check_response`` reads, from an ``http.client`` answer."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, data: bytes) -> None:
        self.status_code = status
        self.headers = headers
        self.data = data


def raw_get(port: int, target: str) -> RawResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return RawResponse(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.mark.slow
def test_real_server_never_breaks(real_server):
    port = int(real_server.base_url.rsplit(":", 1)[1])
    seed = Seed("acme", "widgets", "nosuchbutton", "")
    paths = st.sampled_from(RULES).flatmap(
        lambda pair: st.tuples(
            st.just(pair[0]), rule_paths(pair[1], realistic_paths(pair[0], seed))
        )
    )

    seen: collections.Counter[tuple[int, str]] = collections.Counter()

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(routed=paths, query=QUERY)
    @example(routed=("rank.rank_card", "/rank/NaN"), query=([], "quoted"))  # a 503 error card
    def walk(routed: tuple[str, str], query: tuple[list[tuple[str, str]], str]) -> None:
        endpoint, path = routed
        pairs, how = query
        target = browser_encode(path + ("?" + query_string(pairs, how) if pairs else ""))
        assume(len(target) < GUNICORN_LINE_LIMIT)  # longer: gunicorn's own 414 (as any proxy's)
        response = raw_get(port, target)
        if response.status_code in (301, 302, 307, 308):  # werkzeug's slash redirects
            location = response.headers["Location"]
            assert location.startswith(("/", real_server.base_url)), location
            assert not location.startswith(("//", "/\\")), location  # no open redirect
            return
        kind = check_response(response, allow=UPSTREAM_STATUSES)
        seen[response.status_code, kind] += 1
        if response.status_code in UPSTREAM_STATUSES:
            allowed = ("json", "svg") if endpoint in SPEC_IMAGE_STATUS_ENDPOINTS else ("json",)
            assert kind in allowed, (target, response.status_code, kind)

    walk()
    print(dict(seen))
    assert seen[200, "svg"] and seen[404, "svg"], seen  # badges and unknown paths both seen


@pytest.mark.slow
@pytest.mark.parametrize(
    "target",
    [
        "/badge/100%-blue",
        "/badge/a%zz-b-c",
        "/badge/%-%-%",
        "/badge/a%2-b-c.svg",
        "/v2/badge/custom?label=%&value=%zz",
        "/v2/badge/github/%/%/stars",
        "/v2/badge/plugin/echo/%E0%A4%A",
        "/v2/compose?badges=a:%,b:%ff",
        "/api/v1/badge/coverage/%25/%",
        "/static/v1?message=%C3%28",
        "/badge/%C3%28-%ED%A0%80-red",
        "/badge/a-b-c;jsessionid=x",
        "//badge//a-b-c",
        "/badge/a-b-c/../../../etc/passwd",
    ],
)
def test_real_server_raw_percent_signs(real_server, target):
    """Lone and broken ``%`` escapes reach the app raw through a real server."""
    port = int(real_server.base_url.rsplit(":", 1)[1])
    response = raw_get(port, target)
    if response.status_code in (301, 302, 307, 308):
        return
    kind = check_response(response, allow=UPSTREAM_STATUSES)
    assert kind in ("svg", "json"), (target, response.status_code)


@pytest.mark.slow
def test_real_server_serves_a_badge_with_a_six_kib_logo(real_server):
    """Finding 7 (fixed in a916cb6: gunicorn's limit_request_line 8190), a regression test."""
    import base64

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
        + '<path d="M1 1h22v22H1z"/>' * 180
        + "</svg>"
    )
    logo = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    target = "/badge/build-passing-brightgreen?logo=" + urllib.parse.quote(logo, safe="")
    assert 5000 < len(target) < 8000
    port = int(real_server.base_url.rsplit(":", 1)[1])
    response = raw_get(port, target)
    assert check_response(response) == "svg", response.status_code
    assert response.status_code == 200


@pytest.mark.slow
def test_real_server_never_logs_a_token(real_server):
    """Security checklist: a user's token is never logged, the access log included
    (finding 9, fixed in 7c6e99b; a regression test)."""
    port = int(real_server.base_url.rsplit(":", 1)[1])
    token = "ghp_" + "Q7" * 18
    for target in (
        f"/v2/badge/github/acme/widgets/stars?token={token}",
        f"/badge/a-b-blue?token={token}",
        f"/v2/badge/nope/a/b?token={token}",
    ):
        check_response(raw_get(port, target), allow=UPSTREAM_STATUSES)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", "/badge/a-b-blue", headers={"Authorization": f"Bearer {token}"})
    connection.getresponse().read()
    connection.close()
    log = real_server.log()
    assert "/badge/a-b-blue" in log  # the access log is really written
    assert token not in log
