"""No page of the dashboard answers 5xx, whatever the query string (logged in or not)."""

from __future__ import annotations

import pytest
from dashboard_helpers import log_in, make_key
from hypothesis import given, settings
from hypothesis import strategies as st

from badgeapp import create_app

PAGES = [
    "/",
    "/dashboard",
    "/dashboard/builder",
    "/dashboard/builder/check",
    "/dashboard/plugins",
    "/dashboard/login",
    "/dashboard/themes",
    "/dashboard/themes/new",
    "/dashboard/themes/flat/edit",
    "/dashboard/themes/%00/export",
    "/dashboard/analytics",
    "/dashboard/live",
    "/dashboard/themes/preview.svg",
    "/api/analytics",
]
KEYS = st.sampled_from(
    [
        "family",
        "q",
        "value",
        "style",
        "theme",
        "window",
        "doc",
        "from",
        "next",
        "color",
        "logo",
        "provider",
        "subject",
        "metrics",
    ]
)
VALUES = st.text(max_size=200) | st.sampled_from(
    ["github", "rank", "static", "week", '{"name":"x"}', "[" * 500, "../../etc/passwd", "\x00"]
)


@pytest.fixture(scope="module")
def walk_clients(make_module_app):
    from badgeapp.storage import migrate

    app = make_module_app()
    migrate.upgrade(app)
    anonymous = app.test_client()
    admin = app.test_client()
    log_in(admin, make_key(app, ["admin"]))
    return anonymous, admin


@pytest.mark.parametrize("path", PAGES)
def test_pages_never_break(walk_clients, path):
    @settings(max_examples=40)
    @given(query=st.lists(st.tuples(KEYS, VALUES), max_size=4))
    def check(query):
        for client in walk_clients:
            response = client.get(path, query_string=query)
            assert response.status_code < 500, (path, query, response.status_code)

    check()


def test_pages_work_without_a_migrated_database(app_config, tmp_path):
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"})
    client = app.test_client()
    for path in ("/", "/dashboard", "/dashboard/builder", "/themes/list"):
        assert client.get(path).status_code < 500, path
    assert client.get("/v2/badge/custom?label=a&value=b&theme=neon").status_code == 200
