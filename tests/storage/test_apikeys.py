"""API keys: shown once, stored hashed, found by prefix, compared in constant time, revocable."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badgeapp.storage import apikeys, db
from badgeapp.storage.models import ApiKey


def _create(app, *scopes: str, name: str = "ci") -> tuple[str, str]:
    with db.session_scope(app) as session:
        row, key = apikeys.create_key(session, name, scopes)
        return row.prefix, key


def test_only_the_hash_is_stored(app):
    prefix, key = _create(app, "admin")
    with db.session_scope(app) as session:
        row = session.scalars(sa.select(ApiKey)).one()
        stored = [str(v) for v in (row.name, row.prefix, row.key_hash, row.scopes)]
    assert key.startswith(f"bdg_{prefix}_")
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert not any(key in value for value in stored)


def test_the_right_key_is_found(app):
    _prefix, key = _create(app, "upload:pallets/flask")
    with db.session_scope(app) as session:
        row = apikeys.find_key(session, key)
        assert row is not None and row.scope_list == ["upload:pallets/flask"]


def test_a_wrong_key_with_the_right_prefix_is_refused(app):
    prefix, key = _create(app, "admin")
    secret = key.split("_", 2)[2]
    forged = f"bdg_{prefix}_{'A' if secret[0] != 'A' else 'B'}{secret[1:]}"
    with db.session_scope(app) as session:
        assert apikeys.find_key(session, forged) is None
        assert apikeys.find_key(session, key + "x") is None
        assert apikeys.find_key(session, key[:-1]) is None


def test_a_revoked_key_is_refused(app):
    prefix, key = _create(app, "admin")
    with db.session_scope(app) as session:
        assert apikeys.revoke_key(session, prefix).revoked_at is not None
    with db.session_scope(app) as session:
        assert apikeys.find_key(session, key) is None
        assert [r.prefix for r in apikeys.list_keys(session, include_revoked=False)] == []
        assert [r.prefix for r in apikeys.list_keys(session)] == [prefix]


def test_revoke_accepts_the_whole_key_and_ignores_unknown_prefixes(app):
    prefix, key = _create(app, "admin")
    with db.session_scope(app) as session:
        assert apikeys.revoke_key(session, "00000000") is None
        assert apikeys.revoke_key(session, key).prefix == prefix


def test_prefixes_are_unique(app):
    prefixes = {_create(app, "admin", name=str(i))[0] for i in range(20)}
    assert len(prefixes) == 20


@pytest.mark.parametrize(
    ("granted", "wanted", "allowed"),
    [
        (["admin"], "upload:a/b", True),
        (["upload:a/b"], "upload:a/b", True),
        (["upload:a/b"], "upload:a/c", False),
        (["upload:a/*"], "upload:a/c", True),
        (["upload:a/*"], "upload:ab/c", False),
        (["upload:a/*"], "upload:a/", False),
        (["buttons"], "upload:a/b", False),
        (["upload:a/b", "buttons"], "buttons", True),
        ([], "admin", False),
        (["upload:a/b"], "admin", False),
    ],
)
def test_scope_allows(granted, wanted, allowed):
    assert apikeys.scope_allows(granted, wanted) is allowed


@pytest.mark.parametrize("bad", ["", "  ", "Admin", "upload:", "upload::x", ":x", "a:b c:"])
def test_invalid_scopes_are_rejected(bad):
    with pytest.raises(apikeys.InvalidScope):
        apikeys.normalise_scopes([bad])


def test_scopes_are_split_and_deduplicated():
    assert apikeys.normalise_scopes(["admin buttons", "admin"]) == "admin buttons"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # read-only use
@given(st.text(max_size=120) | st.from_regex(r"bdg_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", fullmatch=True))
def test_arbitrary_strings_never_authenticate(app, text):
    with db.session_scope(app) as session:
        assert apikeys.find_key(session, text) is None
