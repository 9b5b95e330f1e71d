"""The dashboard pages through the Flask test client: pages, builder checks, login, CSRF."""

from __future__ import annotations

import json
import re

import pytest
from dashboard_helpers import csrf, log_in, make_key

PAGES = ["/", "/dashboard", "/dashboard/builder", "/dashboard/plugins", "/dashboard/login"]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_are_html_with_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and 'href="#main"' in html  # skip link
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")) or "localhost" in url, url


def test_landing_page_searches_into_the_builder(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/dashboard/builder"' in html and 'name="q"' in html
    page = client.get("/dashboard/builder?q=pypi version").get_data(as_text=True)
    assert re.search(r'<option value="shields-pypi" selected>', page)


def test_builder_without_javascript_renders_the_badge_and_snippets(client):
    page = client.get("/dashboard/builder?family=custom&value=passing&label=build&color=green")
    html = page.get_data(as_text=True)
    assert 'src="/v2/badge/custom?value=passing&amp;label=build&amp;color=green"' in html
    assert "![build](http://localhost/v2/badge/custom?value=passing&amp;label=build" in html
    for style in ("flat", "flat-square", "plastic", "for-the-badge", "social"):
        assert f"style={style}" in html
    assert "theme=neon" in html and "bg-dark" in html


def test_builder_check_uses_the_api_rules(client):
    body = client.get(
        "/dashboard/builder/check?family=custom&value=x&color=notacolour&style=zigzag"
        "&link=javascript:alert(1)&cacheSeconds=soon&logo=no-such-logo-anywhere"
    ).get_json()
    assert set(body["errors"]) == {"color", "style", "link", "cacheSeconds", "logo"}
    missing = client.get("/dashboard/builder/check?family=custom").get_json()
    assert missing["errors"] == {"value": "required"}
    good = client.get("/dashboard/builder/check?family=custom&value=ok&style=plastic&theme=neon")
    assert good.get_json()["errors"] == {}
    # what the builder says is the URL answers a badge with that text
    badge = client.get(good.get_json()["path"])
    assert badge.status_code == 200 and b"ok" in badge.data


def test_builder_snippets_in_every_format(client):
    body = client.get(
        "/dashboard/builder/check?family=static&s_label=my-build&s_message=passing ok"
        "&s_color=green&link=https://example.com"
    ).get_json()
    assert body["path"] == "/badge/my--build-passing_ok-green?link=https%3A%2F%2Fexample.com"
    snippets = body["snippets"]
    url = "http://localhost" + body["path"]
    assert snippets["markdown"] == f"[![Shields static badge]({url})](https://example.com)"
    assert snippets["html"].startswith('<a href="https://example.com"><img alt=')
    assert snippets["rst"] == (
        f".. image:: {url}\n   :alt: Shields static badge\n   :target: https://example.com"
    )
    assert snippets["asciidoc"] == f"image:{url}[Shields static badge,link=https://example.com]"
    assert snippets["url"] == url
    assert client.get(body["path"]).status_code == 200


@pytest.fixture
def dice_plugin(app_config):
    folder = app_config["BADGEAPP_PLUGINS_DIR"]
    with open(f"{folder}/dice.py", "w") as file:
        file.write("METRICS = {'roll': 'a die'}\n\ndef get_metric(metric):\n    return '4'\n")


def test_builder_knows_every_provider_and_the_parallel_families(dice_plugin, client):
    page = client.get("/dashboard/builder").get_data(as_text=True)
    for family in ("github", "pypi", "npm", "plugin-dice", "compose", "quality", "nice"):
        assert f'value="{family}"' in page, family
    for family in ("rank", "trophies", "shields-github", "endpoint", "insights", "heatmap"):
        assert f'value="{family}"' in page, family
    body = client.get("/dashboard/builder/check?family=rank&username=octocat&theme=dark").get_json()
    assert body["path"] == "/rank/octocat?theme=dark" and body["styles"] == {}
    body = client.get(
        "/dashboard/builder/check?family=github&subject=pallets/flask&metric=stars"
    ).get_json()
    assert body["path"] == "/v2/badge/github/pallets/flask/stars"
    bad = client.get("/dashboard/builder/check?family=github&subject=flask&metric=stars")
    assert "subject" in bad.get_json()["errors"]


def test_plugins_page_is_a_table_of_what_plugins_list_says(client):
    plugins = client.get("/plugins/list").get_json()["plugins"]
    html = client.get("/dashboard/plugins").get_data(as_text=True)
    assert "<table" in html
    for plugin in plugins:
        assert plugin["name"] in html
    assert "badgeapp.builtin.themes" in html and "neon" in html


def test_editing_pages_need_a_login(client):
    for path in ("/dashboard/themes", "/dashboard/themes/new", "/dashboard/analytics"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/dashboard/login?next=")


def test_login_refuses_bad_keys_and_keys_without_the_scope(app, client):
    token = csrf(client, "/dashboard/login")
    response = client.post("/dashboard/login", data={"csrf_token": token, "key": "bdg_nope"})
    assert response.status_code == 400 and b"lacks" in response.data
    upload_only = make_key(app, ["upload:acme/widgets"])
    assert log_in(client, upload_only).status_code == 400
    assert client.get("/dashboard/themes").status_code == 302


def test_login_sets_a_safe_cookie_and_logout_ends_it(client, themes_key):
    response = log_in(client, themes_key)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/themes"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert themes_key not in cookie and "bdg_" not in cookie
    assert client.get("/dashboard/themes").status_code == 200
    # a themes key is not an admin key
    assert client.get("/dashboard/analytics").status_code == 403
    token = csrf(client, "/dashboard/themes")
    client.post("/dashboard/logout", data={"csrf_token": token})
    assert client.get("/dashboard/themes").status_code == 302


def test_the_cookie_is_secure_over_https(app, themes_key):
    client = app.test_client()
    base = "https://localhost"
    page = client.get("/dashboard/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/dashboard/login", data={"csrf_token": token, "key": themes_key}, base_url=base
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_next_only_leads_into_the_dashboard(client, themes_key):
    token = csrf(client, "/dashboard/login")
    response = client.post(
        "/dashboard/login?next=//evil.example/x", data={"csrf_token": token, "key": themes_key}
    )
    assert response.headers["Location"] == "/dashboard/themes"


def test_revoking_the_key_ends_the_session(app, client, themes_key):
    from badgeapp.storage import apikeys, db

    log_in(client, themes_key)
    assert client.get("/dashboard/themes").status_code == 200
    with db.session_scope(app) as session:
        apikeys.revoke_key(session, themes_key)
    assert client.get("/dashboard/themes").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/login",
        "/dashboard/logout",
        "/dashboard/themes/new",
        "/dashboard/themes/import",
        "/dashboard/themes/install",
        "/dashboard/themes/flat/duplicate",
    ],
)
def test_posts_without_a_csrf_token_are_refused(admin, path):
    before = admin.get("/themes/list").get_json()["count"]
    data = {
        "name": "sneaky",
        "new_name": "sneaky",
        "key": "x",
        "text": json.dumps({"name": "sneaky"}),
    }
    response = admin.post(path, data=data)
    assert response.status_code in (302, 400)
    if response.status_code == 302:  # redirected back with the error, nothing done
        assert "/login" not in response.headers["Location"]
    assert admin.get("/themes/list").get_json()["count"] == before
    assert admin.get("/dashboard/themes").status_code == 200  # still logged in


def test_a_token_from_another_session_is_refused(app, admin):
    other = app.test_client()
    stolen = csrf(other, "/dashboard/login")
    response = admin.post(
        "/dashboard/themes/flat/duplicate", data={"csrf_token": stolen, "new_name": "x1"}
    )
    assert response.status_code == 302
    assert "x1" not in [t["name"] for t in admin.get("/themes/list").get_json()["themes"]]


def test_theme_preview_draws_an_unsaved_theme(client):
    doc = {"name": "tmp", "label_color": "#123456", "color": "#abcdef", "shadow": "none"}
    response = client.get("/dashboard/themes/preview.svg", query_string={"doc": json.dumps(doc)})
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"#123456" in response.data and b"#abcdef" in response.data
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    bad = client.get(
        "/dashboard/themes/preview.svg", query_string={"doc": '{"name": "x", "color": "red"}'}
    )
    assert bad.status_code == 200 and b"invalid" in bad.data
    assert client.get("/dashboard/themes/preview.svg?doc=" + "[" * 3000).status_code == 200


def test_the_overview_shows_the_last_hour_to_admins(client, admin_key):
    client.get("/v2/badge/custom?label=a&value=b")
    anonymous = client.get("/dashboard").get_data(as_text=True)
    assert (
        "Log in</a> with an admin key" in anonymous
        and "svg" not in anonymous.split("Last hour")[1][:400]
    )
    log_in(client, admin_key)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "<strong>1</strong> renders" in page and "class='chart'" in page
