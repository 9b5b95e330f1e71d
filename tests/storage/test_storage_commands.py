"""The command line: badgeapp db upgrade|current|downgrade and keys create|list|revoke."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from badgeapp.cli import cli
from badgeapp.storage import apikeys, db, migrate


@pytest.fixture
def fresh_config(app_config, tmp_path):
    app_config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    return app_config


def test_db_upgrade_then_current(fresh_config):
    from badgeapp import create_app

    application = create_app(fresh_config)
    runner = application.test_cli_runner()
    result = runner.invoke(cli, ["db", "current"])
    assert result.exit_code == 0 and "base (needs 'db upgrade')" in result.output
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    head = migrate.heads()[0]
    assert f"is at {head}" in result.output
    result = runner.invoke(cli, ["db", "current"])
    assert f"{head} (up to date)" in result.output
    result = runner.invoke(cli, ["db", "downgrade", "base"])
    assert "is at base" in result.output
    db.dispose(application)


def test_keys_create_prints_the_key_once_and_list_shows_only_the_prefix(app, runner):
    result = runner.invoke(
        cli, ["keys", "create", "--name", "ci", "--scope", "upload:a/b", "--scope", "buttons"]
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    prefix = apikeys.parse_prefix(key)
    assert prefix is not None
    assert result.output.count(key) == 1
    with db.session_scope(app) as session:
        assert apikeys.find_key(session, key).scopes == "upload:a/b buttons"

    listing = runner.invoke(cli, ["keys", "list"])
    assert prefix in listing.output and "upload:a/b buttons" in listing.output
    assert key.split("_", 2)[2] not in listing.output

    revoked = runner.invoke(cli, ["keys", "revoke", prefix])
    assert revoked.exit_code == 0 and f"revoked {prefix}" in revoked.output
    assert prefix not in runner.invoke(cli, ["keys", "list"]).output
    assert "revoked" in runner.invoke(cli, ["keys", "list", "--all"]).output
    with db.session_scope(app) as session:
        assert apikeys.find_key(session, key) is None


def test_keys_create_rejects_a_bad_scope(runner):
    result = runner.invoke(cli, ["keys", "create", "--name", "x", "--scope", "Upload:"])
    assert result.exit_code == 2
    assert "invalid scope" in result.output


def test_keys_revoke_unknown_prefix_fails(runner):
    result = runner.invoke(cli, ["keys", "revoke", "deadbeef"])
    assert result.exit_code == 1
    assert "no key with prefix" in result.output


@pytest.mark.slow
def test_the_installed_command_migrates_and_creates_keys(tmp_path):
    env = {
        **os.environ,
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cmd.db'}",
    }
    badgeapp = str(Path(sys.executable).with_name("badgeapp"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [badgeapp, *args], env=env, capture_output=True, text=True, timeout=60, check=True
        )

    assert f"is at {migrate.heads()[0]}" in run("db", "upgrade").stdout
    key = run("keys", "create", "--name", "ops", "--scope", "admin").stdout.strip()
    assert apikeys.parse_prefix(key) in run("keys", "list").stdout


def test_keys_before_db_upgrade_says_what_to_do(fresh_config):
    from badgeapp import create_app

    application = create_app(fresh_config)
    result = application.test_cli_runner().invoke(cli, ["keys", "list"])
    assert result.exit_code == 1
    assert "run 'badgeapp db upgrade'" in result.output
    db.dispose(application)
