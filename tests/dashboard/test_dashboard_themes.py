"""The theme editor and the theme API: save, use at once, duplicate, rename, delete, export,
import, install (with every refusal of the safe fetch)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from dashboard_helpers import THEME_FORM, csrf, make_key, save_theme

from badgeapp import create_app
from badgeapp.badges import invalidation


def names(client) -> dict[str, dict]:
    return {t["name"]: t for t in client.get("/themes/list").get_json()["themes"]}


def test_themes_list_names_every_builtin_theme_with_its_fields(client):
    themes = names(client)
    for name in ("flat", "classic", "pixel", "neon", "cyberpunk", "glass", "hacker-green"):
        assert themes[name]["source"] == "builtin"
        assert themes[name]["fields"]["name"] == name
        assert themes[name]["error"] is None
    assert "label_color" in themes["neon"]["fields"]


def test_a_saved_theme_is_listed_and_used_by_badges_at_once(admin):
    before = admin.get("/v2/badge/custom?label=a&value=b&theme=ocean")
    assert b"#003366" not in before.data  # unknown theme: the default look
    response = save_theme(admin)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"] == "/dashboard/themes/ocean/edit"
    listed = names(admin)["ocean"]
    assert listed["source"] == "stored" and listed["origin"] == "editor"
    assert listed["fields"]["border"] == {"color": "#ffffff", "width": 1.0}
    assert listed["fields"]["gradient"][0] == {"offset": 0.0, "color": "#ffffff", "opacity": 0.2}
    badge = admin.get("/v2/badge/custom?label=a&value=b&theme=ocean")
    assert b'fill="#003366"' in badge.data, (
        badge.data.decode()
    )  # the family sets the message colour
    assert admin.get("/badge/a-b-blue?style=ocean").data.count(b"#003366") >= 1
    page = admin.get("/dashboard/themes/ocean/edit").get_data(as_text=True)
    assert 'value="#003366"' in page and "Theme ocean saved" in page


def test_editing_changes_every_cached_badge(admin):
    save_theme(admin)
    assert b'fill="#003366"' in admin.get("/v2/badge/custom?label=a&value=b&theme=ocean").data
    token = csrf(admin, "/dashboard/themes/ocean/edit")
    form = {**THEME_FORM, "label_color": "#aa0000", "csrf_token": token}
    assert admin.post("/dashboard/themes/ocean/edit", data=form).status_code == 302
    badge = admin.get("/v2/badge/custom?label=a&value=b&theme=ocean")
    assert b'fill="#aa0000"' in badge.data


def test_invalid_fields_are_shown_next_to_the_field(admin):
    response = save_theme(admin, label_color="blue", border_width="9")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="label_color-error"' in html and "a hex colour" in html
    assert 'id="border_width-error"' in html
    assert "ocean" not in names(admin)


def test_builtin_names_cannot_be_taken(admin):
    response = save_theme(admin, name="neon")
    assert response.status_code == 400
    assert "built-in or plugin theme" in response.get_data(as_text=True)


def test_duplicate_rename_delete_export(admin):
    save_theme(admin)
    token = csrf(admin, "/dashboard/themes")
    admin.post("/dashboard/themes/ocean/duplicate", data={"csrf_token": token, "new_name": "sea"})
    admin.post("/dashboard/themes/neon/duplicate", data={"csrf_token": token, "new_name": "neon2"})
    assert {"ocean", "sea", "neon2"} <= set(names(admin))
    assert (
        names(admin)["neon2"]["fields"]["label_color"]
        == names(admin)["neon"]["fields"]["label_color"]
    )
    admin.post("/dashboard/themes/sea/rename", data={"csrf_token": token, "new_name": "lake"})
    assert "sea" not in names(admin) and "lake" in names(admin)
    assert b'fill="#003366"' in admin.get("/v2/badge/custom?label=a&value=b&theme=lake").data
    exported = admin.get("/dashboard/themes/lake/export")
    assert exported.mimetype == "application/json"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert json.loads(exported.data)["name"] == "lake"
    admin.post("/dashboard/themes/lake/delete", data={"csrf_token": token})
    assert "lake" not in names(admin)
    assert b"#003366" not in admin.get("/v2/badge/custom?label=a&value=b&theme=lake").data
    clash = admin.post(
        "/dashboard/themes/ocean/rename", data={"csrf_token": token, "new_name": "flat"}
    )
    assert clash.status_code == 302 and "ocean" in names(admin)


def test_import_json_text_and_file(admin):
    token = csrf(admin, "/dashboard/themes")
    doc = {"name": "imported", "label_color": "#112233", "shadow": "single"}
    admin.post("/dashboard/themes/import", data={"csrf_token": token, "text": json.dumps(doc)})
    assert names(admin)["imported"]["origin"] == "import"
    upload = (io.BytesIO(json.dumps({"name": "fromfile"}).encode()), "t.json")
    admin.post(
        "/dashboard/themes/import",
        data={"csrf_token": token, "file": upload},
        content_type="multipart/form-data",
    )
    assert "fromfile" in names(admin)
    bad = admin.post(
        "/dashboard/themes/import",
        data={"csrf_token": token, "text": '{"name": "x", "script": "alert(1)"}'},
        follow_redirects=True,
    )
    assert "Not imported" in bad.get_data(as_text=True) and "x" not in names(admin)


def test_other_workers_follow_a_saved_theme(app_config, admin):
    """A second app on the same database (another worker) sees the theme within a second."""
    other = create_app(app_config).test_client()
    assert b"#003366" not in other.get("/v2/badge/custom?label=a&value=b&theme=ocean").data
    save_theme(admin)
    import time

    deadline = time.monotonic() + 5
    while b'fill="#003366"' not in other.get("/v2/badge/custom?label=a&value=b&theme=ocean").data:
        assert time.monotonic() < deadline, "the other worker never saw the theme"
        time.sleep(0.2)


def test_saving_invalidates_the_theme_scope(admin):
    before = invalidation.generation("theme:ocean"), invalidation.generation("themes")
    save_theme(admin)
    after = invalidation.generation("theme:ocean"), invalidation.generation("themes")
    assert after[0] > before[0] and after[1] > before[1]


# -- POST /themes/install ---------------------------------------------------------------


class ThemeSite:
    """A loopback site serving theme documents (and tricks)."""

    def __init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        path, _, query = req.path.partition("?")
        if path == "/redirect":
            req.send_response(302)
            req.send_header("Location", unquote(query.removeprefix("to=")))
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        bodies = {
            "/sunrise.json": json.dumps({"name": "sunrise", "label_color": "#ff7700"}).encode(),
            "/big.json": b'{"name": "big", "description": "' + b"x" * 70_000 + b'"}',
            "/invalid.json": json.dumps({"name": "bad", "color": "javascript:alert(1)"}).encode(),
            "/code.py": b"import os\nos.system('rm -rf /')\n",
            "/neon.json": json.dumps({"name": "neon"}).encode(),
        }
        body = bodies.get(path, b"{}")
        req.send_response(200 if path in bodies else 404)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)


@pytest.fixture(scope="module")
def theme_site() -> Iterator[ThemeSite]:
    site = ThemeSite()
    yield site
    site.server.shutdown()


@pytest.fixture
def install_app(app_config):
    """An app whose safe fetch may reach the loopback site (the tests' allow-list only)."""
    return create_app(
        {**app_config, "SAFE_FETCH_ALLOW_HOSTS": ["127.0.0.1"], "SAFE_FETCH_ALLOW_HTTP": True}
    )


def install(app, url: str, key: str | None = None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return app.test_client().post("/themes/install", query_string={"url": url}, headers=headers)


def test_install_needs_a_themes_or_admin_key(install_app, theme_site):
    assert install(install_app, theme_site.url + "/sunrise.json").status_code == 401
    other = make_key(install_app, ["upload:acme/widgets"])
    assert install(install_app, theme_site.url + "/sunrise.json", other).status_code == 403


def test_install_stores_a_valid_theme_used_at_once(install_app, theme_site):
    key = make_key(install_app, ["themes"])
    response = install(install_app, theme_site.url + "/sunrise.json", key)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["installed"] == "sunrise"
    client = install_app.test_client()
    listed = names(client)["sunrise"]
    assert listed["source"] == "stored" and listed["origin"].endswith("/sunrise.json")
    assert b'fill="#ff7700"' in client.get("/v2/badge/custom?label=a&value=b&theme=sunrise").data


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/theme.json", "address not allowed"),  # loopback
        ("https://[::1]/theme.json", "address not allowed"),
        ("https://10.0.0.8/theme.json", "address not allowed"),  # private
        ("https://192.168.0.2/theme.json", "address not allowed"),
        ("https://169.254.169.254/latest/meta-data/", "address not allowed"),  # metadata
        ("https://[fe80::1]/theme.json", "address not allowed"),  # link-local
        ("http://example.com/theme.json", "scheme not allowed"),  # not https
        ("file:///etc/passwd", "scheme not allowed"),
        ("gopher://example.com/1", "scheme not allowed"),
        ("", "invalid url: give ?url=https://..."),
    ],
)
def test_install_refuses_internal_addresses_and_other_schemes(app, url, reason):
    key = make_key(app, ["admin"])
    response = install(app, url, key)
    assert response.status_code == 400
    body = response.get_json()
    assert body["message"] == reason and body["code"] == 400 and body["requestId"]


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/sunrise.json",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/sunrise.json",
        "http://10.1.2.3/theme.json",
        "file:///etc/passwd",
    ],
)
def test_install_refuses_redirects_into_forbidden_places(install_app, theme_site, target):
    key = make_key(install_app, ["admin"])
    port = theme_site.url.rsplit(":", 1)[1]
    url = theme_site.url + "/redirect?to=" + target.format(port=port)
    response = install(install_app, url, key)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["message"] in ("address not allowed", "scheme not allowed")


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/big.json", 400, "too large"),
        ("/invalid.json", 422, "invalid theme: color"),
        ("/code.py", 422, "invalid theme: not valid JSON"),
        ("/neon.json", 409, "invalid theme: name"),
        ("/missing.json", 502, "bad status"),
    ],
)
def test_install_refuses_oversize_and_invalid_documents(
    install_app, theme_site, path, status, message
):
    key = make_key(install_app, ["admin"])
    response = install(install_app, theme_site.url + path, key)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["message"].startswith(message)
    assert {t["source"] for t in names(install_app.test_client()).values()} == {"builtin"}


def test_install_from_the_dashboard_form(install_app, theme_site):
    client = install_app.test_client()
    key = make_key(install_app, ["themes"])
    from dashboard_helpers import log_in

    log_in(client, key)
    token = csrf(client, "/dashboard/themes")
    page = client.post(
        "/dashboard/themes/install",
        data={"csrf_token": token, "url": theme_site.url + "/sunrise.json"},
        follow_redirects=True,
    )
    assert "Installed sunrise" in page.get_data(as_text=True)
    page = client.post(
        "/dashboard/themes/install",
        data={"csrf_token": token, "url": "https://169.254.169.254/x.json"},
        follow_redirects=True,
    )
    assert "Not installed: address not allowed" in page.get_data(as_text=True)


@pytest.mark.postgres
def test_stored_themes_on_postgresql(app_config, postgres_url):
    from badgeapp.storage import db, migrate
    from badgeapp.theming import store

    app = create_app({**app_config, "DATABASE_URL": postgres_url})
    migrate.upgrade(app)
    with app.app_context():
        store.save({"name": "pg-theme", "label_color": "#123456"})
        store.rename("pg-theme", "pg-two")
        assert [d["name"] for d in store.list_docs()] == ["pg-two"]
        with pytest.raises(store.ThemeStoreError):
            store.save({"name": "pg-two"}, replace=False)
    client = app.test_client()
    assert b'fill="#123456"' in client.get("/v2/badge/custom?label=a&value=b&theme=pg-two").data
    db.dispose(app)


def test_the_editor_offers_and_keeps_every_gradient_stop(admin):
    """A theme may have eight gradient stops: the editor shows eight rows and saves all."""
    stops = {}
    for i in range(8):
        stops |= {
            f"gradient-{i}-offset": str(i / 7),
            f"gradient-{i}-color": f"#0000{i}{i}",
            f"gradient-{i}-opacity": "0.5",
        }
    assert save_theme(admin, **stops).status_code == 302
    saved = names(admin)["ocean"]["fields"]["gradient"]
    assert len(saved) == 8 and saved[7] == {"offset": 1.0, "color": "#000077", "opacity": 0.5}
    page = admin.get("/dashboard/themes/ocean/edit").get_data(as_text=True)
    assert 'value="#000077"' in page  # the eighth stop is in the form, not dropped on the next save
    token = csrf(admin, "/dashboard/themes/ocean/edit")
    resaved = {**THEME_FORM, **stops, "description": "again", "csrf_token": token}
    assert admin.post("/dashboard/themes/ocean/edit", data=resaved).status_code == 302
    assert len(names(admin)["ocean"]["fields"]["gradient"]) == 8
