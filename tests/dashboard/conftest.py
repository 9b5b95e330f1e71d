"""Fixtures for the dashboard tests: an admin key and a logged-in client."""

from __future__ import annotations

import pytest
from dashboard_helpers import log_in, make_key


@pytest.fixture
def admin_key(app) -> str:
    return make_key(app, ["admin"])


@pytest.fixture
def themes_key(app) -> str:
    return make_key(app, ["themes"])


@pytest.fixture
def admin(client, admin_key):
    """A test client logged in with an admin key."""
    response = log_in(client, admin_key)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
