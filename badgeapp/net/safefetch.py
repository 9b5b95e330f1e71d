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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

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


def safe_fetch(
    url: str,
    *,
    config: Mapping[str, Any],
    max_bytes: int = 64 * 1024,
    timeout: float = 5.0,
    accept: str = "application/json",
) -> FetchResult:
    """GET ``url`` under the rules above; raise ``SafeFetchError`` when refused or failed."""
    raise NotImplementedError("safe fetch is being built (issue 12)")
