"""Stored themes in the database: list, get, save, rename, duplicate, delete.

Every document is validated by the engine's ``load_theme`` before it is written, and names may
not shadow a built-in or plugin theme. Each change commits, then calls
``invalidate("theme:<name>")`` and ``invalidate("themes")`` so cached badges and the plugin
registry's theme list are dropped in every worker (``badgeapp.badges.invalidation``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from badgeapp.badges.invalidation import invalidate, scope_of
from badgeapp.render.themes import THEME_NAMES, load_theme
from badgeapp.storage.db import session_scope
from badgeapp.storage.models import StoredTheme, utcnow

log = logging.getLogger(__name__)

#: the largest theme document accepted (import, install), in bytes of JSON
MAX_THEME_BYTES = 64 * 1024
#: the invalidation scope that changes with any stored theme (the registry's theme list)
ALL_THEMES_SCOPE = "themes"


class ThemeStoreError(ValueError):
    """A theme could not be stored; ``field`` names the offending field (or ``name``)."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


def field_of(message: str) -> str:
    """The field a ``load_theme`` error names (``border.width: ...`` -> ``border.width``)."""
    head = message.split(":", 1)[0].strip()
    return head.split("[", 1)[0] if "[" in head else head


def validate_doc(doc: Any) -> dict[str, Any]:
    """The validated, normalised document (``Theme.to_doc``); ThemeStoreError names the field."""
    try:
        theme = load_theme(doc)
    except ValueError as exc:
        raise ThemeStoreError(str(exc), field_of(str(exc))) from None
    text = json.dumps(theme.to_doc())
    if len(text.encode()) > MAX_THEME_BYTES:
        raise ThemeStoreError("theme document larger than 64 KiB", "theme")
    return theme.to_doc()


def parse_json(text: str | bytes) -> dict[str, Any]:
    """A theme document from JSON text (at most 64 KiB), validated."""
    if len(text) > MAX_THEME_BYTES:
        raise ThemeStoreError("theme document larger than 64 KiB", "theme")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise ThemeStoreError("not valid JSON", "theme") from None
    return validate_doc(doc)


def _changed(*names: str) -> None:
    for name in names:
        invalidate(scope_of("theme", name))
    invalidate(ALL_THEMES_SCOPE)


def list_docs(app: Flask | None = None) -> list[dict[str, Any]]:
    """Every stored theme document, by name."""
    with session_scope(app) as session:
        rows = session.scalars(select(StoredTheme).order_by(StoredTheme.name))
        return [dict(row.doc, name=row.name) for row in rows]


def list_rows(app: Flask | None = None) -> list[dict[str, Any]]:
    """Every stored theme with its origin and timestamps, by name."""
    with session_scope(app) as session:
        rows = session.scalars(select(StoredTheme).order_by(StoredTheme.name))
        return [
            {
                "name": row.name,
                "doc": dict(row.doc, name=row.name),
                "origin": row.origin,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
            for row in rows
        ]


def rows_if_available(app: Flask | None = None) -> list[dict[str, Any]]:
    """``list_rows``, or nothing when the database is down or not migrated (pages still work)."""
    try:
        return list_rows(app)
    except SQLAlchemyError:
        log.warning("stored themes unavailable (is the database migrated?)", exc_info=True)
        return []


def get_doc(name: str, app: Flask | None = None) -> dict[str, Any] | None:
    """The stored document named ``name``, or None."""
    with session_scope(app) as session:
        row = session.scalars(select(StoredTheme).where(StoredTheme.name == name)).one_or_none()
        return dict(row.doc, name=row.name) if row is not None else None


def version(app: Flask | None = None) -> tuple[int, str]:
    """(count, newest update) of the stored themes: changes whenever one is saved or deleted."""
    with session_scope(app) as session:
        count, newest = session.execute(
            select(func.count(StoredTheme.id), func.max(StoredTheme.updated_at))
        ).one()
        return int(count or 0), str(newest)


def check_name_free(name: str, reserved: Iterable[str] = ()) -> None:
    """Refuse names of built-in themes and of themes other plugins serve."""
    if name in THEME_NAMES or name in set(reserved):
        raise ThemeStoreError(f"name: {name!r} is a built-in or plugin theme", "name")


def save(
    doc: Mapping[str, Any],
    *,
    origin: str = "editor",
    replace: bool = True,
    reserved: Iterable[str] = (),
    app: Flask | None = None,
) -> dict[str, Any]:
    """Create or update the stored theme ``doc["name"]``; returns the stored document.

    ``replace=False`` refuses a name that is already stored. ``reserved``: names served by
    plugins (they may not be shadowed).
    """
    clean = validate_doc(doc)
    name = clean["name"]
    check_name_free(name, reserved)
    try:
        with session_scope(app) as session:
            row = session.scalars(select(StoredTheme).where(StoredTheme.name == name)).one_or_none()
            if row is not None and not replace:
                raise ThemeStoreError(f"name: a theme named {name!r} exists already", "name")
            if row is None:
                session.add(StoredTheme(name=name, doc=clean, origin=origin[:2048]))
            else:
                row.doc = clean
                row.origin = origin[:2048]
                row.updated_at = utcnow()
    except IntegrityError:  # saved concurrently under the same name
        raise ThemeStoreError(f"name: a theme named {name!r} exists already", "name") from None
    _changed(name)
    return clean


def rename(
    old: str, new: str, *, reserved: Iterable[str] = (), app: Flask | None = None
) -> dict[str, Any]:
    """Give the stored theme ``old`` the name ``new`` (which must be free)."""
    doc = get_doc(old, app)
    if doc is None:
        raise ThemeStoreError(f"no stored theme named {old!r}", "name")
    clean = validate_doc(dict(doc, name=new))
    check_name_free(new, reserved)
    try:
        with session_scope(app) as session:
            if session.scalars(select(StoredTheme).where(StoredTheme.name == new)).first():
                raise ThemeStoreError(f"name: a theme named {new!r} exists already", "name")
            row = session.scalars(select(StoredTheme).where(StoredTheme.name == old)).one()
            row.name = new
            row.doc = clean
            row.updated_at = utcnow()
    except IntegrityError:
        raise ThemeStoreError(f"name: a theme named {new!r} exists already", "name") from None
    _changed(old, new)
    return clean


def duplicate(
    doc: Mapping[str, Any], new: str, *, reserved: Iterable[str] = (), app: Flask | None = None
) -> dict[str, Any]:
    """Store a copy of ``doc`` (a stored, built-in or plugin theme) under the free name ``new``."""
    return save(
        dict(doc, name=new),
        origin=f"copy of {doc.get('name')}",
        replace=False,
        reserved=reserved,
        app=app,
    )


def delete(name: str, app: Flask | None = None) -> bool:
    """Delete the stored theme ``name``; False when there was none."""
    with session_scope(app) as session:
        row = session.scalars(select(StoredTheme).where(StoredTheme.name == name)).one_or_none()
        if row is None:
            return False
        session.delete(row)
    _changed(name)
    return True
