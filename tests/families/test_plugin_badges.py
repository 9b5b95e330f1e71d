"""``/v2/badge/plugin/<plugin>/<metric>``: drop-in plugins, hook plugins, errors and time limits."""

from __future__ import annotations

import shutil
import textwrap
import time
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

REPO_PLUGINS = Path(__file__).resolve().parents[2] / "plugins"

PLUGINS = {
    "counter.py": """
        METRICS = {"visits": "visits today"}

        def get_metric(metric):
            return "42"
    """,
    "asyncy.py": """
        async def get_metric(metric):
            return f"async {metric}"
    """,
    "boom.py": """
        def get_metric(metric):
            raise RuntimeError("secret internal detail")
    """,
    "quitter.py": """
        import sys

        def get_metric(metric):
            if metric == "kbd":
                raise KeyboardInterrupt()
            sys.exit(3)
    """,
    "exiter.py": """
        from badgeapp.hookspecs import hookimpl

        class Exiter:
            name = "exiter"
            subject_parts = 1
            metrics = {"m": "a metric"}

            def resolve(self, subject, metric, ctx):
                raise SystemExit(3)

        @hookimpl
        def badgeapp_providers():
            return [Exiter()]
    """,
    "sleepy.py": """
        import time

        def get_metric(metric):
            time.sleep(1.5)
            return "late"
    """,
    "hooked.py": """
        from badgeapp.hookspecs import hookimpl
        from badgeapp.providers.base import Value

        class Weather:
            name = "weather"
            subject_parts = 0
            metrics = {"temp": "temperature"}

            def resolve(self, subject, metric, ctx):
                return Value(raw=21.5, display="21.5°C", color="orange", label="temp")

        @hookimpl
        def badgeapp_providers():
            return [Weather()]
    """,
}


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """The root config with test plugins (and the shipped system plugin) in the plugins folder."""
    folder = Path(app_config["BADGEAPP_PLUGINS_DIR"])
    for name, source in PLUGINS.items():
        (folder / name).write_text(textwrap.dedent(source))
    if (REPO_PLUGINS / "system.py").exists():
        shutil.copy(REPO_PLUGINS / "system.py", folder / "system.py")
    return {**app_config, "PLUGIN_TIMEOUT": 0.3}


def aria(response) -> str:
    return SafeET.fromstring(response.data).get("aria-label")


def test_drop_in_plugin_badge(client):
    response = client.get("/v2/badge/plugin/counter/visits")
    assert response.status_code == 200
    assert aria(response) == "visits: 42"
    assert "max-age=30" in response.headers["Cache-Control"]


def test_async_plugin_and_engine_parameters(client):
    response = client.get("/v2/badge/plugin/asyncy/ping?label=probe&color=green")
    assert aria(response) == "probe: async ping"


def test_hook_plugin_provider(client):
    doc = client.get("/v2/badge/plugin/weather/temp.json").get_json()
    assert doc["provider"] == "weather"
    assert doc["subject"] == ""
    assert (doc["metric"], doc["value"], doc["display"], doc["color"]) == (
        "temp",
        21.5,
        "21.5°C",
        "orange",
    )
    assert aria(client.get("/v2/badge/plugin/weather/temp")) == "temp: 21.5°C"


def test_system_plugin(client):
    if not (REPO_PLUGINS / "system.py").exists():
        pytest.skip("plugins/system.py not shipped yet")
    for metric in ("cpu", "memory", "disk"):
        text = aria(client.get(f"/v2/badge/plugin/system/{metric}"))
        label, value = text.split(": ")
        assert label == metric
        assert value.endswith("%")
        assert 0 <= float(value[:-1]) <= 100


def test_plugin_that_raises_is_an_error_badge_not_a_500(client):
    response = client.get("/v2/badge/plugin/boom/anything")
    assert response.status_code == 200
    assert aria(response) == "anything: plugin error"
    assert b"secret internal detail" not in response.data
    doc = client.get("/v2/badge/plugin/boom/anything.json")
    assert doc.status_code == 502  # the plugin failed, not the server: never a 500
    assert doc.get_json()["error"] == "PluginError"


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/v2/badge/plugin/quitter/exit", "exit: plugin error"),
        ("/v2/badge/plugin/quitter/kbd", "kbd: plugin error"),
        ("/v2/compose?badges=plugin/quitter/exit,a:b", "exit: plugin error, a: b"),
        ("/v2/badge/exiter/x/m", "m: internal error"),
    ],
)
def test_plugin_that_exits_is_an_error_badge_and_the_server_lives(client, url, label):
    """SystemExit / KeyboardInterrupt from plugin code would end a gunicorn worker."""
    try:
        response = client.get(url)
    except BaseException as exc:  # an escaping KeyboardInterrupt would stop pytest itself
        pytest.fail(f"{type(exc).__name__} escaped the plugin")
    assert aria(response) == label
    assert client.get("/v2/badge/plugin/counter/visits").status_code == 200


def test_plugin_that_hangs_is_cut_off_at_the_time_limit(client):
    started = time.monotonic()
    response = client.get("/v2/badge/plugin/sleepy/now")
    elapsed = time.monotonic() - started
    assert aria(response) == "now: unresponsive"
    assert 0.25 < elapsed < 1.0
    assert (
        "no-cache" in response.headers["Cache-Control"]
        or "max-age=30" in response.headers["Cache-Control"]
    )


def test_hung_calls_of_one_plugin_are_bounded(client):
    """After MAX_IN_FLIGHT hung calls the plugin is refused at once instead of taking threads."""
    from badgeapp.badges.plugin_runner import MAX_IN_FLIGHT

    for _ in range(MAX_IN_FLIGHT):
        client.get("/v2/badge/plugin/sleepy/now")
    started = time.monotonic()
    response = client.get("/v2/badge/plugin/sleepy/now")
    assert aria(response) == "now: unresponsive"
    assert time.monotonic() - started < 0.2
    assert aria(client.get("/v2/badge/plugin/counter/visits")) == "visits: 42"  # others still work


@pytest.mark.parametrize(
    "url",
    [
        "/v2/badge/plugin/nope/cpu",
        "/v2/badge/plugin/counter/unknown",  # METRICS declared: unknown metric
        "/v2/badge/plugin/github/stars",  # a provider with a subject is not a plugin badge
    ],
)
def test_unknown_plugin_or_metric(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert aria(response) == "404: badge not found"


def test_plugins_are_not_served_by_the_provider_route(client):
    assert client.get("/v2/badge/counter/visits").status_code == 404
