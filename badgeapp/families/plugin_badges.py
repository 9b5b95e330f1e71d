"""The plugin badge family: ``/v2/badge/plugin/<plugin>/<metric>`` for drop-in and pip plugins.

The plugin is a provider without a subject (``subject_parts == 0``) in the registry: a
drop-in ``plugins/NAME.py`` with ``get_metric(metric)`` (the shipped ``system`` plugin:
cpu, memory, disk) or a pip package's ``badgeapp_providers`` hook. Plugin code is not
trusted to behave: it runs in a worker thread pool with a time limit (``PLUGIN_TIMEOUT``,
default 3 s) through ``badgeapp.badges.plugin_runner``; an exception becomes a ``plugin
error`` badge, a timeout an ``unresponsive`` one, never a 500.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from badgeapp.badges.plugin_runner import run_plugin
from badgeapp.badges.provider_values import Resolved, resolved_response, split_suffix
from badgeapp.errors import BadgeError, BadgeNotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import badge_response, not_found_response, query_too_long
from badgeapp.http.query import parse_query
from badgeapp.plugins import get_registry
from badgeapp.upstream import setting

bp = Blueprint("plugin_badges", __name__)
bp.before_request(query_too_long)

#: live values: a short default lifetime
DEFAULT_CACHE_SECONDS = 30


@bp.get("/v2/badge/plugin/<plugin>/<metric>")
def plugin_badge(plugin: str, metric: str) -> Response:
    """``/v2/badge/plugin/system/cpu``: a plugin's metric as a badge."""
    metric, fmt = split_suffix(metric)
    query = parse_query(request.args, fmt=fmt)
    provider = get_registry().providers().get(plugin)
    if provider is None or getattr(provider, "subject_parts", None) != 0:
        return not_found_response(request.path)
    metrics = getattr(provider, "metrics", None) or {}
    if metrics and metric not in metrics:
        return not_found_response(request.path)
    timeout = setting(current_app.config, "PLUGIN_TIMEOUT")
    try:
        value = run_plugin(provider, metric, request.args, current_app.config, timeout)
    except BadgeNotFound:
        return not_found_response(request.path)
    except BadgeError as error:
        return badge_response(error, query, label=metric, cache_seconds=DEFAULT_CACHE_SECONDS)
    return resolved_response(Resolved(plugin, (), metric, value), query, DEFAULT_CACHE_SECONDS)


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The plugin badge family's blueprint."""
    return [bp]
