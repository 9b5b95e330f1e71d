"""The platform's JSON error body and request ids, used by the response path and the handlers.

``{"error": "NotFound", "code": 404, "message": "...", "requestId": "req_..."}``. Kept apart
from ``api_errors`` (the app-wide handlers) so that ``badge_response`` and ``api_errors`` both
import it and never each other in a circle.
"""

from __future__ import annotations

import secrets

from flask import Response, g, jsonify, request


def request_id() -> str:
    """A per-request id for error bodies and logs (the client's ``X-Request-Id`` if sent)."""
    if "request_id" not in g:
        g.request_id = request.headers.get("X-Request-Id") or "req_" + secrets.token_hex(6)
    return g.request_id


def json_error(error: str, code: int, message: str, **extra: object) -> Response:
    """The error body as a response with status ``code``."""
    body = {"error": error, "code": code, "message": message, **extra, "requestId": request_id()}
    response = jsonify(body)
    response.status_code = code
    return response
