"""The application factory and configuration precedence."""

from __future__ import annotations

import os
import stat

import pytest

from badgeapp import ConfigError, create_app
from badgeapp.config import DEFAULTS, load_config


def test_testing_flag(app_config):
    assert not create_app({**app_config, "TESTING": False}).testing
    assert create_app(app_config).testing


def test_defaults_are_documented():
    for key, setting in DEFAULTS.items():
        assert setting.doc.strip(), key


def test_documented_defaults(tmp_path, monkeypatch):
    for key in DEFAULTS:
        monkeypatch.delenv(key, raising=False)
    config = load_config(str(tmp_path))
    assert config["RATE_LIMIT"] == "100/minute"
    assert config["CACHE_TTL"] == 300
    assert config["REDIS_URL"] is None
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'badgeapp.db'}"
    assert config["BADGEAPP_PLUGINS_DIR"] == os.path.abspath("plugins")


def test_defaults_named_by_the_issues(tmp_path, monkeypatch):
    """The defaults issues 2, 4 and 5 name, as the app sees them with nothing configured."""
    for key in DEFAULTS:
        monkeypatch.delenv(key, raising=False)
    config = load_config(str(tmp_path))
    expected = {
        "PLUGINS_RELOAD_INTERVAL": 1.0,  # at most once a second per process
        "UPSTREAM_CONNECT_TIMEOUT": 2.0,
        "UPSTREAM_READ_TIMEOUT": 5.0,
        "UPSTREAM_RETRIES": 1,  # a badge waits at most the read timeout plus one retry
        "STALE_MAX_AGE": 7 * 86400,
        "GITHUB_API_URL": "https://api.github.com",
        "GITHUB_TOKEN": None,
        "COMPOSE_MAX_ITEMS": 20,
        "NICE_LIMIT": "1/hour",
        "QUALITY_MAX_REPORT_BYTES": 10 * 1024 * 1024,
        "QUALITY_RATE_LIMIT": "60/minute",  # the quality spec's free tier
    }
    assert {key: config[key] for key in expected} == expected


def test_upstream_layer_reads_the_documented_defaults():
    """The upstream layer has no table of its own: a bare mapping gets DEFAULTS' values."""
    from badgeapp.upstream.settings import base_url, setting

    assert setting({}, "UPSTREAM_READ_TIMEOUT") == 5.0
    assert setting({"UPSTREAM_READ_TIMEOUT": "2.5"}, "UPSTREAM_READ_TIMEOUT") == 2.5
    assert setting({}, "GITHUB_TOKEN") == ""
    assert setting({"GITHUB_TOKENS": ["a", "b"]}, "GITHUB_TOKENS") == "a,b"
    assert base_url({"GITHUB_API_URL": "http://127.0.0.1:1/gh/"}, "GITHUB_API_URL") == (
        "http://127.0.0.1:1/gh"
    )
    with pytest.raises(ValueError):
        setting({"UPSTREAM_READ_TIMEOUT": "soon"}, "UPSTREAM_READ_TIMEOUT")


def test_precedence_defaults_instance_env_mapping(tmp_path):
    (tmp_path / "config.py").write_text('CACHE_TTL = 10\nRATE_LIMIT = "5/second"\nEXTRA = 1\n')
    env = {"CACHE_TTL": "20"}
    config = load_config(str(tmp_path), environ=env)
    assert config["CACHE_TTL"] == 20  # environment beats instance/config.py
    assert config["RATE_LIMIT"] == "5/second"  # instance file beats defaults
    assert config["EXTRA"] == 1
    config = load_config(str(tmp_path), {"CACHE_TTL": 30}, environ=env)
    assert config["CACHE_TTL"] == 30  # the mapping beats everything


def test_environment_reaches_the_app(app_config, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT", "7/minute")
    monkeypatch.setenv("GITHUB_TOKENS", "a, b,,c")
    config = dict(app_config)
    config.pop("RATE_LIMIT")
    app = create_app(config)
    assert app.config["RATE_LIMIT"] == "7/minute"
    assert app.config["GITHUB_TOKENS"] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RATE_LIMIT", "lots"),
        ("CACHE_TTL", "-1"),
        ("CACHE_TTL", "soon"),
        ("REDIS_URL", "http://localhost"),
        ("DATABASE_URL", "mysql://x"),
        ("RATE_LIMIT_ENABLED", "maybe"),
    ],
)
def test_bad_value_stops_startup_naming_the_key(tmp_path, key, value):
    with pytest.raises(ConfigError, match=key):
        load_config(str(tmp_path), environ={key: value})


def test_bad_value_stops_the_cli(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "CACHE_TTL": "never", "BADGEAPP_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "badgeapp"), "routes"],
        env=env,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert result.returncode != 0
    assert "CACHE_TTL" in result.stderr


def test_postgres_url_uses_psycopg3(tmp_path):
    config = load_config(str(tmp_path), environ={"DATABASE_URL": "postgresql://u@h/db"})
    assert config["DATABASE_URL"] == "postgresql+psycopg://u@h/db"


def test_secret_key_generated_once_and_persisted(tmp_path):
    instance = tmp_path / "inst"
    first = create_app({"INSTANCE_PATH": str(instance), "BADGEAPP_PLUGINS_DIR": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(instance), "BADGEAPP_PLUGINS_DIR": str(tmp_path)})
    key_file = instance / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_explicit_secret_key_wins(app_config):
    app = create_app({**app_config, "SECRET_KEY": "s3cret"})
    assert app.config["SECRET_KEY"] == "s3cret"


def test_redis_mode_switches_cache_and_limits(app_config, redis_url, redis_prefix):
    app = create_app({**app_config, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix})
    assert app.config["CACHE_TYPE"] == "RedisCache"
    assert app.config["RATELIMIT_STORAGE_URI"] == redis_url
    from badgeapp.extensions import cache

    with app.app_context():
        cache.set("probe", "shared")
    other = create_app({**app_config, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix})
    with other.app_context():
        assert cache.get("probe") == "shared"  # a second process/app sees the same cache


def test_rate_limit_headers_and_limit(app_config):
    """The limit policy: cheap answers are never counted, and a 200 carries no rate-limit
    headers (only a limited answer says when to come back)."""
    app = create_app({**app_config, "RATE_LIMIT": "2/minute"})
    client = app.test_client()
    for _ in range(5):
        first = client.get("/plugins/list")
        assert first.status_code == 200
        assert "X-RateLimit-Limit" not in first.headers and "Retry-After" not in first.headers


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/does-not-exist")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "NotFound" and body["code"] == 404
    assert body["requestId"].startswith("req_")


def test_readme_documents_every_config_key():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("<!-- config-table -->")[1].split("<!-- /config-table -->")[0]
    for key in DEFAULTS:
        assert f"| `{key}` |" in table, key


def test_rate_limited_badge_is_still_an_image(app_config, fake_upstream):
    """A static badge is never refused; an image whose cold upstream fetch is over the limit
    (and has no last good image) is a 200 ``rate limited`` badge with Retry-After."""
    app = create_app({**app_config, **fake_upstream.config(), "RATE_LIMIT": "1/minute"})
    client = app.test_client()
    for _ in range(5):
        assert client.get("/badge/a-b-green").status_code == 200
    assert client.get("/v2/badge/pypi/flask/version").status_code == 200  # the one cold fetch
    response = client.get("/v2/badge/npm/react/version")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"rate limited" in response.data
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["Cache-Control"] == "no-store"


def test_rate_limited_api_is_json(app_config, fake_upstream):
    app = create_app({**app_config, **fake_upstream.config(), "RATE_LIMIT": "1/minute"})
    client = app.test_client()
    client.get("/v2/badge/pypi/flask/version.json")
    response = client.get("/v2/badge/npm/react/version.json")
    assert response.status_code == 429
    body = response.get_json()
    assert body["error"] == "RateLimitExceeded" and body["code"] == 429
    assert 1 <= body["retryAfter"] <= 61
    assert response.headers["Retry-After"] == str(body["retryAfter"])


def test_a_routes_own_breach_answer_is_kept(app):
    from flask import Response

    from badgeapp.extensions import limiter

    @limiter.limit("1/minute", on_breach=lambda limit: Response("slow down", 429))
    def limited():
        return "ok"

    app.add_url_rule("/api/limited", view_func=limited)
    client = app.test_client()
    assert client.get("/api/limited").data == b"ok"
    response = client.get("/api/limited")
    assert (response.status_code, response.data) == (429, b"slow down")


def test_workers_booting_together_share_one_secret_key(tmp_path):
    """Sixteen threads (as workers booting at once) racing for instance/secret_key agree."""
    import threading

    from badgeapp.config import _persistent_secret

    barrier = threading.Barrier(16)
    keys: list[str] = []

    def boot() -> None:
        barrier.wait()
        keys.append(_persistent_secret(str(tmp_path)))

    threads = [threading.Thread(target=boot) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 16 and len(set(keys)) == 1 and keys[0]
    assert (tmp_path / "secret_key").read_text() == keys[0]
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no drafts left


def test_an_empty_secret_key_file_is_replaced(tmp_path):
    from badgeapp.config import _persistent_secret

    (tmp_path / "secret_key").write_text("")
    key = _persistent_secret(str(tmp_path))
    assert len(key) == 64 and (tmp_path / "secret_key").read_text() == key
