"""Safe fetch: GET a URL a user chose (endpoint badges, dynamic badges, theme install).

The one component every family uses for user-chosen URLs: https only by default, the host
resolved once and every address checked (no loopback, private, link-local, multicast,
reserved, unspecified; IPv4 and IPv6, IPv4-mapped too), the connection made to the checked
address, redirects re-checked hop by hop, body size and total time capped, no cookies or
credentials forwarded. Tests reach a loopback fake only through ``SAFE_FETCH_ALLOW_HOSTS``.

Contract (implemented by the shields-routes work):

    safe_fetch(url, *, config, max_bytes=..., timeout=..., accept=...) -> FetchResult
    FetchResult(url: str, status: int, headers: dict[str, str], body: bytes)
    raises SafeFetchError(reason) where reason is one of REASONS

How the pinning works: the name is resolved once with ``getaddrinfo``; when every address
passes the check, urllib3 connects to the first one by IP while TLS uses the name for SNI and
certificate checks (``server_hostname`` / ``assert_hostname``) and the ``Host`` header carries
the name, so a DNS answer that changes between check and connect (rebinding) cannot matter.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3

#: why a fetch was refused or failed; shown on the error badge
REASONS = (
    "invalid url",  # not parseable, no host
    "scheme not allowed",  # not https (http only where allowed), file:, gopher:, ...
    "address not allowed",  # loopback, private, link-local, metadata, reserved, multicast
    "too many redirects",
    "too large",  # body over max_bytes
    "timeout",
    "unreachable",  # DNS failure, connection refused, TLS error
    "bad status",  # upstream answered 4xx/5xx
)

#: redirects followed (each hop re-checked) before giving up
MAX_REDIRECTS = 3
#: longest URL accepted
MAX_URL_LENGTH = 2048
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 8192
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class SafeFetchError(Exception):
    """A user-chosen URL was refused or could not be fetched; ``reason`` is one of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass(frozen=True)
class FetchResult:
    """A fetched answer: the final URL after redirects, status, headers (lower-case), body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclasses.dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    url: str


def _config_value(config: Mapping[str, Any], key: str, default: Any) -> Any:
    value = (config or {}).get(key)
    return default if value is None else value


def allowed_hosts(config: Mapping[str, Any]) -> frozenset[str]:
    """``SAFE_FETCH_ALLOW_HOSTS`` as lower-case names/addresses (tests' loopback fake only)."""
    raw = _config_value(config, "SAFE_FETCH_ALLOW_HOSTS", ())
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return frozenset(str(item).strip().lower().strip("[]") for item in items if str(item).strip())


def _allow_http(config: Mapping[str, Any]) -> bool:
    value = _config_value(config, "SAFE_FETCH_ALLOW_HTTP", False)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def parse_target(url: str, config: Mapping[str, Any]) -> _Target:
    """Split and check the scheme of ``url``; raise ``invalid url`` / ``scheme not allowed``."""
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL_LENGTH:
        raise SafeFetchError("invalid url")
    if any(ord(c) < 33 or c == "\x7f" for c in url.strip()):
        raise SafeFetchError("invalid url", "control characters or spaces")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise SafeFetchError("invalid url") from None
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and _allow_http(config)):
        raise SafeFetchError("scheme not allowed", scheme or "none")
    host = (parts.hostname or "").lower()
    if not host or parts.username is not None or parts.password is not None:
        raise SafeFetchError("invalid url", "no host, or credentials in the URL")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(scheme, host, port or (443 if scheme == "https" else 80), path, url.strip())


def address_allowed(address: str) -> bool:
    """True when ``address`` is a public unicast address (mapped/compat IPv6 unwrapped)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip.teredo is not None:
            return False
        elif int(ip) >> 32 == 0 or ip in _NAT64:  # IPv4-compatible ::a.b.c.d, or NAT64
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    bad = (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )
    return not bad


def resolve_checked(host: str, port: int, config: Mapping[str, Any]) -> str:
    """Resolve ``host`` once; every address must pass; return the first.

    Only the host as written in the URL is matched against ``SAFE_FETCH_ALLOW_HOSTS``: a name
    that merely resolves to an allow-listed address is still checked.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise SafeFetchError("unreachable", "name does not resolve") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise SafeFetchError("unreachable", "name does not resolve")
    allow = allowed_hosts(config)
    if host in allow:
        return addresses[0]
    for address in addresses:
        if not address_allowed(address):
            raise SafeFetchError("address not allowed", host)
    return addresses[0]


def _pool(target: _Target, address: str, timeout: float) -> urllib3.HTTPConnectionPool:
    kwargs: dict[str, Any] = {
        "port": target.port,
        "maxsize": 1,
        "retries": False,
        "timeout": urllib3.Timeout(connect=timeout, read=timeout),
    }
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **kwargs,
        )
    return urllib3.HTTPConnectionPool(address, **kwargs)


def _host_header(target: _Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    return host if target.port == default else f"{host}:{target.port}"


def _read_capped(resp: Any, max_bytes: int, deadline: float) -> bytes:
    length = resp.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise SafeFetchError("too large", f"over {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    # a watchdog closes the socket at the deadline, so a body trickled byte by byte
    # cannot hold the worker past the time cap (each read's own timeout would not)
    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), resp.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        while True:
            chunk = resp.read1(_CHUNK, decode_content=True)
            if time.monotonic() > deadline:
                raise SafeFetchError("timeout")
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise SafeFetchError("too large", f"over {max_bytes} bytes")
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError, ValueError):
        if time.monotonic() > deadline:
            raise SafeFetchError("timeout") from None
        raise
    finally:
        watchdog.cancel()
    return b"".join(chunks)


def _one_hop(
    target: _Target, config: Mapping[str, Any], max_bytes: int, deadline: float, accept: str
) -> tuple[int, dict[str, str], bytes]:
    address = resolve_checked(target.host, target.port, config)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SafeFetchError("timeout")
    pool = _pool(target, address, remaining)
    headers = {
        "Host": _host_header(target),
        "User-Agent": str(_config_value(config, "UPSTREAM_USER_AGENT", "badgeapp")),
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        resp = pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            if resp.status in REDIRECT_STATUSES:
                return resp.status, resp_headers, b""
            body = _read_capped(resp, max_bytes, deadline)
        finally:
            resp.release_conn()
    except SafeFetchError:
        raise
    except urllib3.exceptions.NewConnectionError:  # refused (a ConnectTimeoutError subclass)
        raise SafeFetchError("unreachable", "connection failed") from None
    except (urllib3.exceptions.TimeoutError, TimeoutError):
        raise SafeFetchError("timeout") from None
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
        raise SafeFetchError("unreachable", type(exc).__name__) from None
    finally:
        pool.close()
    return resp.status, resp_headers, body


def safe_fetch(
    url: str,
    *,
    config: Mapping[str, Any],
    max_bytes: int = 64 * 1024,
    timeout: float = 5.0,
    accept: str = "application/json",
) -> FetchResult:
    """GET ``url`` under the rules above; raise ``SafeFetchError`` when refused or failed."""
    deadline = time.monotonic() + timeout
    target = parse_target(url, config)
    for _hop in range(MAX_REDIRECTS + 1):
        status, headers, body = _one_hop(target, config, max_bytes, deadline, accept)
        if status in REDIRECT_STATUSES:
            location = headers.get("location")
            if not location:
                raise SafeFetchError("bad status", f"{status} without Location")
            target = parse_target(urljoin(target.url, location), config)
            continue
        if status >= 400:
            raise SafeFetchError("bad status", str(status))
        return FetchResult(target.url, status, headers, body)
    raise SafeFetchError("too many redirects")
