"""Helpers for the dashboard tests: log in with a key, CSRF tokens from pages, the theme form."""

from __future__ import annotations

import re

from badgeapp.storage import apikeys, db

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf(client, path: str) -> str:
    """The CSRF token of the first form on ``path``."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return TOKEN.search(response.get_data(as_text=True)).group(1)


def make_key(app, scopes: list[str]) -> str:
    with db.session_scope(app) as session:
        return apikeys.create_key(session, "dash", scopes)[1]


def log_in(client, key: str):
    token = csrf(client, "/dashboard/login")
    return client.post("/dashboard/login", data={"csrf_token": token, "key": key})


THEME_FORM = {
    "name": "ocean",
    "description": "deep blue",
    "palette": "v6",
    "label_color": "#003366",
    "color": "#0099cc",
    "text_color": "",
    "logo_color": "",
    "shadow": "none",
    "font_family": "Verdana, sans-serif",
    "gradient-0-offset": "0",
    "gradient-0-color": "#ffffff",
    "gradient-0-opacity": "0.2",
    "gradient-1-offset": "1",
    "gradient-1-color": "#000000",
    "gradient-1-opacity": "0.1",
    "background_opacity": "1",
    "border_color": "#ffffff",
    "border_width": "1",
    "glow_color": "",
    "glow_radius": "",
    "dark_label_color": "#001122",
    "animation_effect": "glow",
    "animation_duration": "3",
}


def save_theme(client, **changes):
    token = csrf(client, "/dashboard/themes/new")
    form = {**THEME_FORM, **changes, "csrf_token": token}
    return client.post("/dashboard/themes/new", data=form)
