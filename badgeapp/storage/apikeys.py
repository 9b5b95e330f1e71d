"""API keys: create (shown once), verify (prefix lookup + constant-time hash compare), list, revoke.

A key looks like ``bdg_<prefix>_<secret>``: ``prefix`` (8 hex digits) is stored in clear so
the key can be found and shown in lists; only the sha256 of the whole key is stored. Scopes
are space-separated words from ``SCOPES`` such as ``admin``, ``upload:ORG/REPO``,
``upload:ORG/*`` or ``buttons``; an unknown word is refused when the key is made. Scopes compare
case-insensitively, as project names do (``upload:acme/widgets`` covers ``ACME/Widgets``).
Keys are never logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badgeapp.storage.models import ApiKey, utcnow

KEY_PREFIX = "bdg_"
ADMIN_SCOPE = "admin"
THEMES_SCOPE = "themes"  # manage stored themes (dashboard editor, theme install); admin may too
#: every scope a key may hold, as it is written (``:TARGET`` when the scope takes one); a new
#: scope is one more line here
SCOPES: dict[str, str] = {
    ADMIN_SCOPE: "admin",
    "buttons": "buttons",
    "upload": "upload:ORG/REPO",
    THEMES_SCOPE: "themes",
}
_KEY_RE = re.compile(r"^bdg_([0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")
#: a scope is a word, optionally followed by ``:`` and a target without spaces
SCOPE_RE = re.compile(r"^[a-z][a-z0-9_.-]*(?::[^\s:][^\s]*)?$")
#: ``last_used_at`` is written at most this often per key
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class InvalidScope(ValueError):
    """A scope string that is not a known ``word`` or ``word:target``."""


def valid_scopes_text() -> str:
    """The scopes a key may hold, for messages: ``admin, buttons, upload:ORG/REPO, ...``."""
    return ", ".join(SCOPES[word] for word in sorted(SCOPES))


def check_scope(word: str) -> None:
    """Raise ``InvalidScope`` unless ``word`` is a known scope with a target when it needs one."""
    name, colon, target = word.partition(":")
    usage = SCOPES.get(name.lower())
    if not SCOPE_RE.match(word) or usage is None or (":" in usage) != bool(colon and target):
        raise InvalidScope(f"invalid scope {word!r}: valid scopes are {valid_scopes_text()}")


def hash_key(key: str) -> str:
    """The stored form of a key: its sha256, hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_prefix(key: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    match = _KEY_RE.match(key)
    return match.group(1) if match else None


def normalise_scopes(scopes: Iterable[str]) -> str:
    """Validate and join scopes (each may itself hold several, space-separated)."""
    words: list[str] = []
    for scope in scopes:
        for word in scope.split():
            check_scope(word)
            if word not in words:
                words.append(word)
    if not words:
        raise InvalidScope("a key needs at least one scope")
    return " ".join(words)


def scope_allows(granted: Iterable[str], wanted: str) -> bool:
    """True when one granted scope is ``admin``, equals ``wanted``, or is ``x:a/*`` over it
    (case-insensitively: project names are)."""
    wanted = wanted.casefold()
    for scope in (scope.casefold() for scope in granted):
        if scope in (ADMIN_SCOPE, wanted):
            return True
        if scope.endswith("/*") and wanted.startswith(scope[:-1]) and len(wanted) > len(scope) - 1:
            return True
    return False


def create_key(session: Session, name: str, scopes: Iterable[str]) -> tuple[ApiKey, str]:
    """Store a new key; return the row and the key itself (the only time it is known)."""
    scope_text = normalise_scopes(scopes)
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiKey(name=name, prefix=prefix, key_hash=hash_key(key), scopes=scope_text)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # prefix collision: try another
            continue
        return row, key
    raise RuntimeError("could not find a free key prefix")


def find_key(session: Session, key: str) -> ApiKey | None:
    """The active key row matching ``key`` exactly, or None.

    The row is found by prefix, then the hashes are compared with ``hmac.compare_digest``.
    A malformed key still costs one hash so timing says little about the format.
    """
    candidate_hash = hash_key(key)
    prefix = parse_prefix(key)
    if prefix is None:
        hmac.compare_digest(candidate_hash, "0" * 64)
        return None
    row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()
    stored = row.key_hash if row is not None else "0" * 64
    if not hmac.compare_digest(candidate_hash, stored) or row is None or not row.active:
        return None
    return row


def touch(session: Session, row: ApiKey, now: dt.datetime | None = None) -> None:
    """Record a use of the key (at most once per ``LAST_USED_RESOLUTION``).

    One atomic UPDATE, meant to open its own short transaction: on SQLite a read followed by a
    write in one transaction cannot wait for the lock and fails at once under concurrency.
    """
    now = now or utcnow()
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_RESOLUTION:
        return
    session.execute(
        update(ApiKey)
        .where(ApiKey.id == row.id)
        .where(
            (ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at <= now - LAST_USED_RESOLUTION)
        )
        .values(last_used_at=now)
    )


def list_keys(session: Session, *, include_revoked: bool = True) -> list[ApiKey]:
    """Every key, oldest first."""
    query = select(ApiKey).order_by(ApiKey.id)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return list(session.scalars(query))


def revoke_key(session: Session, prefix: str) -> ApiKey | None:
    """Revoke the key with ``prefix`` (a full key is accepted too); None when unknown."""
    prefix = parse_prefix(prefix) or prefix.removeprefix(KEY_PREFIX).split("_")[0]
    row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
