"""Configuration: every key's default and meaning, and how the four sources are merged.

Precedence, lowest first: the ``DEFAULTS`` below < ``instance/config.py`` < environment
variables (same names) < the mapping passed to ``create_app`` (tests). Each key has a parser;
a value that does not parse stops start-up with a ``ConfigError`` naming the key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from limits import parse_many


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the key."""


# -- parsers: each accepts the typed value (from Python config) or a string (from the environment)


def as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def as_optional_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return as_str(value)


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {value!r}")


def as_optional_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    return as_bool(value)


def as_nonneg_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("expected a whole number")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"must be 0 or more, got {number}")
    return number


def as_positive_float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number > 0:
        raise ValueError(f"must be more than 0, got {number}")
    return number


def as_csv_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def as_rate_limit(value: Any) -> str:
    text = as_str(value).strip()
    try:
        parse_many(text)
    except ValueError:
        raise ValueError(f"expected a rate limit such as '100/minute', got {text!r}") from None
    return text


def as_redis_url(value: Any) -> str | None:
    text = as_optional_str(value)
    if text is not None and not text.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"expected a redis:// URL, got {text!r}")
    return text


def as_database_url(value: Any) -> str | None:
    text = as_optional_str(value)
    if text is None:
        return None
    if text.startswith("postgres://"):  # Heroku-style alias
        text = "postgresql://" + text[len("postgres://") :]
    if text.startswith("postgresql://"):  # use psycopg 3, not psycopg2
        text = "postgresql+psycopg://" + text[len("postgresql://") :]
    if not text.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ValueError(f"expected a sqlite:/// or postgresql:// URL, got {text!r}")
    return text


def as_url(value: Any) -> str:
    text = as_str(value).rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"expected an http(s) URL, got {text!r}")
    return text


@dataclass(frozen=True)
class Setting:
    """One configuration key: its default, a one-line description and its parser."""

    default: Any
    doc: str
    parse: Callable[[Any], Any]


#: Every configuration key. The README's configuration table is checked against this.
DEFAULTS: dict[str, Setting] = {
    "SECRET_KEY": Setting(
        None,
        "Signs sessions and CSRF tokens. Unset: generated once and kept in instance/secret_key.",
        as_optional_str,
    ),
    "GITHUB_TOKEN": Setting(None, "A GitHub token for the GitHub provider.", as_optional_str),
    "GITHUB_TOKENS": Setting(
        [], "More GitHub tokens, comma-separated; the pool picks by remaining quota.", as_csv_list
    ),
    "REDIS_URL": Setting(
        None,
        "Redis URL. Set: cache, rate limits and upstream fan-out are shared through Redis.",
        as_redis_url,
    ),
    "REDIS_PREFIX": Setting(
        "badgeapp:",
        "Prefix of every Redis key this app writes (apps can share one Redis).",
        as_str,
    ),
    "DATABASE_URL": Setting(
        None,
        "SQLAlchemy URL (sqlite:/// or postgresql://). Unset: SQLite file instance/badgeapp.db.",
        as_database_url,
    ),
    "RATE_LIMIT": Setting(
        "100/minute",
        "Cold upstream fetches per client IP; cached and static answers are never counted.",
        as_rate_limit,
    ),
    "RATE_LIMIT_ENABLED": Setting(True, "Switch rate limiting off entirely (false).", as_bool),
    "CACHE_TTL": Setting(300, "Seconds a rendered badge or value is cached.", as_nonneg_int),
    "BADGEAPP_PLUGINS_DIR": Setting(
        "./plugins", "Folder of drop-in plugin files (*.py), hot-reloaded.", as_str
    ),
    "PLUGINS_RELOAD_INTERVAL": Setting(
        1.0,
        "Seconds between checks of the plugins folder for changes (per process).",
        as_positive_float,
    ),
    "LOAD_ENTRYPOINT_PLUGINS": Setting(
        True, "Load pip-installed plugins (entry point group 'badgeapp').", as_bool
    ),
    "PROXY_FIX_X_FOR": Setting(
        0,
        "Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.",
        as_nonneg_int,
    ),
    "MAX_CONTENT_LENGTH": Setting(
        10 * 1024 * 1024, "Largest request body in bytes (report uploads).", as_nonneg_int
    ),
    "DATABASE_BUSY_TIMEOUT": Setting(
        30000, "SQLite only: milliseconds a writer waits for the lock.", as_nonneg_int
    ),
    "DATABASE_ECHO": Setting(
        False, "Log every SQL statement (debugging; API keys are never in them).", as_bool
    ),
    "NICE_LIMIT": Setting(
        "1/hour",
        "Nices per visitor IP and button (e.g. 1/hour); 'off' disables the limit.",
        lambda v: "off" if str(v).strip().lower() == "off" else as_rate_limit(v),
    ),
    "NICE_OPEN_CREATE": Setting(
        False,
        "Let anyone create nice buttons; false: POST /api/buttons needs a 'buttons' key.",
        as_bool,
    ),
    "NICE_CREATE_LIMIT": Setting(
        "20/hour", "POST /api/buttons calls per client IP (failed key checks count).", as_rate_limit
    ),
    "QUALITY_MAX_REPORT_BYTES": Setting(
        10 * 1024 * 1024, "Largest quality report upload in bytes (413 beyond).", as_nonneg_int
    ),
    "QUALITY_DEFAULT_BRANCH": Setting(
        "main", "Branch of report uploads and quality badges without ?branch=.", as_str
    ),
    "QUALITY_RATE_LIMIT": Setting(
        "60/minute",
        "Quality badge requests per client IP; cached badges are not counted.",
        as_rate_limit,
    ),
    # upstream layer, providers, plugin badges and compose (badgeapp/upstream/settings.py)
    "UPSTREAM_CONNECT_TIMEOUT": Setting(
        2.0, "Seconds to wait for an upstream TCP/TLS connection.", as_positive_float
    ),
    "UPSTREAM_READ_TIMEOUT": Setting(
        5.0, "Seconds to wait for an upstream answer.", as_positive_float
    ),
    "UPSTREAM_RETRIES": Setting(
        1, "Retries of an idempotent GET after a connection error, 502, 503 or 504.", as_nonneg_int
    ),
    "UPSTREAM_BACKOFF": Setting(
        0.2,
        "Seconds to wait before the first retry (doubles each retry).",
        lambda v: max(0.0, float(v)),
    ),
    "UPSTREAM_FRESH_SECONDS": Setting(
        300, "Seconds an upstream answer is used without revalidation.", as_nonneg_int
    ),
    "UPSTREAM_ERROR_COOLDOWN": Setting(
        30,
        "Seconds a failed upstream resource is not asked again (stale or error served).",
        as_nonneg_int,
    ),
    "UPSTREAM_MAX_BODY": Setting(5000000, "Largest upstream body read, in bytes.", as_nonneg_int),
    "UPSTREAM_USER_AGENT": Setting(
        "badgeapp/0.1 (self-hosted badge server; +https://github.com/badgeapp)",
        "User-Agent sent to every upstream API.",
        as_str,
    ),
    "STALE_MAX_AGE": Setting(
        7 * 86400, "Seconds a last good value may be served when upstream fails.", as_nonneg_int
    ),
    "GITHUB_API_URL": Setting(
        "https://api.github.com", "GitHub REST base URL (Enterprise: .../api/v3).", as_url
    ),
    "GITHUB_GRAPHQL_URL": Setting(
        "https://api.github.com/graphql",
        "GitHub GraphQL endpoint (rank cards, stats, trophies).",
        as_url,
    ),
    "GITLAB_URL": Setting("https://gitlab.com", "GitLab base URL (the API is at /api/v4).", as_url),
    "BITBUCKET_API_URL": Setting(
        "https://api.bitbucket.org/2.0", "Bitbucket Cloud API base URL.", as_url
    ),
    "DOCKERHUB_API_URL": Setting("https://hub.docker.com/v2", "Docker Hub API base URL.", as_url),
    "PYPI_URL": Setting("https://pypi.org", "PyPI base URL (JSON API at /pypi/NAME/json).", as_url),
    "PYPISTATS_URL": Setting("https://pypistats.org/api", "pypistats.org API base URL.", as_url),
    "NPM_REGISTRY_URL": Setting("https://registry.npmjs.org", "npm registry base URL.", as_url),
    "NPM_API_URL": Setting("https://api.npmjs.org", "npm downloads API base URL.", as_url),
    "YOUTUBE_API_URL": Setting(
        "https://www.googleapis.com/youtube/v3", "YouTube Data API base URL.", as_url
    ),
    "YOUTUBE_API_KEY": Setting(
        None, "YouTube Data API key (youtube badges need it).", as_optional_str
    ),
    "TWITTER_API_URL": Setting("https://api.twitter.com/2", "Twitter/X API v2 base URL.", as_url),
    "TWITTER_BEARER_TOKEN": Setting(
        None, "Twitter/X API bearer token (twitter badges need it).", as_optional_str
    ),
    "PLUGIN_TIMEOUT": Setting(
        3.0, "Seconds a plugin badge may take before it becomes an error badge.", as_positive_float
    ),
    "COMPOSE_MAX_ITEMS": Setting(20, "Most badges one /v2/compose image may hold.", as_nonneg_int),
    # ops: signed URLs and abuse detection (badgeapp/security/)
    "SIGNING_KEY": Setting(
        None,
        "Key of signed URLs (HMAC-SHA256 sig=, exp=). Unset: derived from SECRET_KEY.",
        as_optional_str,
    ),
    "SIGNED_FAMILIES": Setting(
        [],
        "Families (blueprint names, comma-separated, e.g. compose,layered) that need a signed URL.",
        as_csv_list,
    ),
    "SIGN_TOKEN_REQUESTS": Setting(
        False, "Requests carrying a token (?token= or Authorization) need a signed URL.", as_bool
    ),
    "ABUSE_DETECTION": Setting(
        True, "Block addresses that enumerate many distinct cold subjects (false: off).", as_bool
    ),
    "ABUSE_MAX_SUBJECTS": Setting(
        200,
        "Distinct cold subjects (owner/repo, user) one address may ask for per window.",
        as_nonneg_int,
    ),
    "ABUSE_WINDOW": Setting(
        600,
        "Seconds of the sliding window over which distinct subjects are counted.",
        as_nonneg_int,
    ),
    "ABUSE_BLOCK_SECONDS": Setting(
        900, "Seconds an enumerating address is refused cold subjects.", as_nonneg_int
    ),
    "ABUSE_WARM_SECONDS": Setting(
        300,
        "Seconds a subject anyone asked for stays warm (cheap: not counted, never refused).",
        as_nonneg_int,
    ),
    "ABUSE_ALLOW_AGENTS": Setting(
        ["github-camo"],
        "User-Agent substrings never counted (GitHub's image proxy), comma-separated.",
        as_csv_list,
    ),
    "ABUSE_ALLOW_ADDRESSES": Setting(
        [], "Addresses or networks (CIDR) never counted, comma-separated.", as_csv_list
    ),
    # live stats over WebSocket (badgeapp/live/, families/live.py)
    "LIVE_MIN_INTERVAL": Setting(
        30.0, "Shortest seconds between two polls of one live metric.", as_positive_float
    ),
    "LIVE_MAX_INTERVAL": Setting(
        900.0, "Longest seconds between two polls of one live metric.", as_positive_float
    ),
    "LIVE_HEARTBEAT_SECONDS": Setting(
        25.0,
        "Seconds between heartbeat messages (and protocol pings) on a live socket.",
        as_positive_float,
    ),
    "LIVE_IDLE_TIMEOUT": Setting(
        60.0, "Seconds a live socket may stay open without any subscription.", as_positive_float
    ),
    "LIVE_QUEUE_SIZE": Setting(
        64, "Messages queued per live client; a client that falls behind is dropped.", as_nonneg_int
    ),
    "LIVE_MAX_PER_ADDRESS": Setting(
        20, "Open live sockets per client address (all workers, with REDIS_URL).", as_nonneg_int
    ),
    "LIVE_MAX_SUBSCRIPTIONS": Setting(20, "Metrics one live socket may watch.", as_nonneg_int),
    "LIVE_MAX_MESSAGE_BYTES": Setting(
        4096, "Largest message a live client may send, in bytes.", as_nonneg_int
    ),
    "LIVE_ALLOWED_ORIGINS": Setting(
        [], "Origins allowed to open live sockets, comma-separated (empty: any).", as_csv_list
    ),
    # GitHub webhook (families/webhook.py)
    "GITHUB_WEBHOOK_SECRET": Setting(
        None,
        "Secret of the GitHub webhook (unset: /webhook/github refuses everything).",
        as_optional_str,
    ),
    "WEBHOOK_DELIVERY_TTL": Setting(
        86400, "Seconds a webhook delivery id is remembered to ignore replays.", as_nonneg_int
    ),
    # scheduler (badgeapp/scheduler/)
    "SCHEDULER_ENABLED": Setting(
        None, "Run scheduled jobs (unset: on under gunicorn, off elsewhere).", as_optional_bool
    ),
    "SCHEDULER_LOCK_TTL": Setting(
        60.0, "Seconds the scheduler's runner lock lasts unless renewed.", as_positive_float
    ),
    "SCHEDULER_PREWARM_INTERVAL": Setting(
        60, "Seconds between pre-warm runs of the most viewed badges (0: off).", as_nonneg_int
    ),
    "SCHEDULER_PREWARM_COUNT": Setting(
        50, "How many of the most viewed badges to pre-warm.", as_nonneg_int
    ),
    "SCHEDULER_CLEANUP_INTERVAL": Setting(
        3600, "Seconds between sweeps of expired cache entries (0: off).", as_nonneg_int
    ),
    "SCHEDULER_RETENTION_INTERVAL": Setting(
        86400, "Seconds between retention runs (0: off).", as_nonneg_int
    ),
    "REPORT_RETENTION_DAYS": Setting(
        365,
        "Days of quality report history kept (the latest per badge is always kept).",
        as_nonneg_int,
    ),
    # -- cost bounds of heavy renders (layered images, compose, rasterising; issue 11)
    "LAYERED_MAX_DECODED_PIXELS": Setting(
        33_554_432,
        "Most pixels the images of one layered request may decode to, summed.",
        as_nonneg_int,
    ),
    "LAYERED_IMAGE_CACHE_BYTES": Setting(
        33_554_432, "Bytes of decoded layered images one process keeps.", as_nonneg_int
    ),
    "COMPOSE_MAX_PNG_PIXELS": Setting(
        1_000_000, "Most pixels of a /v2/compose PNG (its scale is lowered to fit).", as_nonneg_int
    ),
    "COMPOSE_MAX_COLD_FETCHES": Setting(
        8, "Most upstream calls one /v2/compose request may make.", as_nonneg_int
    ),
    "RASTER_MAX_HEAVY": Setting(
        1, "Large PNG rasterisations one process runs at once (in a helper process).", as_nonneg_int
    ),
    "RASTER_WAIT_SECONDS": Setting(
        2.0,
        "Seconds a large PNG waits for a raster slot before a busy badge.",
        as_positive_float,
    ),
    # shields family and safe fetch (issue 12)
    "SAFE_FETCH_ALLOW_HOSTS": Setting(
        [], "Hosts safe fetch may reach despite the address checks (tests only).", as_csv_list
    ),
    "SAFE_FETCH_ALLOW_HTTP": Setting(
        False, "Let safe fetch use plain http (tests only; https otherwise).", as_bool
    ),
    # dashboard: analytics (badgeapp/analytics/)
    "ANALYTICS_ENABLED": Setting(
        True, "Count badge answers for the dashboard and /api/analytics.", as_bool
    ),
    "ANALYTICS_FLUSH_SECONDS": Setting(
        5.0,
        "Seconds between writes of the in-process counts to the database or Redis.",
        as_positive_float,
    ),
    "ANALYTICS_MAX_KEYS": Setting(
        2000, "Distinct counters one process keeps between writes (more: '(other)').", as_nonneg_int
    ),
    "ANALYTICS_RETENTION_DAYS": Setting(
        8, "Days of analytics kept (the dashboard shows up to a week).", as_nonneg_int
    ),
    # rank family (rank cards, stats, trophies, insights)
    "RANK_RATE_LIMIT_IP": Setting(
        "100/hour",
        "Cold /rank and /stats requests per client IP (cache hits not counted).",
        as_rate_limit,
    ),
    "RANK_RATE_LIMIT_USERNAME": Setting(
        "10/hour", "Cold /rank and /stats requests per GitHub username.", as_rate_limit
    ),
    "RANK_CACHE_SECONDS": Setting(
        86400, "Seconds a computed rank, stats or trophy result is cached.", as_nonneg_int
    ),
    # shields family: registry and service base URLs, credentials (issue 12)
    "NUGET_SEARCH_URL": Setting(
        "https://azuresearch-usnc.nuget.org",
        "NuGet search service base URL (nuget badges).",
        as_url,
    ),
    "RUBYGEMS_URL": Setting("https://rubygems.org", "RubyGems base URL (gem badges).", as_url),
    "BESTGEMS_URL": Setting(
        "https://bestgems.org", "bestgems.org base URL (gem rank badges).", as_url
    ),
    "CRATES_URL": Setting("https://crates.io", "crates.io base URL (crates badges).", as_url),
    "PACKAGIST_URL": Setting(
        "https://packagist.org", "Packagist base URL (packagist download badges).", as_url
    ),
    "PACKAGIST_REPO_URL": Setting(
        "https://repo.packagist.org",
        "Packagist metadata base URL (packagist version badges).",
        as_url,
    ),
    "PUB_URL": Setting("https://pub.dev", "pub.dev base URL (pub badges).", as_url),
    "HOMEBREW_URL": Setting(
        "https://formulae.brew.sh", "Homebrew formulae API base URL (homebrew badges).", as_url
    ),
    "ANACONDA_URL": Setting(
        "https://api.anaconda.org", "Anaconda API base URL (conda badges).", as_url
    ),
    "MAVEN_CENTRAL_URL": Setting(
        "https://repo1.maven.org/maven2",
        "Maven Central repository base URL (maven-central badges).",
        as_url,
    ),
    "CODECOV_URL": Setting("https://codecov.io", "Codecov base URL (codecov badges).", as_url),
    "CODECOV_TOKEN": Setting(
        None, "Codecov API token for private repositories (a user's ?token= wins).", as_optional_str
    ),
    "COVERALLS_URL": Setting(
        "https://coveralls.io", "Coveralls base URL (coveralls badges).", as_url
    ),
    "CIRCLECI_URL": Setting("https://circleci.com", "CircleCI base URL (circleci badges).", as_url),
    "CIRCLECI_TOKEN": Setting(
        None, "CircleCI API token for private projects (a user's ?token= wins).", as_optional_str
    ),
    "READTHEDOCS_URL": Setting(
        "https://readthedocs.org", "Read the Docs base URL (readthedocs badges).", as_url
    ),
    "DISCORD_API_URL": Setting(
        "https://discord.com/api/v6", "Discord API base URL (discord badges).", as_url
    ),
    "LIBRARIESIO_URL": Setting(
        "https://libraries.io", "libraries.io base URL (librariesio badges).", as_url
    ),
    "LIBRARIESIO_API_KEY": Setting(
        None, "libraries.io API key (librariesio badges need it).", as_optional_str
    ),
    "AUR_URL": Setting(
        "https://aur.archlinux.org", "Arch User Repository base URL (aur badges).", as_url
    ),
    "COCOAPODS_URL": Setting(
        "https://trunk.cocoapods.org", "CocoaPods trunk base URL (cocoapods badges).", as_url
    ),
    "HEXPM_URL": Setting("https://hex.pm", "hex.pm base URL (hexpm badges).", as_url),
    "BUNDLEPHOBIA_URL": Setting(
        "https://bundlephobia.com", "bundlephobia base URL (bundlephobia badges).", as_url
    ),
    "APPVEYOR_URL": Setting(
        "https://ci.appveyor.com", "AppVeyor base URL (appveyor badges).", as_url
    ),
    "CODACY_URL": Setting("https://api.codacy.com", "Codacy API base URL (codacy badges).", as_url),
    "JSDELIVR_URL": Setting(
        "https://data.jsdelivr.com", "jsDelivr stats API base URL (jsdelivr badges).", as_url
    ),
    # serving: limit policy and hot path (badgeapp/badges/limits.py, badgeapp/http/hot_path.py)
    "WRITE_LIMIT": Setting(
        "60/minute", "Writes (report uploads, invalidations) per client IP.", as_rate_limit
    ),
    "RENDER_LIMIT": Setting(
        "60/minute",
        "Heavy renders (layered images, rank computations) per client IP; cached ones are free.",
        as_rate_limit,
    ),
    "HOT_PATH_BYTES": Setting(
        16 * 1024 * 1024,
        "Bytes of stored responses the hot path keeps per worker; 0 turns it off.",
        as_nonneg_int,
    ),
}


def _instance_file_settings(instance_path: str) -> dict[str, Any]:
    """Upper-case names defined in ``instance/config.py`` (empty when the file is absent)."""
    path = Path(instance_path) / "config.py"
    if not path.is_file():
        return {}
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(compile(path.read_bytes(), str(path), "exec"), namespace)
    return {key: value for key, value in namespace.items() if key.isupper()}


def _persistent_secret(instance_path: str) -> str:
    """Read instance/secret_key, creating it (mode 600) with a random key the first time.

    Workers booting together race for it: the key is written to a private file first and
    linked into place (``os.link`` fails if the name exists), so every worker reads the one
    complete key that won.
    """
    path = Path(instance_path) / "secret_key"
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    key = secrets.token_hex(32)
    draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.encode())
    finally:
        os.close(fd)
    try:
        os.link(draft, path)
    except FileExistsError:  # another worker's key won, or an empty file was left behind
        won = path.read_text().strip()
        if won:
            return won
        os.replace(draft, path)
        return key
    finally:
        draft.unlink(missing_ok=True)
    return key


def dotenv_settings(folder: str | None = None) -> dict[str, str]:
    """The ``KEY=value`` lines of ``.env`` in ``folder`` (default: the working directory),
    read with python-dotenv; empty when there is no such file. Never changes ``os.environ``."""
    from dotenv import dotenv_values

    path = Path(folder or os.getcwd()) / ".env"
    if not path.is_file():
        return {}
    return {key: value for key, value in dotenv_values(path).items() if value is not None}


def load_config(
    instance_path: str,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, instance/config.py, ``.env``, the environment and ``overrides``; validate
    every key.

    Keys not in ``DEFAULTS`` (Flask's own, extension keys) pass through from the instance file
    and the overrides untouched. ``.env`` (in the working directory) is read only when
    ``environ`` is the real environment, which wins over it.
    """
    if environ is None:
        environ = {**dotenv_settings(), **os.environ}
    merged: dict[str, Any] = {key: setting.default for key, setting in DEFAULTS.items()}
    merged.update(_instance_file_settings(instance_path))
    merged.update({key: environ[key] for key in DEFAULTS if key in environ})
    merged.update(overrides or {})
    for key, setting in DEFAULTS.items():
        try:
            merged[key] = setting.parse(merged[key])
        except ValueError as exc:
            raise ConfigError(f"invalid configuration value for {key}: {exc}") from None
    if merged["DATABASE_URL"] is None:
        merged["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "badgeapp.db")
    if merged["SECRET_KEY"] is None:
        merged["SECRET_KEY"] = _persistent_secret(instance_path)
    merged["BADGEAPP_PLUGINS_DIR"] = str(Path(merged["BADGEAPP_PLUGINS_DIR"]).resolve())
    return merged
