"""Safe fetch against a real loopback server: what it fetches, and every refusal.

The loopback server is reachable only because the tests allow-list ``127.0.0.1`` (and plain
http); every other loopback, private, link-local or metadata address is refused before any
connection is made, and so are redirects into them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from badgeapp.net.cached import cached_fetch
from badgeapp.net.safefetch import (
    MAX_REDIRECTS,
    REASONS,
    SafeFetchError,
    address_allowed,
    safe_fetch,
)


class Site:
    """A loopback web site with pages for every case; remembers request headers."""

    def __init__(self) -> None:
        self.seen: list[dict[str, str]] = []
        self.hits = 0
        self.down = False
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        query = parse_qs(parts.query)
        self.seen.append({k.lower(): v for k, v in req.headers.items()})
        self.hits += 1
        if self.down:
            return self.send(req, 503, b"down")
        if parts.path == "/ok":
            return self.send(req, 200, b'{"ok": true}')
        if parts.path == "/big":
            return self.send(req, 200, b"x" * 100_000)
        if parts.path == "/big-chunked":  # no Content-Length: the cap applies while streaming
            req.send_response(200)
            req.send_header("Transfer-Encoding", "chunked")
            req.end_headers()
            for _ in range(20):
                req.wfile.write(b"2000\r\n" + b"y" * 0x2000 + b"\r\n")
            req.wfile.write(b"0\r\n\r\n")
            return None
        if parts.path == "/slow":
            req.send_response(200)
            req.send_header("Content-Length", "100")
            req.end_headers()
            try:
                for _ in range(100):
                    time.sleep(0.05)
                    req.wfile.write(b"z")
                    req.wfile.flush()
            except OSError:  # the client hung up at its deadline
                pass
            return None
        if parts.path == "/redirect":
            req.send_response(302)
            req.send_header("Location", query["to"][0])
            req.send_header("Content-Length", "0")
            req.end_headers()
            return None
        if parts.path == "/loop":
            n = int(query.get("n", ["0"])[0])
            req.send_response(301)
            req.send_header("Location", f"/loop?n={n + 1}")
            req.send_header("Content-Length", "0")
            req.end_headers()
            return None
        return self.send(req, 404, b"nope")

    @staticmethod
    def send(req: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(body)))
        req.send_header("Set-Cookie", "session=secret")
        req.end_headers()
        req.wfile.write(body)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.server.shutdown()


ALLOW = {"SAFE_FETCH_ALLOW_HOSTS": ["127.0.0.1"], "SAFE_FETCH_ALLOW_HTTP": True}


def refused(url: str, config: dict | None = None, **kwargs) -> str:
    with pytest.raises(SafeFetchError) as info:
        safe_fetch(url, config=ALLOW if config is None else config, **kwargs)
    assert info.value.reason in REASONS
    return info.value.reason


def test_fetches_an_allow_listed_loopback_page(site):
    result = safe_fetch(site.url + "/ok", config=ALLOW)
    assert (result.status, result.body) == (200, b'{"ok": true}')
    assert result.headers["content-type"] == "application/json"
    assert result.url == site.url + "/ok"


def test_sends_no_cookies_or_credentials(site):
    safe_fetch(site.url + "/ok", config=ALLOW)
    safe_fetch(site.url + "/ok", config=ALLOW)  # a cookie set by the first answer is not sent
    headers = site.seen[-1]
    assert "cookie" not in headers and "authorization" not in headers
    assert headers["host"] == site.url.removeprefix("http://")
    assert refused(site.url.replace("://", "://user:pw@") + "/ok") == "invalid url"


def test_https_only_by_default(site):
    assert refused(site.url + "/ok", {"SAFE_FETCH_ALLOW_HOSTS": ["127.0.0.1"]}) == (
        "scheme not allowed"
    )


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://example.com/1", "ftp://example.com/x", "data:,x", "//x/y"],
)
def test_other_schemes_are_refused(url):
    assert refused(url) == "scheme not allowed"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",  # loopback
        "https://127.1.2.3/",
        "https://[::1]/",
        "https://localhost/",  # a name resolving to loopback
        "https://10.0.0.1/",  # private
        "https://172.16.5.4/",
        "https://192.168.1.1/",
        "https://[fd00::1]/",  # unique local
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "https://[fe80::1]/",  # link-local v6
        "https://[::ffff:127.0.0.1]/",  # IPv4-mapped loopback
        "https://[::ffff:169.254.169.254]/",
        "https://0.0.0.0/",  # unspecified
        "https://224.0.0.1/",  # multicast
        "https://240.0.0.1/",  # reserved
        "https://100.64.0.1/",  # shared address space
    ],
)
def test_internal_addresses_are_refused(url):
    # the allow-list names 127.0.0.1 as written in a URL; none of these is that
    config = {"SAFE_FETCH_ALLOW_HOSTS": ["127.0.0.2"]}
    assert refused(url, config) == "address not allowed"


def test_the_allow_list_is_needed_for_the_loopback_fake(site):
    hits = site.hits
    assert refused(site.url + "/ok", {"SAFE_FETCH_ALLOW_HTTP": True}) == "address not allowed"
    assert site.hits == hits  # refused before connecting


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/ok",  # a name for loopback (only 127.0.0.1 is allow-listed)
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/ok",
        "http://10.1.2.3/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
    ],
)
def test_redirects_into_forbidden_places_are_refused(site, target):
    port = site.url.rsplit(":", 1)[1]
    url = f"{site.url}/redirect?to={target.format(port=port)}"
    assert refused(url) in ("address not allowed", "scheme not allowed")


def test_redirects_are_followed_and_capped(site):
    result = safe_fetch(f"{site.url}/redirect?to=/ok", config=ALLOW)
    assert result.body == b'{"ok": true}' and result.url.endswith("/ok")
    assert refused(site.url + "/loop") == "too many redirects"
    hops = [h for h in site.seen[-(MAX_REDIRECTS + 1) :]]
    assert len(hops) == MAX_REDIRECTS + 1


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_oversize_bodies_are_refused(site, path):
    assert refused(site.url + path, max_bytes=64 * 1024) == "too large"
    assert safe_fetch(site.url + path, config=ALLOW, max_bytes=200_000).body


def test_total_time_is_capped(site):
    started = time.monotonic()
    assert refused(site.url + "/slow", timeout=0.5) == "timeout"
    assert time.monotonic() - started < 2.0


def test_bad_status_and_unreachable(site):
    assert refused(site.url + "/missing") == "bad status"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert refused(f"http://127.0.0.1:{port}/") == "unreachable"
    assert refused("https://no-such-host.invalid/") == "unreachable"
    assert refused("https:///nohost") == "invalid url"
    assert refused("https://exa mple.com/") == "invalid url"


def test_dns_is_resolved_once_per_hop(site, monkeypatch):
    calls: list[str] = []
    real = socket.getaddrinfo

    def counting(host, *args, **kwargs):
        calls.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    config = {"SAFE_FETCH_ALLOW_HOSTS": ["localhost"], "SAFE_FETCH_ALLOW_HTTP": True}
    port = site.url.rsplit(":", 1)[1]
    assert safe_fetch(f"http://localhost:{port}/ok", config=config).status == 200
    assert calls.count("localhost") == 1  # then the connection goes to the checked address


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("::ffff:93.184.216.34", True),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("::127.0.0.1", False),  # IPv4-compatible
        ("2001:0::1", False),  # Teredo
        ("not an address", False),
    ],
)
def test_address_rules(address, allowed):
    assert address_allowed(address) is allowed


def test_cached_fetch_reuses_and_serves_stale(site):
    config = {**ALLOW, "REDIS_URL": None, "REDIS_PREFIX": "safefetch-test:"}
    url = f"{site.url}/ok?cache={time.time()}"
    first = cached_fetch(url, config=config, fresh=300)
    hits = site.hits
    again = cached_fetch(url, config=config, fresh=300)
    assert site.hits == hits and again.result.body == first.result.body and not again.stale
    site.down = True
    try:
        stale = cached_fetch(url, config=config, fresh=0)
        assert stale.stale and stale.result.body == b'{"ok": true}'
    finally:
        site.down = False
    with pytest.raises(SafeFetchError):  # a refusal is never answered from an older body
        cached_fetch("https://127.0.0.1/", config=config)
