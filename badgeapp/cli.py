"""The ``badgeapp`` command line: Flask's ``run``/``routes``/``shell`` plus ``plugins``, and any
commands plugins add through ``badgeapp_register_commands`` (``db``, ``keys``, ...).

``badgeapp --version`` prints badgeapp's own version; ``badgeapp run`` listens on ``PORT`` (and
``HOST``) when set, as gunicorn.conf.py does (``--port``/``FLASK_RUN_PORT`` still win)."""

from __future__ import annotations

import json
import os
import platform
from typing import Any

import click
import flask
from flask.cli import FlaskGroup, with_appcontext

from badgeapp import create_app
from badgeapp.plugins import PluginRegistry, installed_version


def version_text() -> str:
    """``badgeapp 1.2.3`` and what it runs on (Python, Flask)."""
    python, flask_version = platform.python_version(), flask.__version__
    return f"badgeapp {installed_version()}\nPython {python}\nFlask {flask_version}"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(version_text(), color=ctx.color)
    ctx.exit()


def run_defaults(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """``badgeapp run``'s defaults from ``PORT`` and ``HOST``, as gunicorn.conf.py reads them."""
    environ = os.environ if environ is None else environ
    defaults: dict[str, Any] = {}
    if environ.get("PORT", "").strip().isdigit():
        defaults["port"] = int(environ["PORT"])
    if environ.get("HOST", "").strip():
        defaults["host"] = environ["HOST"].strip()
    return {"run": defaults} if defaults else {}


@click.group(
    cls=FlaskGroup,
    create_app=lambda: create_app(),
    add_version_option=False,
    context_settings={"default_map": run_defaults()},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show badgeapp's version and exit.",
)
def cli() -> None:
    """badgeapp: a self-hostable badge server."""


@cli.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@with_appcontext
def plugins_command(as_json: bool) -> None:
    """List loaded plugins: name, source, version, hooks and load errors."""
    from badgeapp.families.health import plugin_list

    rows = plugin_list()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        status = f"ERROR: {row['error']}" if row["error"] else ", ".join(row["hooks"])
        click.echo(f"{row['name']:<40} {row['source']:<8} {row['version'] or '-':<10} {status}")


@cli.command("warm")
@click.argument("paths", nargs=-1)
@click.option(
    "--file",
    "url_file",
    type=click.File("r"),
    help="A file of badge paths, one per line (# comments allowed).",
)
@with_appcontext
def warm_command(paths: tuple[str, ...], url_file: click.utils.LazyFile | None) -> None:
    """Request badge paths once, so their upstream values are cached before users ask.

    With REDIS_URL set the values land in Redis and every worker and host serves them warm;
    run it after a deploy, or from cron for the badges your READMEs show most.
    """
    from flask import current_app

    wanted = list(paths)
    if url_file is not None:
        wanted += [line.strip() for line in url_file if line.strip() and not line.startswith("#")]
    if not wanted:
        raise click.UsageError("give badge paths (/v2/badge/github/OWNER/REPO/stars) or --file")
    client = current_app.test_client()
    failed = 0
    for path in wanted:
        status = client.get(path if path.startswith("/") else "/" + path).status_code
        failed += status >= 500
        click.echo(f"{status} {path}")
    if failed:
        raise click.exceptions.Exit(1)


def _register_plugin_commands() -> None:
    registry = PluginRegistry(
        os.environ.get("BADGEAPP_PLUGINS_DIR", "./plugins"),
        load_entrypoints=os.environ.get("LOAD_ENTRYPOINT_PLUGINS", "1") not in ("0", "false"),
    )
    registry.hook.badgeapp_register_commands(cli=cli)


_register_plugin_commands()
