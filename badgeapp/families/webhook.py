"""The webhook family: ``POST /webhook/github`` refreshes a repository's badges when it changes.

Thin: the signature is checked over the raw body before anything parses it; a missing or wrong
signature (or no ``GITHUB_WEBHOOK_SECRET``) is a 401 that changes nothing; a delivery id seen
before is acknowledged and skipped; ``push``, ``star``, ``fork``, ``issues``, ``pull_request``,
``release`` and ``workflow_run`` refresh the repository (``badgeapp.webhooks.github``);
``ping`` and other events are acknowledged.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from badgeapp.errors import BadgeError
from badgeapp.hookspecs import hookimpl
from badgeapp.http.api_errors import json_error
from badgeapp.webhooks import github

bp = Blueprint("webhook", __name__)


def _raw_body() -> bytes | None:
    """The request body, or None when it is larger than GitHub ever sends."""
    length = request.content_length
    if length is not None and length > github.MAX_PAYLOAD_BYTES:
        return None
    body = request.stream.read(github.MAX_PAYLOAD_BYTES + 1)
    return None if len(body) > github.MAX_PAYLOAD_BYTES else body


@bp.post("/webhook/github")
def github_webhook() -> Response:
    """Verify, de-duplicate and apply one GitHub webhook delivery."""
    body = _raw_body()
    if body is None:
        return json_error("PayloadTooLarge", 413, "webhook payload too large")
    secret = current_app.config["GITHUB_WEBHOOK_SECRET"]
    if not secret:
        return json_error("Unauthorized", 401, "the GitHub webhook is not configured")
    if not github.verify(secret, body, request.headers.get("X-Hub-Signature-256")):
        return json_error("Unauthorized", 401, "missing or wrong X-Hub-Signature-256")
    event = request.headers.get("X-GitHub-Event", "")[:100]
    delivery = request.headers.get("X-GitHub-Delivery", "")
    try:
        if delivery and not github.first_delivery(current_app._get_current_object(), delivery):
            return jsonify(ok=True, event=event, delivery=delivery, duplicate=True)
        if event == "ping":
            return jsonify(ok=True, event=event, delivery=delivery)
        if event not in github.REFRESH_EVENTS:
            response = jsonify(ok=True, event=event, delivery=delivery, ignored=True)
            response.status_code = 202
            return response
        payload = github.parse_payload(body, request.mimetype or "")
        owner, repo = github.repository_of(payload)
    except BadgeError as error:
        return json_error("InvalidParameter", 400, error.detail)
    expired = github.repository_changed(current_app._get_current_object(), owner, repo)
    return jsonify(
        ok=True, event=event, delivery=delivery, repository=f"{owner}/{repo}", expired=expired
    )


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    """The webhook family's blueprint."""
    return [bp]
