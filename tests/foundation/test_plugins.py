"""The three plugin sources (built-in, pip package, drop-in file) and hot reload."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from badgeapp import create_app
from badgeapp.plugins import DEFAULT_PLUGINS, get_registry
from badgeapp.providers.base import ResolveContext

ROOT = Path(__file__).resolve().parents[2]


def write_plugin(folder: Path, name: str, source: str) -> Path:
    """Write a plugin file and push its mtime forward so the change is always noticed."""
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    stamp = time.time() + 2 + len(source) % 7
    os.utime(path, (stamp, stamp))
    return path


def plugins_by_name(client) -> dict[str, dict]:
    return {row["name"]: row for row in client.get("/plugins/list").get_json()["plugins"]}


@pytest.fixture
def plugins_dir(app_config) -> Path:
    return Path(app_config["BADGEAPP_PLUGINS_DIR"])


@pytest.fixture
def fast_app(app_config):
    """An app that checks the plugins folder on every request (interval ~0)."""
    return create_app({**app_config, "PLUGINS_RELOAD_INTERVAL": 0.0001})


def test_builtins_are_registered_as_plugins(client):
    rows = plugins_by_name(client)
    for module in DEFAULT_PLUGINS:
        assert rows[module]["source"] == "builtin"
        assert rows[module]["error"] is None
    assert "badgeapp_register_routes" in rows["badgeapp.families.health"]["hooks"]


def test_drop_in_get_metric_becomes_a_provider(app_config, plugins_dir):
    write_plugin(
        plugins_dir,
        "weather",
        '''
        """Weather plugin."""
        __version__ = "2.1"
        METRICS = {"temp": "temperature"}

        async def get_metric(metric):
            return "21C"
        ''',
    )
    write_plugin(plugins_dir, "plain", "def get_metric(metric):\n    return metric.upper()\n")
    app = create_app(app_config)
    with app.app_context():
        providers = get_registry().providers()
        assert providers["weather"].resolve((), "temp", ResolveContext()).display == "21C"
        assert providers["plain"].resolve((), "x", ResolveContext()).display == "X"
    rows = plugins_by_name(app.test_client())
    assert rows["weather"] == {
        "name": "weather",
        "version": "2.1",
        "source": "file",
        "hooks": ["badgeapp_providers"],
        "providers": {"weather": ["temp"]},
        "metrics": ["temp"],
        "error": None,
        "clash": None,
    }


def test_drop_in_file_may_hold_hookimpls(app_config, plugins_dir):
    write_plugin(
        plugins_dir,
        "icons_extra",
        """
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_icons():
            return {"rocket": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
        """,
    )
    app = create_app(app_config)
    with app.app_context():
        assert "rocket" in get_registry().icons()


def test_hot_reload_edit_break_delete_add(fast_app, plugins_dir):
    client = fast_app.test_client()
    path = write_plugin(plugins_dir, "counter", 'def get_metric(metric):\n    return "one"\n')
    get_registry(fast_app).folder.sync()

    def value() -> str:
        client.get("/plugins/list")  # any request triggers the (throttled) check
        with fast_app.app_context():
            provider = get_registry().providers()["counter"]
            return provider.resolve((), "m", ResolveContext()).display

    assert value() == "one"
    # edit
    write_plugin(plugins_dir, "counter", 'def get_metric(metric):\n    return "two!"\n')
    assert value() == "two!"
    # break: the last good version stays registered and the error is shown
    write_plugin(plugins_dir, "counter", "def get_metric(metric:\n")
    assert value() == "two!"
    row = plugins_by_name(client)["counter"]
    assert "SyntaxError" in row["error"]
    assert row["hooks"] == ["badgeapp_providers"]
    # fix again
    write_plugin(plugins_dir, "counter", 'def get_metric(metric):\n    return "three"\n')
    assert value() == "three"
    assert plugins_by_name(client)["counter"]["error"] is None
    # delete
    path.unlink()
    client.get("/plugins/list")
    with fast_app.app_context():
        assert "counter" not in get_registry().providers()
    assert "counter" not in plugins_by_name(client)
    # add
    write_plugin(plugins_dir, "newcomer", 'def get_metric(metric):\n    return "hi"\n')
    assert "newcomer" in plugins_by_name(client)


def test_reload_is_throttled(app_config, plugins_dir):
    app = create_app({**app_config, "PLUGINS_RELOAD_INTERVAL": 3600})
    client = app.test_client()
    client.get("/plugins/list")
    write_plugin(plugins_dir, "late", 'def get_metric(metric):\n    return "x"\n')
    assert "late" not in plugins_by_name(client)  # not checked again within the interval


def test_broken_new_file_is_listed_with_error_and_app_keeps_serving(app_config, plugins_dir):
    write_plugin(plugins_dir, "broken", "raise RuntimeError('boom at import')\n")
    app = create_app(app_config)
    client = app.test_client()
    row = plugins_by_name(client)["broken"]
    assert "boom at import" in row["error"]
    assert row["hooks"] == []
    health = client.get("/health").get_json()
    assert health["status"] == "degraded"
    assert health["services"]["plugins"] == "degraded"
    from badgeapp.storage import apikeys, db

    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "ops", ["admin"])[1]
    details = client.get("/health", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert details["details"]["plugins"]["failed"] == ["broken"]


def test_shipped_system_plugin(app_config):
    app = create_app({**app_config, "BADGEAPP_PLUGINS_DIR": str(ROOT / "plugins")})
    with app.app_context():
        system = get_registry().providers()["system"]
        assert set(system.metrics) == {"cpu", "memory", "disk"}
        for metric in system.metrics:
            display = system.resolve((), metric, ResolveContext()).display
            assert display.endswith("%") and 0 <= float(display[:-1]) <= 100


@pytest.fixture(scope="module")
def example_package_installed():
    """pip-install the example plugin package into this environment (removed afterwards)."""
    package = ROOT / "examples" / "badgeapp-plugin-example"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--no-deps", str(package)], check=True)
    yield
    subprocess.run([*pip, "uninstall", "-y", "badgeapp-plugin-example"], check=True)


@pytest.mark.slow
def test_pip_installed_plugin_end_to_end(example_package_installed, tmp_path):
    """A fresh process sees the installed package through the entry point group."""
    script = textwrap.dedent(
        f"""
        import json
        from badgeapp import create_app
        app = create_app({{"INSTANCE_PATH": {str(tmp_path)!r},
                           "BADGEAPP_PLUGINS_DIR": {str(tmp_path)!r}}})
        client = app.test_client()
        rows = client.get("/plugins/list").get_json()["plugins"]
        from badgeapp.plugins import get_registry
        from badgeapp.providers.base import ResolveContext
        with app.app_context():
            registry = get_registry()
            value = registry.providers()["dice"].resolve(("abc",), "roll", ResolveContext())
            themes = [t["name"] for t in registry.themes()]
        print(json.dumps({{"rows": rows, "value": value.display, "themes": themes}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    import json

    data = json.loads(result.stdout.strip().splitlines()[-1])
    row = next(r for r in data["rows"] if r["name"] == "example")
    assert row["source"] == "package"
    assert row["version"] == "0.1.0"
    assert row["providers"] == {"dice": ["roll"]}
    assert set(row["hooks"]) == {"badgeapp_providers", "badgeapp_themes"}
    assert data["value"] in {"1", "2", "3", "4", "5", "6"}
    assert "sunset" in data["themes"]


def test_plugins_command_lists_what_plugins_list_serves(app_config, plugins_dir):
    """`badgeapp plugins` prints the same rows as GET /plugins/list (table and --json)."""
    import json

    from badgeapp.cli import cli

    write_plugin(plugins_dir, "weather", 'def get_metric(metric):\n    return "21C"\n')
    write_plugin(plugins_dir, "broken", "raise RuntimeError('boom at import')\n")
    app = create_app(app_config)
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows == plugins_by_name(app.test_client())
    assert rows["weather"]["source"] == "file"
    table = runner.invoke(cli, ["plugins"])
    assert table.exit_code == 0, table.output
    lines = {line.split()[0]: line for line in table.output.splitlines() if line.strip()}
    assert set(lines) == set(rows)
    assert "badgeapp_providers" in lines["weather"]
    assert "ERROR:" in lines["broken"] and "boom at import" in lines["broken"]
    assert "builtin" in lines["badgeapp.families.health"]


def test_package_plugin_that_exits_at_import_is_listed_with_its_error(
    app_config, monkeypatch, tmp_path
):
    """A pip plugin whose import calls sys.exit() is shown as failed; the app still starts."""
    import importlib.metadata

    site = tmp_path / "site"
    site.mkdir()
    (site / "quitter_pkg.py").write_text("import sys\nsys.exit(3)\n")
    entry = importlib.metadata.EntryPoint("quitter", "quitter_pkg", "badgeapp")
    real = importlib.metadata.entry_points

    def entry_points(**kwargs):
        return [entry] if kwargs.get("group") == "badgeapp" else real(**kwargs)

    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    app = create_app({**app_config, "LOAD_ENTRYPOINT_PLUGINS": True})
    row = plugins_by_name(app.test_client())["quitter"]
    assert row["source"] == "package"
    assert "SystemExit" in row["error"]
    assert app.test_client().get("/health").get_json()["status"] == "degraded"
