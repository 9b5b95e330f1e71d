"""The ``badgeapp`` command line: Flask's ``run``/``routes``/``shell`` plus ``plugins``, and any
commands plugins add through ``badgeapp_register_commands`` (``db``, ``keys``, ...)."""

from __future__ import annotations

import json
import os

import click
from flask.cli import FlaskGroup, with_appcontext

from badgeapp import create_app
from badgeapp.plugins import PluginRegistry


@click.group(cls=FlaskGroup, create_app=lambda: create_app())
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


def _register_plugin_commands() -> None:
    registry = PluginRegistry(
        os.environ.get("BADGEAPP_PLUGINS_DIR", "./plugins"),
        load_entrypoints=os.environ.get("LOAD_ENTRYPOINT_PLUGINS", "1") not in ("0", "false"),
    )
    registry.hook.badgeapp_register_commands(cli=cli)


_register_plugin_commands()
