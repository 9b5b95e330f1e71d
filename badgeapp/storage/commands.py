"""CLI commands for storage: ``badgeapp db upgrade|downgrade|current`` and
``badgeapp keys create|list|revoke``, added through the ``badgeapp_register_commands`` hook."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from badgeapp.hookspecs import hookimpl
from badgeapp.storage import apikeys, migrate
from badgeapp.storage.db import database_url, session_scope


def _safe_url() -> str:
    from flask import current_app
    from sqlalchemy.engine import make_url

    return make_url(database_url(current_app)).render_as_string(hide_password=True)


@click.group("db")
def db_group() -> None:
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database (DATABASE_URL) up to REVISION (default: head)."""
    migrate.upgrade(revision=revision)
    click.echo(f"{_safe_url()} is at {', '.join(migrate.current()) or 'base'}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Revert the database down to REVISION ("base" removes every table)."""
    migrate.downgrade(revision=revision)
    click.echo(f"{_safe_url()} is at {', '.join(migrate.current()) or 'base'}")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the revision the database is at, and whether it is the newest."""
    revisions = migrate.current()
    state = "up to date" if set(revisions) == set(migrate.heads()) else "needs 'db upgrade'"
    click.echo(f"{', '.join(revisions) or 'base'} ({state})")


@click.group("keys")
def keys_group() -> None:
    """API keys for write endpoints (Authorization: Bearer KEY)."""


def _require_schema() -> None:
    """Stop with a clear message when the database has not been migrated yet."""
    if not migrate.current():
        raise click.ClickException(f"{_safe_url()} has no tables yet: run 'badgeapp db upgrade'")


@keys_group.command("create")
@click.option("--name", required=True, help="Who or what the key is for.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="A scope such as admin, upload:ORG/REPO, upload:ORG/* or buttons (repeatable).",
)
@with_appcontext
def keys_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print it once; only its hash is stored."""
    _require_schema()
    try:
        with session_scope() as session:
            row, key = apikeys.create_key(session, name, scopes)
            prefix, scope_text = row.prefix, row.scopes
    except apikeys.InvalidScope as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None
    click.echo(key)
    click.echo(
        f"Created key {prefix} ({name}) with scopes: {scope_text}. "
        "Store it now: it cannot be shown again.",
        err=True,
    )


@keys_group.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked keys.")
@with_appcontext
def keys_list(include_revoked: bool) -> None:
    """List keys: prefix, name, scopes, created, last used, revoked."""
    _require_schema()
    with session_scope() as session:
        rows = apikeys.list_keys(session, include_revoked=include_revoked)
        lines = [
            "\t".join(
                [
                    row.prefix,
                    row.name,
                    row.scopes,
                    row.created_at.isoformat(timespec="seconds"),
                    row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else "-",
                    f"revoked {row.revoked_at.isoformat(timespec='seconds')}"
                    if row.revoked_at
                    else "active",
                ]
            )
            for row in rows
        ]
    click.echo("prefix\tname\tscopes\tcreated\tlast used\tstatus")
    for line in lines:
        click.echo(line)


@keys_group.command("revoke")
@click.argument("prefix")
@with_appcontext
def keys_revoke(prefix: str) -> None:
    """Revoke the key with PREFIX (as shown by 'keys list')."""
    _require_schema()
    with session_scope() as session:
        row = apikeys.revoke_key(session, prefix)
        if row is None:
            raise click.ClickException(f"no key with prefix {prefix!r}")
        shown = row.prefix
    click.echo(f"revoked {shown}")


@hookimpl
def badgeapp_register_commands(cli: click.Group) -> None:
    """Add the ``db`` and ``keys`` groups to the badgeapp command line."""
    cli.add_command(db_group)
    cli.add_command(keys_group)
