"""Provider value resolution shared by every family that shows a provider's value.

``find_provider`` looks a provider up in the plugin registry, ``resolve_with`` asks it for
``<subject...>/<metric>`` (no Flask context needed; plugin exceptions become ``internal
error``), ``request_args`` gathers the request's arguments with a user's bearer token, and
``value_json`` is the ``format=json`` document of a provider badge.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request

from badgeapp.errors import BadgeError, BadgeNotFound
from badgeapp.http.badge_response import value_response
from badgeapp.http.query import FORMATS, BadgeQuery
from badgeapp.plugins import get_registry
from badgeapp.providers.base import ResolveContext, Value

log = logging.getLogger(__name__)


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
    if dot and ext in FORMATS and stem:
        return stem, ext
    return segment, None


def context(
    args: Mapping[str, Any], config: Mapping[str, Any], fresh: float | None = None
) -> ResolveContext:
    """A ResolveContext from request args (first value of each) and the app config."""
    first = {key: args.get(key) for key in args}
    return ResolveContext(args=first, config=config, fresh=fresh)


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
    *,
    fresh: float | None = None,
) -> Resolved:
    """Resolve ``<subject...>/<metric>`` with ``provider`` (no Flask context needed).

    ``fresh``: the oldest cached upstream answer to accept, in seconds (None: the upstream
    default); live pollers and the pre-warm job pass less, so they revalidate sooner.
    """
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
        value = provider.resolve(subject, metric, context(args, config, fresh))
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


def resolved_response(resolved: Resolved, query: BadgeQuery, default_seconds: int) -> Response:
    """The badge (or ``value_json`` document) for a resolved provider value."""
    return value_response(
        resolved.value,
        query,
        label=resolved.metric.replace("_", " "),
        color="blue",
        cache_seconds=default_seconds,
        json_body=value_json(resolved),
    )
