"""The provider badge family: ``/v2/badge/<provider>/<subject...>/<metric>`` for every provider.

Generic over the plugin registry: the provider named in the path (``github``, ``pypi``, any
plugin's) is looked up in ``get_registry().providers()``; the path after it is split into
the subject (``provider.subject_parts`` segments; a provider may accept other shapes
through its own ``check_subject``) and the metric, which may carry a ``.svg`` / ``.png`` /
``.json`` suffix. Every engine parameter applies; ``format=json`` answers
``{"provider","subject","metric","value","display","color","fetched_at","stale"}``.

A value served from the upstream cache after an upstream failure carries
``X-Badge-Stale: 1`` and a short cache lifetime. Unknown providers and metrics give shields'
``404 | badge not found``; provider errors are error badges (never a 500).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from badgeapp.badges.provider_values import (
    find_provider,
    request_args,
    resolve_with,
    resolved_response,
    split_suffix,
)
from badgeapp.errors import BadgeError, BadgeNotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import badge_response, not_found_response, query_too_long
from badgeapp.http.query import parse_query

bp = Blueprint("providers", __name__)
bp.before_request(query_too_long)

#: cache lifetime of a provider badge whose value names none (seconds)
DEFAULT_CACHE_SECONDS = 300


@bp.get("/v2/badge/<provider>/<path:rest>")
def provider_badge(provider: str, rest: str) -> Response:
    """``/v2/badge/github/pallets/flask/stars`` and every other provider badge."""
    parts = [part for part in rest.split("/") if part != ""]
    if not parts:
        return not_found_response(request.path)
    parts[-1], fmt = split_suffix(parts[-1])
    query = parse_query(request.args, fmt=fmt)
    try:
        found = find_provider(provider)
        if getattr(found, "subject_parts", 0) == 0:  # plugins: /v2/badge/plugin/<name>/<metric>
            raise BadgeNotFound(detail="plugin badges live under /v2/badge/plugin/")
        resolved = resolve_with(found, parts, request_args(), current_app.config)
    except BadgeNotFound:
        return not_found_response(request.path)
    except BadgeError as error:
        label = parts[-1].replace("_", " ")
        return badge_response(error, query, label=label, cache_seconds=DEFAULT_CACHE_SECONDS)
    return resolved_response(resolved, query, DEFAULT_CACHE_SECONDS)


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The provider family's blueprint."""
    return [bp]
