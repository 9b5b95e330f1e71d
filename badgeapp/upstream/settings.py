"""Configuration keys of the upstream layer and the providers, with defaults and parsers.

``badgeapp.config.DEFAULTS`` documents the same keys for the whole app; this module keeps
the upstream layer usable on its own (tests, benchmarks, a bare mapping as config) by
falling back to these defaults when a key is missing, and parsing strings from the
environment ("2.5", "1", "a,b").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _float(value: Any) -> float:
    return float(value)


def _int(value: Any) -> int:
    return int(value)


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _csv(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return _str(value)


#: key -> (default, one-line doc, parser)
SETTINGS: dict[str, tuple[Any, str, Callable[[Any], Any]]] = {
    "UPSTREAM_CONNECT_TIMEOUT": (
        2.0,
        "Seconds to wait for an upstream TCP/TLS connection.",
        _float,
    ),
    "UPSTREAM_READ_TIMEOUT": (5.0, "Seconds to wait for an upstream answer.", _float),
    "UPSTREAM_RETRIES": (
        1,
        "Retries of an idempotent GET after a connection error, 502, 503 or 504.",
        _int,
    ),
    "UPSTREAM_BACKOFF": (
        0.2,
        "Seconds to wait before the first retry (doubles each retry).",
        _float,
    ),
    "UPSTREAM_FRESH_SECONDS": (
        300,
        "Seconds an upstream answer is used without revalidation.",
        _int,
    ),
    "UPSTREAM_ERROR_COOLDOWN": (
        30,
        "Seconds a failed upstream resource is not asked again (stale or error served).",
        _int,
    ),
    "UPSTREAM_MAX_BODY": (5_000_000, "Largest upstream body read, in bytes.", _int),
    "REDIS_PREFIX": ("badgeapp:", "Prefix of Redis keys; the upstream layer adds 'up:'.", _str),
    "UPSTREAM_USER_AGENT": (
        "badgeapp/0.1 (self-hosted badge server; +https://github.com/badgeapp)",
        "User-Agent sent to every upstream API.",
        _str,
    ),
    "STALE_MAX_AGE": (
        7 * 86400,
        "Seconds a last good value may be served when upstream fails.",
        _int,
    ),
    "REDIS_URL": (
        "",
        "Redis URL; when set, upstream cache, single-flight and tokens are shared.",
        _str,
    ),
    "GITHUB_TOKEN": ("", "A GitHub token for API calls (raises the rate limit).", _str),
    "GITHUB_TOKENS": ("", "Comma-separated GitHub tokens, pooled by remaining quota.", _csv),
    "GITHUB_API_URL": (
        "https://api.github.com",
        "GitHub REST base URL (Enterprise: .../api/v3).",
        _str,
    ),
    "GITHUB_GRAPHQL_URL": (
        "https://api.github.com/graphql",
        "GitHub GraphQL endpoint (reserved; metrics use REST).",
        _str,
    ),
    "GITLAB_URL": ("https://gitlab.com", "GitLab base URL (the API is at /api/v4).", _str),
    "BITBUCKET_API_URL": ("https://api.bitbucket.org/2.0", "Bitbucket Cloud API base URL.", _str),
    "DOCKERHUB_API_URL": ("https://hub.docker.com/v2", "Docker Hub API base URL.", _str),
    "PYPI_URL": ("https://pypi.org", "PyPI base URL (JSON API at /pypi/NAME/json).", _str),
    "PYPISTATS_URL": ("https://pypistats.org/api", "pypistats.org API base URL.", _str),
    "NPM_REGISTRY_URL": ("https://registry.npmjs.org", "npm registry base URL.", _str),
    "NPM_API_URL": ("https://api.npmjs.org", "npm downloads API base URL.", _str),
    "YOUTUBE_API_URL": (
        "https://www.googleapis.com/youtube/v3",
        "YouTube Data API base URL.",
        _str,
    ),
    "YOUTUBE_API_KEY": ("", "YouTube Data API key (youtube badges need it).", _str),
    "TWITTER_API_URL": ("https://api.twitter.com/2", "Twitter/X API v2 base URL.", _str),
    "TWITTER_BEARER_TOKEN": ("", "Twitter/X API bearer token (twitter badges need it).", _str),
    "PLUGIN_TIMEOUT": (
        3.0,
        "Seconds a plugin badge may take before it becomes an error badge.",
        _float,
    ),
    "COMPOSE_MAX_ITEMS": (20, "Most badges one /v2/compose image may hold.", _int),
}


def setting(config: Mapping[str, Any] | None, key: str) -> Any:
    """The parsed value of ``key`` from ``config``, or its default when absent or empty."""
    default, _doc, parse = SETTINGS[key]
    raw = (config or {}).get(key)
    if raw is None or (raw == "" and default != ""):
        return default
    return parse(raw)


def base_url(config: Mapping[str, Any] | None, key: str) -> str:
    """A configured base URL without its trailing slash."""
    return str(setting(config, key)).rstrip("/")
