"""Bearer API-key authentication for write endpoints.

``@require_scope("admin")`` or ``@require_scope(lambda org, repo: f"upload:{org}/{repo}")``
guards a view: the request must carry ``Authorization: Bearer KEY`` for an active key whose
scopes contain the wanted scope (or ``admin``). A missing or invalid key answers 401 with
``WWW-Authenticate: Bearer``; a valid key without the scope answers 403. Both are JSON bodies
with a ``detail`` field. The key in use is available as ``flask.g.api_key``. Keys are never
logged: only their prefix ever appears in messages.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, g, request
from sqlalchemy.exc import OperationalError

from badgeapp.storage import apikeys
from badgeapp.storage.db import session_scope
from badgeapp.storage.models import ApiKey

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
Scope = str | Callable[..., str]


class AuthError(Exception):
    """Authentication failed: ``status`` is 401 (who are you?) or 403 (not allowed)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, or None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def check_api_key(header: str | None, scope: str) -> ApiKey:
    """Return the key named by an ``Authorization`` header if it grants ``scope``.

    Raises ``AuthError`` (401 for a missing, malformed, unknown or revoked key; 403 when the
    key lacks the scope). Records the use in ``last_used_at``.
    """
    token = bearer_token(header)
    if token is None:
        raise AuthError(401, "an API key is required: send 'Authorization: Bearer KEY'")
    with session_scope() as session:
        row = apikeys.find_key(session, token)
        if row is None:
            raise AuthError(401, "invalid or revoked API key")
        if not apikeys.scope_allows(row.scope_list, scope):
            raise AuthError(403, f"this API key lacks the scope {scope!r}")
    try:  # a write-only transaction of its own: waits for the SQLite lock instead of failing
        with session_scope() as session:
            apikeys.touch(session, row)
    except OperationalError:  # recording the use is best effort; the key itself is valid
        log.warning("could not record the use of API key %s", row.prefix)
    return row


def auth_error_response(error: AuthError) -> Response:
    """The JSON answer for an ``AuthError`` (the app's error catalogue plus ``detail``)."""
    from badgeapp.http.api_errors import json_error

    name = "Unauthorized" if error.status == 401 else "Forbidden"
    response = json_error(name, error.status, error.detail, detail=error.detail)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="badgeapp"'
    else:
        response.headers["WWW-Authenticate"] = 'Bearer realm="badgeapp", error="insufficient_scope"'
    return response


def require_scope(scope: Scope) -> Callable[[F], F]:
    """Decorate a view so it runs only for a Bearer key granting ``scope``.

    ``scope`` is a string or a callable receiving the view's keyword arguments.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wanted = scope(**kwargs) if callable(scope) else scope
            try:
                g.api_key = check_api_key(request.headers.get("Authorization"), wanted)
            except AuthError as error:
                return auth_error_response(error)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
