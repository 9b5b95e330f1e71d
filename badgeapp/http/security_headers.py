"""Headers every response carries, whatever produced it (JSON APIs, pages, badges, errors).

``X-Content-Type-Options: nosniff`` tells browsers to trust ``Content-Type`` and never guess: a
JSON answer that echoes user text is never run as HTML or script. Badge responses already set it
in ``badge_response``; this ``after_request`` hook is the one place that covers the rest.
"""

from __future__ import annotations

from flask import Flask, Response

#: header -> value, set on every response that does not set it itself
SECURITY_HEADERS: dict[str, str] = {"X-Content-Type-Options": "nosniff"}


def add_security_headers(response: Response) -> Response:
    """``response`` with every header of ``SECURITY_HEADERS`` it lacks."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register_security_headers(app: Flask) -> None:
    """Add the headers to every response of ``app``."""
    app.after_request(add_security_headers)
