"""The upstream layer's view of the configuration: ``setting(config, key)``.

Defaults, meanings and parsers live in one place, ``badgeapp.config.DEFAULTS``. This module
keeps the upstream layer usable on its own (tests, benchmarks, a bare mapping as config): a key
that is missing or empty takes its documented default, and a string (from the environment) is
parsed by the documented parser. Unset secrets and URLs read as ``""``, token lists as one
comma-separated string, so callers can test them with ``if value:`` and split them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from badgeapp.config import DEFAULTS


def setting(config: Mapping[str, Any] | None, key: str) -> Any:
    """The parsed value of ``key`` from ``config``, or its documented default when absent."""
    documented = DEFAULTS[key]
    raw = (config or {}).get(key)
    value = documented.default if raw is None or raw == "" else documented.parse(raw)
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    return value


def base_url(config: Mapping[str, Any] | None, key: str) -> str:
    """A configured base URL without its trailing slash."""
    return str(setting(config, key)).rstrip("/")
