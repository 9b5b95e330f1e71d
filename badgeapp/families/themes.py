"""Theme management API: ``GET /themes/list`` and ``POST /themes/install?url=`` (thin).

``/themes/list`` names every theme (built-in, plugin, stored) with its source and fields.
``/themes/install`` (an API key with the ``themes`` or ``admin`` scope) fetches a theme document
through the safe fetch, validates it and stores it like a theme saved in the editor.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from badgeapp.auth import require_scope
from badgeapp.hookspecs import hookimpl
from badgeapp.http.api_errors import json_error
from badgeapp.plugins import get_registry
from badgeapp.storage.apikeys import THEMES_SCOPE
from badgeapp.theming import catalog, store
from badgeapp.theming.install import InstallError, install_from_url

bp = Blueprint("themes", __name__)

_ERROR_NAMES = {400: "InvalidParameter", 409: "Conflict", 422: "InvalidTheme", 502: "BadGateway"}


@bp.get("/themes/list")
def themes_list() -> Response:
    themes = catalog.list_themes(get_registry(), store.rows_if_available())
    return jsonify({"themes": themes, "count": len(themes)})


@bp.post("/themes/install")
@require_scope(THEMES_SCOPE)
def themes_install() -> Response:
    url = request.args.get("url", "").strip()
    try:
        doc = install_from_url(
            url,
            config=current_app.config,
            reserved=catalog.plugin_theme_names(get_registry()),
        )
    except InstallError as exc:
        name = _ERROR_NAMES.get(exc.status, "InvalidParameter")
        return json_error(name, exc.status, exc.reason, detail=exc.reason)
    response = jsonify({"installed": doc["name"], "source": "stored", "fields": doc})
    response.status_code = 201
    return response


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]
