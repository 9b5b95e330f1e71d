"""Install a theme from a URL: safe fetch (https, checked addresses, 64 KiB), JSON, schema.

The document is data only (never code): it is parsed as JSON, validated by the engine's theme
schema and stored like an edited theme. Refusals raise ``InstallError`` with a reason that the
theme API shows (``address not allowed``, ``too large``, ``invalid theme: ...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from badgeapp.net.safefetch import SafeFetchError, safe_fetch
from badgeapp.theming import store


class InstallError(ValueError):
    """The theme at a URL was not installed: ``reason`` says why, ``status`` is the HTTP status."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


#: safe-fetch reasons that are the remote side's fault (502) rather than the request's (400)
_REMOTE_REASONS = ("timeout", "unreachable", "bad status")


def install_from_url(
    url: str, *, config: Mapping[str, Any], reserved: Iterable[str] = ()
) -> dict[str, Any]:
    """Fetch, validate and store the theme at ``url``; returns the stored document."""
    if not url:
        raise InstallError("invalid url: give ?url=https://...")
    try:
        result = safe_fetch(
            url,
            config=config,
            max_bytes=store.MAX_THEME_BYTES,
            timeout=5.0,
            accept="application/json",
        )
    except SafeFetchError as exc:
        raise InstallError(exc.reason, 502 if exc.reason in _REMOTE_REASONS else 400) from None
    if len(result.body) > store.MAX_THEME_BYTES:
        raise InstallError("too large")
    try:
        doc = store.parse_json(result.body)
    except store.ThemeStoreError as exc:
        raise InstallError(f"invalid theme: {exc}", 422) from None
    try:
        return store.save(doc, origin=url, reserved=reserved)
    except store.ThemeStoreError as exc:
        raise InstallError(f"invalid theme: {exc}", 409 if exc.field == "name" else 422) from None
