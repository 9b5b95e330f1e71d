"""Every hook: documented in the README, tested here (datasette's meta-tests), and working."""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path

import pytest

from badgeapp import create_app, hookspecs
from badgeapp.plugins import get_registry

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if name.startswith("badgeapp_") and inspect.isfunction(obj)
)


def test_every_hookspec_has_a_docstring():
    for name in HOOKS:
        assert getattr(hookspecs, name).__doc__, name


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_in_the_readme(hook):
    readme = (ROOT / "README.md").read_text()
    signature = str(inspect.signature(getattr(hookspecs, hook))).split(" ->")[0]
    signature = re.sub(r": [^,)]+", "", signature)  # README shows parameter names only
    assert f"### `{hook}{signature}`" in readme, f"README lacks a heading for {hook}{signature}"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    this_file = Path(__file__).read_text()
    assert f"def test_hook_{hook}(" in this_file


def _app_with_plugin(app_config, source: str):
    folder = Path(app_config["BADGEAPP_PLUGINS_DIR"])
    (folder / "hooktest.py").write_text(textwrap.dedent(source))
    return create_app(app_config)


def test_hook_badgeapp_providers(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl
        from badgeapp.providers.base import Value

        class Answer:
            name = "answer"
            subject_parts = 1
            metrics = {"value": "the answer"}
            def resolve(self, subject, metric, ctx):
                return Value(raw=42, display=f"{subject[0]}=42")

        @hookimpl
        def badgeapp_providers():
            return [Answer()]
        """,
    )
    with app.app_context():
        provider = get_registry().providers()["answer"]
        assert provider.resolve(("x",), "value", None).display == "x=42"


def test_hook_badgeapp_themes(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_themes():
            return [{"name": "mytheme", "color": "#123456"}]
        """,
    )
    with app.app_context():
        assert "mytheme" in [theme["name"] for theme in get_registry().themes()]


def test_hook_badgeapp_fonts(app_config, tmp_path):
    app = _app_with_plugin(
        app_config,
        f"""
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_fonts():
            return [{{"name": "Mine", "files": {{"regular": {str(tmp_path / "mine.ttf")!r}}}}}]
        """,
    )
    with app.app_context():
        assert "Mine" in [font["name"] for font in get_registry().fonts()]


def test_hook_badgeapp_icons(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_icons():
            return {"blob": "<svg xmlns='http://www.w3.org/2000/svg'><circle r='5'/></svg>"}
        """,
    )
    with app.app_context():
        assert get_registry().icons()["blob"].startswith("<svg")


def test_hook_badgeapp_asset_dirs(app_config, tmp_path):
    app = _app_with_plugin(
        app_config,
        f"""
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_asset_dirs():
            return [{str(tmp_path)!r}]
        """,
    )
    with app.app_context():
        assert str(tmp_path) in get_registry().asset_dirs()


def test_hook_badgeapp_report_parsers(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl

        class Plain:
            name = "plain-percent"
            def detect(self, body, content_type):
                return body.startswith(b"coverage=")
            def parse(self, body):
                return {"coverage": float(body.split(b"=")[1])}

        @hookimpl
        def badgeapp_report_parsers():
            return [Plain()]
        """,
    )
    with app.app_context():
        names = [parser.name for parser in get_registry().report_parsers()]
        assert "plain-percent" in names


def test_hook_badgeapp_register_routes(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from flask import Blueprint
        from badgeapp import hookimpl

        bp = Blueprint("hooktest", __name__)

        @bp.get("/api/hooktest")
        def hello():
            return {"hello": "plugin"}

        @hookimpl
        def badgeapp_register_routes(app):
            return [bp]
        """,
    )
    assert app.test_client().get("/api/hooktest").get_json() == {"hello": "plugin"}


def test_hook_badgeapp_register_commands(tmp_path, monkeypatch):
    import subprocess
    import sys

    (tmp_path / "cmd.py").write_text(
        textwrap.dedent(
            """
            import click
            from badgeapp import hookimpl

            @hookimpl
            def badgeapp_register_commands(cli):
                @cli.command()
                def hello():
                    click.echo("hello from a plugin command")
            """
        )
    )
    env = {
        **__import__("os").environ,
        "BADGEAPP_PLUGINS_DIR": str(tmp_path),
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    badgeapp = Path(sys.executable).parent / "badgeapp"
    result = subprocess.run(
        [str(badgeapp), "hello"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "hello from a plugin command" in result.stdout


def test_hook_badgeapp_startup(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_startup(app):
            app.config["STARTED_BY_PLUGIN"] = True
        """,
    )
    assert app.config["STARTED_BY_PLUGIN"] is True


def test_hook_badgeapp_openapi(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from flask import Blueprint
        from badgeapp import hookimpl

        bp = Blueprint("hooktest", __name__)

        @bp.get("/api/hooktest/<name>")
        def hello(name):
            return {"hello": name}

        @hookimpl
        def badgeapp_register_routes(app):
            return [bp]

        @hookimpl
        def badgeapp_openapi(app):
            return [{"paths": {"/api/hooktest/{name}": {"get": {
                "summary": "Say hello", "responses": {"200": {"description": "hello"}}}}}}]
        """,
    )
    document = app.test_client().get("/openapi.json").get_json()
    assert document["paths"]["/api/hooktest/{name}"]["get"]["summary"] == "Say hello"


def test_hook_badgeapp_jobs(app_config):
    from badgeapp.scheduler import collect_jobs

    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl
        from badgeapp.scheduler import Job

        @hookimpl
        def badgeapp_jobs(app):
            return [Job("hello", 30, lambda app: "hi", "says hi"), "not a job"]
        """,
    )
    jobs = {job.name: job for job in collect_jobs(app)}
    assert jobs["hello"].seconds == 30 and jobs["hello"].func(app) == "hi"
    assert {"prewarm", "clean_cache", "retention"} <= set(jobs)  # built-ins come the same way


def test_hook_badgeapp_rank_themes(app_config):
    app = _app_with_plugin(
        app_config,
        """
        from badgeapp import hookimpl

        @hookimpl
        def badgeapp_rank_themes():
            return [{"name": "ocean", "background": "#012345", "title": "#abcdef"}]
        """,
    )
    with app.app_context():
        from badgeapp.rank.themes import card_themes

        themes = card_themes()
        assert themes["ocean"].background == "#012345"
        assert list(themes)[:4] == ["default", "dark", "light", "minimal"]
