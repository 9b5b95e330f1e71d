"""GitHub GraphQL for the API providers: one query through the upstream layer, shields' errors.

``graphql_data(fetch, query, variables, missing=...)`` runs ``query`` with
``badgeapp.upstream.graphql.github_graphql`` (the GitHub token pool, the upstream store's
cache, the badge's time budget), records staleness and age on the ``Fetcher`` like a GET
does, and turns a ``GraphQLFailure`` into the badge error shields shows: GitHub's
``NOT_FOUND`` is ``NotFound(missing)``, a server without GitHub tokens is
``improperly configured`` (GraphQL refuses anonymous calls), anything else ``inaccessible``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from badgeapp.errors import ImproperlyConfigured, Inaccessible, NotFound
from badgeapp.upstream import github_pool
from badgeapp.upstream.graphql import GraphQLFailure, github_graphql

from .api import Fetcher


def graphql_data(
    fetch: Fetcher, query: str, variables: Mapping[str, Any], *, missing: str = "not found"
) -> dict[str, Any]:
    """The ``data`` object of GitHub's answer to ``query`` (see the module docstring)."""
    try:
        result = github_graphql(
            fetch.config, query, variables, fresh=fetch.ctx.fresh, deadline=fetch.deadline
        )
    except GraphQLFailure as failure:
        if failure.kind == "not_found":
            raise NotFound(missing) from None
        if failure.kind == "no_tokens" and not github_pool(fetch.config):
            raise ImproperlyConfigured(detail="GitHub GraphQL needs GITHUB_TOKEN(S)") from None
        raise Inaccessible(detail=f"GitHub GraphQL: {failure.detail}"[:200]) from None
    fetch.stale = fetch.stale or result.stale
    if fetch.fetched_at is None or result.fetched_at < fetch.fetched_at:
        fetch.fetched_at = result.fetched_at
    return result.data
