"""How a security check refuses a request: an error badge for images, the JSON error body for
JSON clients, never stored by a shared cache (``no-store``)."""

from __future__ import annotations

from flask import Response, request

from badgeapp.errors import BadgeError
from badgeapp.http.api_errors import is_api_path, json_error
from badgeapp.http.badge_response import error_response


def prefers_json() -> bool:
    """True when the client's ``Accept`` header ranks JSON above images."""
    if not request.headers.get("Accept"):
        return False
    accept = request.accept_mimetypes
    return accept["application/json"] > max(accept["image/svg+xml"], accept["image/png"])


def refuse(error: BadgeError, label: str) -> Response:
    """The answer refusing the current request with ``error`` (status ``error.status`` for JSON,
    ``error.image_status`` for an image badge labelled ``label``)."""
    if is_api_path(request.path) or prefers_json():
        response = json_error(type(error).__name__, error.status, error.detail)
    else:
        response = error_response(error, label=label, cache_seconds=0)
    response.headers["Cache-Control"] = "no-store"
    return response
