"""`badgeapp warm`: badges requested once are served warm afterwards."""

from __future__ import annotations

import pytest

from badgeapp import create_app
from badgeapp.cli import cli


@pytest.fixture
def warm_app(app_config, fake_upstream):
    return create_app({**app_config, **fake_upstream.config()})


def test_warm_fetches_once_then_serves_from_cache(warm_app, fake_upstream, tmp_path):
    runner = warm_app.test_cli_runner()
    listing = tmp_path / "badges.txt"
    listing.write_text("# popular badges\n/v2/badge/github/pallets/flask/forks\n")
    result = runner.invoke(
        cli, ["warm", "/v2/badge/github/pallets/flask/stars", "--file", str(listing)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "200 /v2/badge/github/pallets/flask/stars",
        "200 /v2/badge/github/pallets/flask/forks",
    ]
    calls = fake_upstream.count()
    assert calls >= 1
    response = warm_app.test_client().get("/v2/badge/github/pallets/flask/stars")
    assert response.status_code == 200
    assert fake_upstream.count() == calls  # served warm: no new upstream call


def test_warm_needs_paths(warm_app):
    result = warm_app.test_cli_runner().invoke(cli, ["warm"])
    assert result.exit_code == 2
    assert "give badge paths" in result.output
