"""``POST /api/badge/generate``: the layered PNG badge generator (see docs/readme/layered.md).

Validates the JSON body (422 with FastAPI-style ``{"detail": [{"loc", "msg"}]}``), composes the
image with the fonts and asset folders registered through the plugin hooks, and answers with the
spec's JSON envelope (base64 data URI), or the PNG itself for ``?format=png`` or
``Accept: image/png``. Unexpected render failures are logged and answered with the spec's 500.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from badgeapp.badges.limits import expensive
from badgeapp.hookspecs import hookimpl
from badgeapp.layered import AssetLibrary, FontBook, ValidationFailed, parse_request, render_png
from badgeapp.plugins import get_registry
from badgeapp.upstream import setting

log = logging.getLogger(__name__)

bp = Blueprint("layered", __name__)

#: largest request body accepted by this endpoint
MAX_BODY_BYTES = 2 * 1024 * 1024
FORMATS = ("json", "png")
#: deepest nesting of arrays and objects accepted (the spec's requests need 4)
MAX_JSON_DEPTH = 32


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests lists/dicts more than ``limit`` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    return response


def _unprocessable(errors: list[dict[str, Any]], status: int = 422) -> Response:
    response = jsonify({"detail": errors})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return _cors(response)


def _wants_png() -> bool | None:
    """True for PNG, False for JSON, None when ``?format=`` is not a known format."""
    fmt = request.args.get("format")
    if fmt is not None:
        return None if fmt not in FORMATS else fmt == "png"
    best = request.accept_mimetypes.best_match(["application/json", "image/png"])
    return best == "image/png"


class _Resources:
    """Fonts and asset folders of the current app, rebuilt when the plugin set changes."""

    def __init__(self, cache_bytes: int) -> None:
        self._sources: tuple[object, object] = (None, None)
        self._cache_bytes = cache_bytes
        self.fonts = FontBook([])
        self.assets = AssetLibrary([], cache_bytes)

    def current(self) -> tuple[FontBook, AssetLibrary]:
        registry = get_registry()
        fonts, dirs = registry.fonts(), registry.asset_dirs()
        # the registry returns the same list objects until a plugin changes
        if fonts is not self._sources[0] or dirs is not self._sources[1]:
            self.fonts, self.assets = FontBook(fonts), AssetLibrary(dirs, self._cache_bytes)
            self._sources = (fonts, dirs)
        return self.fonts, self.assets


def _resources() -> tuple[FontBook, AssetLibrary]:
    from flask import current_app

    holder = current_app.extensions.get("badgeapp.layered")
    if holder is None:
        cache_bytes = setting(current_app.config, "LAYERED_IMAGE_CACHE_BYTES")
        holder = current_app.extensions.setdefault("badgeapp.layered", _Resources(cache_bytes))
    return holder.current()


@bp.route("/api/badge/generate", methods=["POST"], provide_automatic_options=False)
@expensive("render")  # a heavy render: counted against RENDER_LIMIT per client
def generate() -> Response:
    request.max_content_length = MAX_BODY_BYTES
    try:
        data = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _unprocessable(
            [{"loc": ["body"], "msg": f"request body is larger than {MAX_BODY_BYTES} bytes"}], 413
        )
    wants_png = _wants_png()
    if wants_png is None:
        return _unprocessable([{"loc": ["query", "format"], "msg": 'must be "json" or "png"'}])
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested thousands deep
        return _unprocessable([{"loc": ["body"], "msg": "body must be a JSON object"}])
    if _depth_exceeds(body, MAX_JSON_DEPTH):
        return _unprocessable(
            [{"loc": ["body"], "msg": f"JSON is nested more than {MAX_JSON_DEPTH} levels deep"}]
        )
    try:
        config = parse_request(body)
        fonts, assets = _resources()
        budget = setting(current_app.config, "LAYERED_MAX_DECODED_PIXELS")
        png = render_png(config, fonts, assets, budget)
    except ValidationFailed as exc:
        return _unprocessable(exc.errors)
    except Exception:
        # the exception's text stays in the log: it can carry paths and object addresses
        log.exception("layered badge render failed")
        response = jsonify({"detail": "Failed to generate badge: internal error"})
        response.status_code = 500
        return _cors(response)
    if wants_png:
        response = Response(png, mimetype="image/png")
        response.headers["Content-Disposition"] = 'inline; filename="badge.png"'
    else:
        payload = {
            "success": True,
            "message": "Badge generated successfully",
            "data": {
                "base64": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                "filename": "badge.png",
                "mimeType": "image/png",
            },
            "config": body,
        }
        # json.dumps keeps the spec's key order and the request's own order in "config"
        response = Response(json.dumps(payload, separators=(",", ":")), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return _cors(response)


@bp.route("/api/badge/generate", methods=["OPTIONS"])
def generate_preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return _cors(response)


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]
