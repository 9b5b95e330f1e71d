"""require_scope: 401 without a valid key, 403 without the scope, the view runs otherwise."""

from __future__ import annotations

import logging

import pytest
from flask import g, jsonify

from badgeapp import create_app
from badgeapp.auth import AuthError, bearer_token, check_api_key, require_scope
from badgeapp.storage import apikeys, db


def guarded(app):
    """Add two test views guarded by require_scope to ``app``."""

    @require_scope("admin")
    def admin_only():
        return jsonify(ok=True, key=g.api_key.prefix)

    @require_scope(lambda org, repo: f"upload:{org}/{repo}")
    def upload(org, repo):
        return jsonify(ok=True, target=f"{org}/{repo}")

    app.add_url_rule("/api/test/admin", view_func=admin_only, methods=["POST"])
    app.add_url_rule("/api/test/upload/<org>/<repo>", view_func=upload, methods=["POST"])
    return app


@pytest.fixture
def guarded_app(app):
    return guarded(app)


def _key(app, *scopes: str) -> str:
    with db.session_scope(app) as session:
        return apikeys.create_key(session, "t", scopes)[1]


def test_missing_key_is_401_with_www_authenticate(guarded_app):
    response = guarded_app.test_client().post("/api/test/admin")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization" in response.get_json()["detail"]


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer bdg_00000000_" + "x" * 40])
def test_invalid_key_is_401(guarded_app, header):
    response = guarded_app.test_client().post("/api/test/admin", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["detail"]


def test_wrong_scope_is_403(guarded_app):
    key = _key(guarded_app, "upload:a/b")
    client = guarded_app.test_client()
    response = client.post("/api/test/admin", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
    assert "admin" in response.get_json()["detail"]
    response = client.post("/api/test/upload/a/c", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403


def test_matching_scope_runs_the_view(guarded_app):
    key = _key(guarded_app, "upload:a/b")
    response = guarded_app.test_client().post(
        "/api/test/upload/a/b", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "target": "a/b"}


def test_admin_key_passes_every_scope(guarded_app):
    key = _key(guarded_app, "admin")
    client = guarded_app.test_client()
    headers = {"Authorization": f"bearer {key}"}
    assert client.post("/api/test/admin", headers=headers).get_json()["key"] == key[4:12]
    assert client.post("/api/test/upload/x/y", headers=headers).status_code == 200


def test_revoked_key_is_401(guarded_app):
    key = _key(guarded_app, "admin")
    with db.session_scope(guarded_app) as session:
        apikeys.revoke_key(session, key)
    response = guarded_app.test_client().post(
        "/api/test/admin", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 401


def test_use_is_recorded(guarded_app):
    key = _key(guarded_app, "admin")
    guarded_app.test_client().post("/api/test/admin", headers={"Authorization": f"Bearer {key}"})
    with db.session_scope(guarded_app) as session:
        assert apikeys.list_keys(session)[0].last_used_at is not None


def test_no_key_appears_in_logs(app_config, caplog):
    """Even with every SQL statement and its parameters logged, the secret never shows."""
    caplog.set_level(logging.DEBUG)
    app_config["DATABASE_ECHO"] = True
    guarded_app = guarded(create_app(app_config))
    key = _key(guarded_app, "upload:a/b")
    client = guarded_app.test_client()
    for path in ("/api/test/admin", "/api/test/upload/a/b"):
        client.post(path, headers={"Authorization": f"Bearer {key}"})
        client.post(path, headers={"Authorization": f"Bearer {key}x"})
    secret = key.split("_", 2)[2]
    assert caplog.records, "expected some log records to inspect"
    assert any("api_keys" in record.getMessage() for record in caplog.records)
    assert secret not in caplog.text
    db.dispose(guarded_app)


def test_check_api_key_function(app):
    key = _key(app, "buttons")
    with app.app_context():
        assert check_api_key(f"Bearer {key}", "buttons").scopes == "buttons"
        with pytest.raises(AuthError) as excinfo:
            check_api_key(f"Bearer {key}", "admin")
        assert excinfo.value.status == 403
        with pytest.raises(AuthError) as excinfo:
            check_api_key(None, "admin")
        assert excinfo.value.status == 401


@pytest.mark.parametrize(
    ("header", "token"),
    [(None, None), ("", None), ("Bearer  abc ", "abc"), ("BEARER x", "x"), ("Token x", None)],
)
def test_bearer_token(header, token):
    assert bearer_token(header) == token


def test_a_new_key_used_by_many_requests_at_once(guarded_app):
    """Recording last_used_at must not make concurrent requests fail with 'database is locked'."""
    from concurrent.futures import ThreadPoolExecutor

    key = _key(guarded_app, "admin")

    def call(_: int) -> int:
        client = guarded_app.test_client()
        return client.post(
            "/api/test/admin", headers={"Authorization": f"Bearer {key}"}
        ).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(call, range(48)))
    assert statuses == [200] * 48
    with db.session_scope(guarded_app) as session:
        assert apikeys.find_key(session, key).last_used_at is not None
