"""Dashboard login: an API key with the ``themes`` or ``admin`` scope, exchanged for a session.

The session cookie is signed with ``SECRET_KEY``, ``HttpOnly``, ``SameSite=Lax`` and ``Secure``
whenever the request came over https (directly or through a trusted proxy). It holds the key's
prefix only; each page re-checks that the key is still active, so revoking a key logs it out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, redirect, render_template, request, session, url_for
from sqlalchemy import select

from badgeapp.storage import apikeys
from badgeapp.storage.db import session_scope
from badgeapp.storage.models import ApiKey

F = TypeVar("F", bound=Callable[..., Any])
SESSION_KEY = "dashboard_key"


def init_sessions(app: Flask) -> None:
    """HttpOnly, SameSite=Lax and a cookie name of our own (``Secure`` on https comes from
    ``badgeapp.http.sessions``)."""
    if app.config.get("SESSION_COOKIE_NAME") in (None, "session"):
        app.config["SESSION_COOKIE_NAME"] = "badgeapp_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"


def log_in(key: str) -> ApiKey | None:
    """Start a session for ``key`` when it grants ``themes`` (or ``admin``); else None."""
    with session_scope() as db:
        row = apikeys.find_key(db, key.strip())
    if row is None or not apikeys.scope_allows(row.scope_list, apikeys.THEMES_SCOPE):
        return None
    session.clear()
    session[SESSION_KEY] = row.prefix
    session.permanent = False
    return row


def log_out() -> None:
    """Forget the session."""
    session.clear()


def current_scopes() -> list[str] | None:
    """The scopes of the logged-in key (None when nobody is, or the key was revoked)."""
    prefix = session.get(SESSION_KEY)
    if not isinstance(prefix, str):
        return None
    try:
        with session_scope() as db:
            row = db.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()
            if row is None or not row.active:
                return None
            return row.scope_list
    except Exception:  # the database is down: nobody is logged in
        return None


def allowed(scope: str) -> bool:
    """Whether the logged-in key grants ``scope``."""
    scopes = current_scopes()
    return scopes is not None and apikeys.scope_allows(scopes, scope)


def login_required(scope: str = apikeys.THEMES_SCOPE) -> Callable[[F], F]:
    """Send visitors without a session granting ``scope`` to the login page."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scopes = current_scopes()
            if scopes is None:
                return redirect(url_for("dashboard.login", next=request.path))
            if not apikeys.scope_allows(scopes, scope):
                return render_template("forbidden.html", scope=scope), 403
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
