"""App-wide error handlers: JSON bodies for API paths, badges for everything an <img> may load.

The JSON body follows the platform's error catalogue:
``{"error": "NotFound", "code": 404, "message": "...", "requestId": "req_..."}``.
Badge paths get an image whatever happens (shields' ``404 | badge not found`` for unknown
routes), so a README never shows a broken image.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, has_request_context, request
from werkzeug.exceptions import HTTPException

from badgeapp.errors import BadgeError, RateLimitExceeded
from badgeapp.http.badge_response import error_response, not_found_response
from badgeapp.http.json_errors import json_error, request_id

__all__ = ["is_api_path", "json_error", "register_error_handlers", "request_id"]

log = logging.getLogger(__name__)

#: Path prefixes that are JSON APIs rather than badge images.
API_PREFIXES = ("/api/", "/plugins/", "/themes/", "/health", "/stats/", "/webhook/", "/ws/")
#: Badge images that live under an API prefix (the quality badges): an image unless the
#: client asks for JSON (``.json`` or an ``Accept`` header preferring it)
IMAGE_PREFIXES = tuple(
    f"/api/v1/badge/{kind}/" for kind in ("coverage", "quality", "security", "tests")
)


def _prefers_json() -> bool:
    if not has_request_context() or not request.headers.get("Accept"):
        return False
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["image/svg+xml"]


def is_api_path(path: str) -> bool:
    """True when errors on ``path`` are answered as JSON rather than as a badge image."""
    if path.startswith(IMAGE_PREFIXES):
        return path.endswith(".json") or _prefers_json()
    return path.startswith(API_PREFIXES) or path.endswith(".json")


def _badge_error(exc: BadgeError, path: str) -> Response:
    """Render a BadgeError as an image through the shared response path."""
    return error_response(exc, fmt="json" if path.endswith(".json") else None)


def _vary(response: Response) -> Response:
    """``Vary: Accept`` where the answer (image or JSON) follows the Accept header, so a shared
    cache never hands an ``<img>`` the JSON another client asked for."""
    if has_request_context() and request.path.startswith(IMAGE_PREFIXES):
        response.vary.add("Accept")
    return response


def _retry_after(exc: HTTPException) -> int:
    """Seconds until the breached limit resets (from flask-limiter's ``RateLimitExceeded``)."""
    limit = getattr(exc, "limit", None)
    try:
        return max(1, int(limit.limit.get_expiry()))  # the window length of the limit
    except Exception:
        return 60


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(exc: HTTPException) -> Response:
        if is_api_path(request.path):
            return _vary(json_error("NotFound", 404, f"no such endpoint: {request.path}"))
        return _vary(not_found_response(request.path))

    @app.errorhandler(BadgeError)
    def badge_error(exc: BadgeError) -> Response:
        if isinstance(exc, RateLimitExceeded):  # the limit policy's answer (JSON 429 or image)
            return _vary(error_response(exc, fmt="json" if is_api_path(request.path) else None))
        if is_api_path(request.path):
            return _vary(json_error(type(exc).__name__, exc.status, exc.detail))
        return _vary(_badge_error(exc, request.path))

    @app.errorhandler(405)
    def method_not_allowed(exc: HTTPException) -> Response:
        response = json_error("MethodNotAllowed", 405, f"{request.method} is not allowed here")
        methods = getattr(exc, "valid_methods", None)
        if methods:
            response.headers["Allow"] = ", ".join(methods)
        return response

    @app.errorhandler(413)
    def too_large(exc: HTTPException) -> Response:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return json_error("PayloadTooLarge", 413, f"request body is larger than {limit} bytes")

    @app.errorhandler(429)
    def rate_limited(exc: HTTPException) -> Response:
        """JSON for APIs (the platform's catalogue); an image for badge paths."""
        if getattr(exc, "response", None) is not None:  # a route's own on_breach answer
            return exc.response
        limited = RateLimitExceeded(_retry_after(exc))
        return error_response(limited, fmt="json" if is_api_path(request.path) else None)

    @app.errorhandler(500)
    def internal_error(exc: Exception) -> Response:
        original = getattr(exc, "original_exception", exc)
        log.error("unhandled error [%s]", request_id(), exc_info=original)
        if is_api_path(request.path):
            return _vary(json_error("InternalError", 500, "unexpected server error"))
        return _vary(_badge_error(BadgeError("internal error"), request.path))
