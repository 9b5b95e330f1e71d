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


@pytest.fixture(scope="module")
def plugin_app(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path | None
) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("hostile-plugin")
    config = contract_config(folder, migrated_sqlite_template)
    (Path(config["BADGEAPP_PLUGINS_DIR"]) / "hostile.py").write_text(HOSTILE_PLUGIN)
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
