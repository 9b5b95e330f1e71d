"""The GitHub webhook's logic: verify, de-duplicate, and refresh what an event changed.

* ``verify(secret, body, header)``: ``X-Hub-Signature-256`` is ``sha256=`` + the hex
  HMAC-SHA256 of the raw body under the webhook's secret, compared in constant time before
  anything parses the body.
* ``first_delivery(app, delivery_id)``: True the first time an ``X-GitHub-Delivery`` id is
  seen within ``WEBHOOK_DELIVERY_TTL`` seconds, by any worker: the ids live in Redis when
  ``REDIS_URL`` is set (every worker and host), else in an SQLite file in the instance folder
  that every worker of the host shares (``badgeapp.webhooks.deliveries``).
* ``repository_changed(app, owner, repo)``: invalidates ``github:owner/repo`` (cached values,
  rendered badges, every worker once the invalidation contract is cross-process), makes the
  upstream layer revalidate the repository's cached answers, and asks live pollers to poll
  the repository now so watchers get the new values.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from flask import Flask

from badgeapp.badges.invalidation import invalidate, scope_of
from badgeapp.errors import InvalidParameter
from badgeapp.live import request_refresh
from badgeapp.providers.github import expire_repo
from badgeapp.webhooks.deliveries import deliveries_for

#: events that change what a repository's badges show
REFRESH_EVENTS = frozenset(
    {"push", "star", "fork", "issues", "pull_request", "release", "workflow_run"}
)
#: GitHub caps webhook payloads at 25 MB
MAX_PAYLOAD_BYTES = 25 * 1024 * 1024
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_DELIVERY = re.compile(r"^[A-Za-z0-9-]{1,100}$")


def verify(secret: str | None, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the ``sha256=`` HMAC of ``body`` under ``secret`` (constant time)."""
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode("utf-8", "replace"))


def first_delivery(app: Flask, delivery_id: str) -> bool:
    """True the first time any worker sees ``delivery_id`` (kept ``WEBHOOK_DELIVERY_TTL`` s)."""
    if not _DELIVERY.match(delivery_id):
        raise InvalidParameter(detail="bad X-GitHub-Delivery")
    ttl = max(1, int(app.config.get("WEBHOOK_DELIVERY_TTL") or 86400))
    return deliveries_for(app).claim(delivery_id, ttl)


def parse_payload(body: bytes, content_type: str) -> dict[str, Any]:
    """The event's JSON, sent as ``application/json`` or as a form's ``payload`` field."""
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            fields = parse_qs(body.decode("utf-8"), max_num_fields=10)
            text = fields.get("payload", [""])[0]
        else:
            text = body.decode("utf-8")
        payload = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidParameter(detail="the payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidParameter(detail="the payload is not a JSON object")
    return payload


def repository_of(payload: Mapping[str, Any]) -> tuple[str, str]:
    """``(owner, repo)`` from the payload's ``repository.full_name``."""
    repository = payload.get("repository")
    full_name = repository.get("full_name") if isinstance(repository, dict) else None
    if not isinstance(full_name, str) or full_name.count("/") != 1:
        raise InvalidParameter(detail="the payload names no repository")
    owner, repo = full_name.split("/")
    if not (_NAME.match(owner) and _NAME.match(repo)):
        raise InvalidParameter(detail="bad repository name")
    return owner, repo


def repository_changed(app: Flask, owner: str, repo: str) -> int:
    """Refresh everything shown about ``owner/repo``; returns how many upstream answers expired."""
    scope = scope_of("github", owner, repo)
    expired = expire_repo(app.config, owner, repo)
    invalidate(scope)
    request_refresh(app, scope)
    return expired
