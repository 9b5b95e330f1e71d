"""GitHub GraphQL through the upstream layer: cached, token-pooled, timed-out, retried POSTs.

``github_graphql(config, query, variables, user_token=None)`` returns the ``data`` of a
GraphQL answer. Answers are cached in the upstream store under a key made of the endpoint,
the query text and the variables (and, for a user's own token, a hash of that token: such an
answer is never read under the shared key). A fresh answer (younger than ``fresh`` seconds)
is returned without a call; otherwise one POST is made with a token from the GitHub token
pool (``GITHUB_TOKEN`` / ``GITHUB_TOKENS``) and, when GitHub rate-limits or rejects that
token, with the next one. When GitHub fails (connection, 5xx, every token exhausted) the
last good answer is served with ``stale=True`` up to ``STALE_MAX_AGE``.

Failures are ``GraphQLFailure(kind, ...)`` with ``kind`` one of ``not_found`` (GitHub's
``NOT_FOUND`` error), ``no_tokens`` (the pool is empty or all of it is exhausted before the
call), ``rate_limited`` (GitHub refused every token tried, or the user's token),
``bad_credentials`` (the user's token was rejected) and ``upstream`` (anything else); the
caller maps them onto its own error catalogue. Tokens are never logged or stored: the store
knows them by a short hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Mapping
from typing import Any

from .client import UpstreamUnavailable, http_request
from .settings import setting
from .tokens import TokenPool, is_rate_limited, token_id

#: seconds a rate-limited pool or token is expected to stay unusable when GitHub names no reset
DEFAULT_RETRY_AFTER = 300


class GraphQLFailure(Exception):
    """A GraphQL call that produced no usable data (see the module docstring for ``kind``)."""

    def __init__(self, kind: str, detail: str = "", retry_after: int | None = None) -> None:
        self.kind = kind
        self.detail = detail or kind
        self.retry_after = retry_after
        super().__init__(self.detail)


@dataclasses.dataclass
class GraphQLResult:
    """The ``data`` object of an answer, when it was fetched and whether it is stale."""

    data: dict[str, Any]
    fetched_at: float
    stale: bool = False


def cache_key(url: str, query: str, variables: Mapping[str, Any], user_token: str | None) -> str:
    """The store key of one query: endpoint + query text + variables (+ the user's token hash)."""
    who = "user:" + token_id(user_token) if user_token else "pool"
    text = "\n".join([url, query, json.dumps(dict(variables), sort_keys=True), who])
    return "gql:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def _retry_after(headers: Mapping[str, str]) -> int:
    try:
        if headers.get("x-ratelimit-reset"):
            return max(1, int(float(headers["x-ratelimit-reset"]) - time.time()))
        if headers.get("retry-after"):
            return max(1, int(float(headers["retry-after"])))
    except ValueError:
        pass
    return DEFAULT_RETRY_AFTER


def _error_types(body: Any) -> list[str]:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [str(e.get("type", "")) for e in errors if isinstance(e, dict)]


def _pool_retry_after(pool: TokenPool) -> int:
    """Seconds until the first exhausted token of the pool resets."""
    resets = [float(pool.state(tok).get("reset", 0)) for tok in pool.tokens]
    future = [r - time.time() for r in resets if r > time.time()]
    return max(1, int(min(future))) if future else DEFAULT_RETRY_AFTER


def _post(
    url: str,
    payload: bytes,
    token: str,
    config: Mapping[str, Any] | None,
    deadline: float | None,
):
    from . import get_upstream

    up = get_upstream(config)
    return http_request(
        "POST",
        url,
        headers={"Authorization": f"bearer {token}", "Content-Type": "application/json"},
        body=payload,
        timeouts=up.timeouts,
        user_agent=up.user_agent,
        deadline=deadline,
    )


def github_graphql(
    config: Mapping[str, Any] | None,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    user_token: str | None = None,
    fresh: float | None = None,
    deadline: float | None = None,
) -> GraphQLResult:
    """Run ``query`` against ``GITHUB_GRAPHQL_URL``; see the module docstring for the rules."""
    from . import get_upstream, github_pool

    up = get_upstream(config)
    url = str(setting(config, "GITHUB_GRAPHQL_URL"))
    variables = dict(variables or {})
    key = cache_key(url, query, variables, user_token)
    fresh = up.fresh_seconds if fresh is None else fresh
    record = up.store.get_record(key)
    now = up.clock()
    if isinstance(record, dict) and now - float(record.get("at", 0)) < fresh:
        return GraphQLResult(record["data"], float(record["at"]))

    def stale_or(failure: GraphQLFailure) -> GraphQLResult:
        if isinstance(record, dict) and now - float(record.get("at", 0)) <= up.stale_max_age:
            return GraphQLResult(record["data"], float(record["at"]), stale=True)
        raise failure

    payload = json.dumps({"query": query, "variables": variables}).encode()
    pool = github_pool(config)
    tried: list[str] = []
    while True:
        if user_token:
            token: str | None = None if tried else user_token
            if token is None:
                return stale_or(GraphQLFailure("rate_limited", "your token is rate-limited"))
        else:
            token = pool.pick(exclude=tried)
            if token is None:
                if tried:  # GitHub refused every token we tried in this call
                    return stale_or(
                        GraphQLFailure(
                            "rate_limited",
                            "GitHub rate-limited the service tokens",
                            _pool_retry_after(pool),
                        )
                    )
                detail = "all service tokens are exhausted" if pool else "no service tokens"
                return stale_or(GraphQLFailure("no_tokens", detail, _pool_retry_after(pool)))
        try:
            raw = _post(url, payload, token, config, deadline)
        except UpstreamUnavailable as exc:
            return stale_or(GraphQLFailure("upstream", str(exc)))
        if not user_token:
            pool.record(token, raw.headers)
        try:
            body = json.loads(raw.body or b"null")
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            body = None
        limited = is_rate_limited(raw.status, raw.headers, raw.body) or (
            "RATE_LIMITED" in _error_types(body)
        )
        if limited or raw.status == 401:
            if user_token:
                if raw.status == 401:
                    raise GraphQLFailure("bad_credentials", "GitHub rejected the token")
                return stale_or(
                    GraphQLFailure(
                        "rate_limited", "your token is rate-limited", _retry_after(raw.headers)
                    )
                )
            pool.exhaust(token, raw.headers if limited else {"retry-after": "300"})
            tried.append(token)
            continue
        break
    if raw.status != 200 or not isinstance(body, dict):
        return stale_or(GraphQLFailure("upstream", f"GitHub answered {raw.status}"))
    data = body.get("data")
    types = _error_types(body)
    if "NOT_FOUND" in types:
        raise GraphQLFailure("not_found", "not found on GitHub")
    if not isinstance(data, dict) or (types and not any(v is not None for v in data.values())):
        return stale_or(GraphQLFailure("upstream", "GitHub answered errors: " + ",".join(types)))
    at = up.clock()
    up.store.put_record(key, {"data": data, "at": at}, up.stale_max_age + fresh)
    return GraphQLResult(data, at)
