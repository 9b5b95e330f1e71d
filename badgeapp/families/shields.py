"""The shields family: shields' live routes as shields spells them, endpoint and dynamic badges.

``/github/stars/{user}/{repo}``, ``/pypi/v/{package}``, ``/npm/v/{package}`` ... (the table in
``badgeapp.shields.table``) answer with shields' default label, message and colours, from the
provider plugins through the upstream layer; every global parameter applies, with or without a
``.svg`` / ``.png`` / ``.json`` suffix on the last segment. ``/endpoint?url=`` and
``/badge/dynamic/{json,yaml,xml}?url=&query=`` fetch the user's URL through safe fetch.

A path under a known service that matches no route answers shields' ``404 | badge not found``;
retired routes answer shields' grey ``no longer available``.
"""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, current_app, request

from badgeapp.badges.provider_values import request_args, split_suffix
from badgeapp.errors import BadgeNotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import (
    badge_response,
    not_found_response,
    query_too_long,
    value_response,
)
from badgeapp.http.query import BadgeQuery, parse_query, resolve_logo
from badgeapp.shields import dynamic
from badgeapp.shields.table import SERVICES, answer

bp = Blueprint("shields", __name__)
bp.before_request(query_too_long)


def _split(path: str) -> tuple[str, str | None]:
    head, _, last = path.rpartition("/")
    stem, fmt = split_suffix(last)
    return (f"{head}/{stem}" if head else stem), fmt


def _with_default_logo(query: BadgeQuery, logo: str | None) -> BadgeQuery:
    """Shields draws a route's default logo only in the social style, and never over ``?logo``."""
    if not logo or query.style != "social" or query.logo:
        return query
    return dataclasses.replace(query, logo=resolve_logo(logo, query.logo_color, "social"))


_SERVICES = ", ".join(f'"{name}"' for name in SERVICES)


@bp.get(f"/<any({_SERVICES}):service>/<path:rest>", merge_slashes=False)
@bp.get(f"/<any({_SERVICES}):service>", defaults={"rest": ""})
@bp.get(f"/<any({_SERVICES}):service>.<any(svg, png, json):ext>", defaults={"rest": ""})
def shields_route(
    service: str, rest: str, ext: str | None = None, path_override: str | None = None
) -> Response:
    """Every shields live route of the table (``/website?url=`` has no path after the name)."""
    path, fmt = _split(f"{service}/{rest}") if rest else (service, ext)
    if path_override is not None:
        path, fmt = _split(path_override)
    try:
        found = answer(path, request_args(), current_app.config)
    except BadgeNotFound:
        return not_found_response(request.path)
    # a route's own style (twitter: social) is part of its drawing, not of its error badges
    style = found.route.style if found.error is None else None
    query = parse_query(request.args, fmt=fmt, style=style)
    seconds = found.route.cache_seconds
    if found.error is not None:
        if isinstance(found.error, BadgeNotFound):
            return not_found_response(request.path)
        return badge_response(found.error, query, label=found.label, cache_seconds=seconds)
    assert found.value is not None
    value = dataclasses.replace(found.value, label=found.label)
    query = _with_default_logo(query, found.route.logo)
    return value_response(value, query, label=found.label, cache_seconds=seconds)


@bp.get("/website-<path:rest>", merge_slashes=False)
def website_legacy(rest: str) -> Response:
    """Shields' older ``/website-UP-DOWN-UPCOLOR-DOWNCOLOR/PROTOCOL/HOST`` spelling."""
    return shields_route("website", "", path_override=f"website-{rest}")


@bp.get("/endpoint", defaults={"ext": None})
@bp.get("/endpoint.<any(svg, png, json):ext>")
def endpoint(ext: str | None) -> Response:
    """Shields' endpoint badge: the JSON at ``?url=`` says what to draw."""
    query = parse_query(request.args, fmt=ext)
    badge, seconds = dynamic.endpoint_badge(request.args, query, current_app.config)
    return badge_response(badge, query, label=dynamic.DEFAULT_LABEL, cache_seconds=seconds)


@bp.get("/badge/dynamic/<kind>")
def dynamic_badge(kind: str) -> Response:
    """``/badge/dynamic/json|yaml|xml?url=&query=``: a value picked out of a fetched document."""
    kind, fmt = split_suffix(kind)
    if kind not in dynamic.KINDS:
        return not_found_response(request.path)
    query = parse_query(request.args, fmt=fmt)
    badge, seconds = dynamic.dynamic_badge(kind, request.args, query, current_app.config)
    return badge_response(badge, query, label=dynamic.DEFAULT_LABEL, cache_seconds=seconds)


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The shields family's blueprint."""
    return [bp]
