"""API documentation: ``GET /openapi.json`` (the whole API, OpenAPI 3.1), ``GET /docs``
(Swagger UI) and ``GET /redoc`` (ReDoc).

The pages' scripts and styles come from the ``openapi-ui-bundles`` pip package and are served
by this app under ``/docs/assets/`` and ``/redoc/assets/``: nothing is fetched from a CDN.
The document is built from the ``badgeapp_openapi`` hook's fragments (``badgeapp.openapi``).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
)
from openapi_ui_bundles import redoc, swagger_ui

from badgeapp.hookspecs import hookimpl
from badgeapp.openapi import app_document

bp = Blueprint("docs", __name__)

#: files of each tool the pages load (nothing else is served from the package folders)
SWAGGER_FILES = frozenset(
    {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png"}
)
REDOC_FILES = frozenset({"redoc.standalone.js"})
#: lifetime of the pages' assets (they change only with the package)
ASSET_CACHE_SECONDS = 86400
TITLE = "badgeapp API"
#: the pages may load from this app only (ReDoc's "powered by" logo from its CDN is blocked);
#: inline script: Swagger UI's start-up; blob: workers: ReDoc's search
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; "
    "font-src 'self' data:; frame-ancestors 'none'"
)


def _page(template: str) -> Response:
    response = current_app.make_response(render_template(template, title=TITLE))
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document of every route."""
    response = jsonify(app_document(current_app, request.script_root or "/"))
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/docs")
def swagger() -> Response:
    """Swagger UI."""
    return _page("docs/swagger.html")


@bp.get("/redoc")
def redoc_page() -> Response:
    """ReDoc."""
    return _page("docs/redoc.html")


def _asset(folder: str, allowed: frozenset[str], filename: str) -> Response:
    if filename not in allowed:
        abort(404)
    response = send_from_directory(folder, filename, max_age=ASSET_CACHE_SECONDS)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/docs/assets/<filename>")
def swagger_asset(filename: str) -> Response:
    """Swagger UI's files, from the openapi-ui-bundles package."""
    return _asset(str(swagger_ui.static_path), SWAGGER_FILES, filename)


@bp.get("/redoc/assets/<filename>")
def redoc_asset(filename: str) -> Response:
    """ReDoc's standalone script, from the openapi-ui-bundles package."""
    return _asset(str(redoc.static_path), REDOC_FILES, filename)


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    """The documentation blueprint."""
    return [bp]
