"""POST /webhook/github: signatures (good, bad, missing), replays, events, what gets refreshed."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from urllib.parse import urlencode

import pytest

from badgeapp import create_app
from badgeapp.badges.invalidation import generation, scope_of

SECRET = "It's a Secret to Everybody"
BADGE = "/v2/badge/github/pallets/flask/stars"
REPO_CALLS = r"^/github/repos/pallets/flask$"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery(client, event="push", body=None, signature="good", delivery_id=None, **kwargs):
    if body is None:
        body = json.dumps({"ref": "refs/heads/main", "repository": {"full_name": "pallets/flask"}})
    body = body.encode() if isinstance(body, str) else body
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "Content-Type": kwargs.pop("content_type", "application/json"),
    }
    if signature == "good":
        headers["X-Hub-Signature-256"] = sign(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post("/webhook/github", data=body, headers=headers)


@pytest.fixture
def hook_app(app_config, fake_upstream):
    return create_app({**app_config, **fake_upstream.config(), "GITHUB_WEBHOOK_SECRET": SECRET})


@pytest.fixture
def hook_client(hook_app):
    return hook_app.test_client()


def test_github_documents_signature_example():
    # the example from GitHub's "Validating webhook deliveries" page
    from badgeapp.webhooks.github import verify

    header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert verify(SECRET, b"Hello, World!", header)
    assert not verify(SECRET, b"Hello, World?", header)
    assert not verify("", b"Hello, World!", header)


def test_a_signed_push_refreshes_the_repository(hook_client, fake_upstream):
    scope = scope_of("github", "pallets", "flask")
    assert hook_client.get(BADGE).status_code == 200
    hook_client.get(BADGE)
    assert fake_upstream.count(REPO_CALLS) == 1  # the second view came from the cache
    before = generation(scope)

    response = delivery(hook_client)

    assert response.status_code == 200
    assert response.json["repository"] == "pallets/flask"
    assert response.json["expired"] >= 1
    assert generation(scope) == before + 1
    hook_client.get(BADGE)
    assert fake_upstream.count(REPO_CALLS) == 2  # revalidated after the push
    assert fake_upstream.count(REPO_CALLS, status=304) == 1  # cheaply: nothing changed


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha256=" + "0" * 64, "sha1=abc", sign(b"other body"), "garbage"],
)
def test_a_missing_or_wrong_signature_is_401_and_changes_nothing(
    hook_client, fake_upstream, signature
):
    scope = scope_of("github", "pallets", "flask")
    hook_client.get(BADGE)
    before = generation(scope)
    response = delivery(hook_client, signature=signature)
    assert response.status_code == 401
    assert response.json["error"] == "Unauthorized"
    assert generation(scope) == before
    hook_client.get(BADGE)
    assert fake_upstream.count(REPO_CALLS) == 1  # still cached


def test_the_signature_is_checked_with_the_configured_secret(hook_client):
    body = b'{"repository": {"full_name": "pallets/flask"}}'
    forged = "sha256=" + hmac.new(b"another secret", body, hashlib.sha256).hexdigest()
    assert delivery(hook_client, body=body, signature=forged).status_code == 401


def test_without_a_secret_every_delivery_is_refused(app_config, fake_upstream):
    client = create_app({**app_config, **fake_upstream.config()}).test_client()
    response = delivery(client)
    assert response.status_code == 401
    assert "not configured" in response.json["message"]


def test_a_replayed_delivery_is_acknowledged_and_skipped(hook_client):
    scope = scope_of("github", "pallets", "flask")
    before = generation(scope)
    first = delivery(hook_client, delivery_id="72d3162e-cc78-11e3-81ab-4c9367dc0958")
    again = delivery(hook_client, delivery_id="72d3162e-cc78-11e3-81ab-4c9367dc0958")
    assert first.status_code == again.status_code == 200
    assert "duplicate" not in first.json
    assert again.json["duplicate"] is True
    assert generation(scope) == before + 1


def test_a_replay_with_a_bad_signature_does_not_burn_the_delivery_id(hook_client):
    delivery_id = str(uuid.uuid4())
    assert delivery(hook_client, signature="sha256=00", delivery_id=delivery_id).status_code == 401
    response = delivery(hook_client, delivery_id=delivery_id)
    assert response.status_code == 200 and "duplicate" not in response.json


@pytest.mark.parametrize(
    "event", ["push", "star", "fork", "issues", "pull_request", "release", "workflow_run"]
)
def test_every_refresh_event(hook_client, event):
    scope = scope_of("github", "pallets", "flask")
    before = generation(scope)
    response = delivery(hook_client, event=event)
    assert response.status_code == 200
    assert generation(scope) == before + 1


def test_ping_and_other_events_are_acknowledged_without_refreshing(hook_client):
    scope = scope_of("github", "pallets", "flask")
    before = generation(scope)
    assert delivery(hook_client, event="ping", body='{"zen": "Keep it simple."}').status_code == 200
    response = delivery(hook_client, event="member")
    assert response.status_code == 202 and response.json["ignored"] is True
    assert generation(scope) == before


def test_form_encoded_deliveries(hook_client):
    scope = scope_of("github", "pallets", "flask")
    before = generation(scope)
    payload = json.dumps({"repository": {"full_name": "pallets/flask"}})
    body = urlencode({"payload": payload})
    response = delivery(hook_client, body=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert generation(scope) == before + 1


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '{"repository": null}',
        '{"repository": {"full_name": "no-slash"}}',
        '{"repository": {"full_name": "a/b/c"}}',
        '{"repository": {"full_name": "bad name/x"}}',
        '{"repository": {"full_name": 7}}',
        b"\xff\xfe",
    ],
)
def test_signed_nonsense_is_a_400(hook_client, body):
    response = delivery(hook_client, body=body)
    assert response.status_code == 400
    assert response.json["error"] == "InvalidParameter"


def test_a_bad_delivery_id_is_a_400(hook_client):
    assert delivery(hook_client, delivery_id="../../etc").status_code == 400


def test_an_oversized_body_is_refused_before_reading(hook_client):
    response = hook_client.post(
        "/webhook/github",
        data=b"x",
        headers={"X-GitHub-Event": "push"},
        environ_overrides={"CONTENT_LENGTH": str(26 * 1024 * 1024)},
    )
    assert response.status_code == 413
