"""Every example URL in the README answers as the README says: no 5xx, a valid image or JSON.

Live-provider examples run against the fake upstream; examples of the quality family run after
a real report upload, so they show numbers rather than `not found`.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import serve_fake
from PIL import Image

from badgeapp import create_app
from badgeapp.storage import apikeys, db

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()

# A plugin example the README shows as user code; it is not shipped, so it may say "not found".
NOT_SHIPPED = ("/v2/badge/plugin/counter/", "/v2/badge/plugin/weather/", "/v2/badge/plugin/asyncy/")


def readme_paths() -> list[str]:
    paths = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", README, re.S):
        for line in block.splitlines():
            match = re.match(r"^\s*(?:GET\s+)?(/[^\s]+)", line)
            if match:
                paths.append(match.group(1))
    return paths


PATHS = readme_paths()


def test_the_readme_has_examples():
    assert len(PATHS) > 50


@pytest.fixture(scope="module")
def readme_fake():
    """One fake upstream for every README example of the module."""
    with serve_fake() as fake:
        yield fake


@pytest.fixture(scope="module")
def readme_client(tmp_path_factory, migrated_sqlite_template, readme_fake):
    """One app for every README example (as one server answers a README's badges)."""
    folder = tmp_path_factory.mktemp("readme")
    database = folder / "test.db"
    shutil.copyfile(migrated_sqlite_template, database)
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": f"sqlite:///{database}",
            "REDIS_URL": None,
            "RATE_LIMIT": "100000/minute",
            "WRITE_LIMIT": "100000/minute",
            "RENDER_LIMIT": "100000/minute",
            **readme_fake.config(),
            "BADGEAPP_PLUGINS_DIR": str(ROOT / "plugins"),
            "QUALITY_RATE_LIMIT": "100000/minute",
            "GITHUB_TOKENS": "ghp_readmeexamples0000000000000000000000",  # rank: GraphQL needs one
        }
    )
    client = app.test_client()
    with db.session_scope(app) as session:
        key = apikeys.create_key(session, "readme", ["upload:acme/widgets"])[1]
    auth = {"Authorization": f"Bearer {key}"}
    summary = {"coverage": 91.5, "tests": {"passed": 1234, "failed": 0, "skipped": 2}}
    for branch in ("main", "feature/x", "dev"):
        response = client.post(
            f"/api/v1/reports/acme/widgets?branch={branch}",
            json={**summary, "vulnerabilities": {"critical": 0, "high": 1}},
            headers=auth,
        )
        assert response.status_code == 201, response.get_data(as_text=True)
    yield client
    db.dispose(app)


@pytest.mark.parametrize("path", PATHS)
def test_readme_example(readme_client, path):
    response = readme_client.get(path)
    assert response.status_code < 500, (path, response.status_code)
    if not path.startswith(NOT_SHIPPED):
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    body = response.get_data()
    if response.mimetype == "image/svg+xml":
        root = SafeET.fromstring(body)
        label = root.get("aria-label") or ""
        if not path.startswith(NOT_SHIPPED):
            for error in ("not found", "invalid", "inaccessible", "internal error"):
                assert not label.endswith(error), (path, label)
    elif response.mimetype == "image/png":
        assert Image.open(io.BytesIO(body)).size[0] > 0
    else:
        assert response.mimetype == "application/json", (path, response.mimetype)
        json.loads(body)
