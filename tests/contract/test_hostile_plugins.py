"""Plugins are not trusted to behave: whatever a plugin returns or raises, a badge comes back.

A drop-in plugin ``hostile`` misbehaves on purpose, one way per metric name: ``None``,
bytes, a 400-digit integer, NaN, a list, a 2 MB string, markup, a generator, an object, a
``str`` subclass that raises, endless recursion, a sleep past ``PLUGIN_TIMEOUT``, and
``SystemExit``/``KeyboardInterrupt``. Its badge, alone and inside a composition, must be an
image whose text is escaped and bounded, or the plugin error badge; nothing may escape the
request (under gunicorn an escaping ``SystemExit(3)`` stops the whole server).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from badgeapp import create_app

from .checks import check_response, check_svg
from .conftest import contract_config

HOSTILE_PLUGIN = '''
"""Test plugin that misbehaves on purpose (one way per metric)."""
import time


class _Raising(str):
    def __str__(self):
        raise RuntimeError("no str for you")

    def strip(self, *args):
        raise RuntimeError("no strip for you")


def get_metric(metric):
    if metric == "none":
        return None
    if metric == "bytes":
        return b"\\xff\\xfe<svg>"
    if metric == "int":
        return 10**400
    if metric == "nan":
        return float("nan")
    if metric == "list":
        return ["a", {"b": 1}]
    if metric == "huge":
        return "x" * 2_000_000
    if metric == "markup":
        return '<script>alert(1)</script>" onload="x'
    if metric == "gen":
        return (i for i in range(3))
    if metric == "obj":
        return object()
    if metric == "badstr":
        return _Raising("x")
    if metric == "recursion":
        return get_metric("recursion")
    if metric == "sleep":
        time.sleep(3)
        return "late"
    if metric == "exit":
        raise SystemExit(3)
    if metric == "kbd":
        raise KeyboardInterrupt()
    return metric
'''

BEHAVED = [
    "none",
    "bytes",
    "int",
    "nan",
    "list",
    "huge",
    "markup",
    "gen",
    "obj",
    "badstr",
    "recursion",
    "sleep",
]
ESCAPING = ["exit", "kbd"]


HOOK_PROVIDER = '''
"""Test plugin: a hook provider whose Values carry odd field types (one per metric)."""
import datetime as dt

from badgeapp import hookimpl
from badgeapp.providers.base import Value


class Odd:
    name = "odd"
    subject_parts = 1
    metrics = {m: m for m in ("naive", "strtime", "future", "negcache", "hugecache",
                              "strcache", "stalestr", "nonedisplay", "intdisplay", "color",
                              "label")}

    def resolve(self, subject, metric, ctx):
        value = dict(raw=1, display="1", color="blue", label=None,
                     fetched_at=dt.datetime.now(dt.UTC), stale=False, cache_seconds=None)
        if metric == "naive":
            value["fetched_at"] = dt.datetime(2020, 1, 1)
        if metric == "strtime":
            value["fetched_at"] = "yesterday"
        if metric == "future":
            value["fetched_at"] = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
        if metric == "negcache":
            value["cache_seconds"] = -5
        if metric == "hugecache":
            value["cache_seconds"] = 10**30
        if metric == "strcache":
            value["cache_seconds"] = "300"
        if metric == "stalestr":
            value["stale"], value["cache_seconds"] = "yes", "300"
        if metric == "nonedisplay":
            value["display"] = None
        if metric == "intdisplay":
            value["display"] = 12345
        if metric == "color":
            value["color"] = 'red" onload="alert(1)'
        if metric == "label":
            value["label"] = "<script>x</script>"
        return Value(**value)


@hookimpl
def badgeapp_providers():
    return [Odd()]
'''
ODD_VALUES = [
    "naive",
    "future",
    "negcache",
    "hugecache",
    "strcache",
    "stalestr",
    "nonedisplay",
    "intdisplay",
    "color",
    "label",
]


@pytest.fixture(scope="module")
def plugin_app(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path | None
) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("hostile-plugin")
    config = contract_config(folder, migrated_sqlite_template)
    (Path(config["BADGEAPP_PLUGINS_DIR"]) / "hostile.py").write_text(HOSTILE_PLUGIN)
    (Path(config["BADGEAPP_PLUGINS_DIR"]) / "oddprovider.py").write_text(HOOK_PROVIDER)
    config["PLUGIN_TIMEOUT"] = 0.5
    app = create_app(config)
    yield app
    from badgeapp.storage import db

    db.dispose(app)


def _badge(app: Flask, url: str) -> str:
    response = app.test_client().get(url)
    assert check_response(response) == "svg", url
    root = check_svg(response.data)
    text = root.get("aria-label") or ""
    assert len(text) < 600, len(text)  # label and message are cut to 255 characters each
    return text


@pytest.mark.parametrize("metric", BEHAVED)
def test_a_misbehaving_plugin_still_gives_a_badge(plugin_app, metric):
    text = _badge(plugin_app, f"/v2/badge/plugin/hostile/{metric}")
    assert text.startswith(metric)
    _badge(plugin_app, f"/v2/compose?badges=plugin/hostile/{metric},a:b")


@pytest.mark.parametrize("metric", ESCAPING)
def test_a_plugin_that_exits_cannot_take_the_server_down(plugin_app, metric):
    """Finding 13 (fixed in 2dc1da6), kept as a regression test."""
    try:  # an escaping KeyboardInterrupt would otherwise stop the whole pytest session
        text = _badge(plugin_app, f"/v2/badge/plugin/hostile/{metric}")
    except BaseException as exc:  # that was the bug
        pytest.fail(f"{type(exc).__name__} escaped the plugin")
    assert text == f"{metric}: plugin error"


def _answer(app: Flask, url: str) -> str:
    try:  # report an escaping exception as a failure, not an error of the test
        response = app.test_client().get(url)
    except Exception as exc:
        pytest.fail(f"{type(exc).__name__} escaped: {exc}")
    kind = check_response(response)
    control = response.headers.get("Cache-Control", "")
    for part in control.split(","):
        name, _, number = part.strip().partition("=")
        if name in ("max-age", "s-maxage"):
            assert 0 <= int(number) <= 365 * 24 * 3600, control
    return kind


@pytest.mark.parametrize("metric", ODD_VALUES)
@pytest.mark.parametrize("suffix", ["", ".json", ".png"])
def test_a_provider_with_odd_values_still_gives_a_badge(plugin_app, metric, suffix):
    """Fixed here (badgeapp/http/badge_response.py): lifetimes that are not whole numbers or
    are absurd, and naive or future times, no longer break the response path."""
    _answer(plugin_app, f"/v2/badge/odd/x/{metric}{suffix}")


@pytest.mark.parametrize("metric", ODD_VALUES)
def test_odd_values_inside_a_composition(plugin_app, metric):
    _answer(plugin_app, f"/v2/compose?badges=odd/inside/{metric},a:b")


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_provider_with_a_string_time_still_gives_a_badge(plugin_app, suffix):
    """Finding 15, fixed in ``Value.__post_init__``: odd field types are coerced."""
    _answer(plugin_app, f"/v2/badge/odd/x/strtime{suffix}")
