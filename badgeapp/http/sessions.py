"""Flask's signed-cookie sessions, opened only when the request carries a session cookie.

Flask opens the session of every request; the stock interface builds its signing serializer
first, which is a measurable share of a badge request. A request without the cookie gets a new
empty session straight away, exactly what the stock interface would give it. The cookie is
``Secure`` on https requests (and always with ``SESSION_COOKIE_SECURE``).
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    """``SecureCookieSessionInterface`` that skips the serializer when there is no cookie."""

    def open_session(self, app: Any, request: Any) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Any) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure
