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

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, request

from badgeapp.errors import BadgeError, BadgeNotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import badge_response, not_found_response, query_too_long
from badgeapp.http.query import BadgeQuery, parse_query
from badgeapp.plugins import get_registry
from badgeapp.providers.base import ResolveContext, Value

log = logging.getLogger(__name__)

bp = Blueprint("providers", __name__)
bp.before_request(query_too_long)

#: cache lifetime of a provider badge whose value names none (seconds)
DEFAULT_CACHE_SECONDS = 300
#: a stale value is re-asked for soon
STALE_CACHE_SECONDS = 60
FORMAT_SUFFIXES = ("svg", "png", "json")


@dataclasses.dataclass(frozen=True)
class Resolved:
    """One resolved provider badge: who, about what, which metric, and the value."""

    provider: str
    subject: tuple[str, ...]
    metric: str
    value: Value


def split_suffix(segment: str) -> tuple[str, str | None]:
    """``stars.svg`` -> (``stars``, ``svg``); no known suffix -> (segment, None)."""
    stem, dot, ext = segment.rpartition(".")
    if dot and ext in FORMAT_SUFFIXES and stem:
        return stem, ext
    return segment, None


def context(args: Mapping[str, Any], config: Mapping[str, Any]) -> ResolveContext:
    """A ResolveContext from request args (first value of each) and the app config."""
    first = {key: args.get(key) for key in args}
    return ResolveContext(args=first, config=config)


def request_args() -> dict[str, Any]:
    """The current request's args; a user's token from ``Authorization: Bearer`` as ``token``.

    Providers that can act for a user (GitHub) read ``args["token"]``; the response path
    answers such requests ``Cache-Control: private``, and the upstream cache keys them apart.
    """
    args: dict[str, Any] = {key: request.args.get(key) for key in request.args}
    auth = request.headers.get("Authorization", "")
    scheme, _, credential = auth.partition(" ")
    if not args.get("token") and scheme.lower() in ("bearer", "token") and credential.strip():
        args["token"] = credential.strip()
    return args


def find_provider(provider_name: str) -> Any:
    """The registered provider called ``provider_name``; ``BadgeNotFound`` when none."""
    provider = get_registry().providers().get(provider_name)
    if provider is None:
        raise BadgeNotFound(detail=f"no provider {provider_name!r}")
    return provider


def resolve_with(
    provider: Any,
    parts: list[str],
    args: Mapping[str, Any],
    config: Mapping[str, Any],
) -> Resolved:
    """Resolve ``<subject...>/<metric>`` with ``provider`` (no Flask context needed)."""
    name = provider.name
    if not parts:
        raise BadgeNotFound(detail="no metric")
    metric = parts[-1]
    subject = tuple(parts[:-1])
    metrics = getattr(provider, "metrics", None) or {}
    if metrics and metric not in metrics:
        raise BadgeNotFound(detail=f"{name} has no metric {metric!r}")
    if not hasattr(provider, "check_subject") and len(subject) != provider.subject_parts:
        raise BadgeNotFound(detail=f"{name} takes {provider.subject_parts} segments")
    try:
        value = provider.resolve(subject, metric, context(args, config))
    except BadgeError:
        raise
    except (Exception, SystemExit) as exc:  # a plugin's sys.exit() must not end the worker
        log.exception("provider %s failed on %s/%s", name, "/".join(subject), metric)
        raise BadgeError("internal error", detail=f"provider error: {type(exc).__name__}") from exc
    if not isinstance(value, Value):
        raise BadgeError("internal error", detail="provider returned no Value")
    return Resolved(name, subject, metric, value)


def resolve_path(
    provider_name: str,
    parts: list[str],
    args: Mapping[str, Any],
    config: Mapping[str, Any] | None = None,
) -> Resolved:
    """Resolve ``provider/<subject...>/<metric>``; raise ``BadgeError`` (404 when unknown)."""
    provider = find_provider(provider_name)
    return resolve_with(provider, parts, args, current_app.config if config is None else config)


def value_json(resolved: Resolved) -> dict[str, Any]:
    """The ``format=json`` document of a provider badge."""
    value = resolved.value
    raw = value.raw
    if not isinstance(raw, str | int | float | bool | list | dict | type(None)):
        raw = str(raw)
    return {
        "provider": resolved.provider,
        "subject": "/".join(resolved.subject),
        "metric": resolved.metric,
        "value": raw,
        "display": value.display,
        "color": value.color,
        "fetched_at": value.fetched_at.isoformat(),
        "stale": value.stale,
    }


def value_response(
    resolved: Resolved, query: BadgeQuery, default_seconds: int = DEFAULT_CACHE_SECONDS
) -> Response:
    """The badge (or JSON) for a resolved value, with ``X-Badge-Stale`` when stale."""
    value = resolved.value
    spec = query.spec(
        label=value.label or resolved.metric.replace("_", " "),
        message=value.display,
        color=value.color or "blue",
    )
    seconds = value.cache_seconds if value.cache_seconds is not None else default_seconds
    if value.stale:
        seconds = min(seconds, STALE_CACHE_SECONDS)
    response = badge_response(
        spec,
        query,
        cache_seconds=seconds,
        json_body=value_json(resolved),
        last_modified=value.fetched_at,
    )
    if value.stale:
        response.headers["X-Badge-Stale"] = "1"
    return response


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
    return value_response(resolved, query)


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The provider family's blueprint."""
    return [bp]
