"""The plugin badge family: ``/v2/badge/plugin/<plugin>/<metric>`` for drop-in and pip plugins.

The plugin is a provider without a subject (``subject_parts == 0``) in the registry: a
drop-in ``plugins/NAME.py`` with ``get_metric(metric)`` (the shipped ``system`` plugin:
cpu, memory, disk) or a pip package's ``badgeapp_providers`` hook. Plugin code is not
trusted to behave: it runs in a worker thread pool with a time limit (``PLUGIN_TIMEOUT``,
default 3 s); an exception becomes a ``plugin error`` badge, a timeout an
``unresponsive`` one, never a 500. At most ``MAX_IN_FLIGHT`` calls of one plugin run at a
time, so a plugin that hangs cannot take every worker thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from typing import Any

from flask import Blueprint, Response, current_app, request

from badgeapp.errors import BadgeError, BadgeNotFound, Inaccessible
from badgeapp.families.providers import Resolved, context, split_suffix, value_response
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import badge_response, not_found_response, query_too_long
from badgeapp.http.query import parse_query
from badgeapp.plugins import get_registry
from badgeapp.providers.base import Value
from badgeapp.upstream import setting

log = logging.getLogger(__name__)

bp = Blueprint("plugin_badges", __name__)
bp.before_request(query_too_long)

#: live values: a short default lifetime
DEFAULT_CACHE_SECONDS = 30
#: calls of one plugin that may run at once (the rest are refused at once)
MAX_IN_FLIGHT = 4

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=32, thread_name_prefix="plugin")
_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


class PluginError(BadgeError):
    """A plugin raised something that is not a badge error (JSON: 502, the plugin failed)."""

    message = "plugin error"
    status = 502


class PluginTimeout(Inaccessible):
    """A plugin did not answer within ``PLUGIN_TIMEOUT``."""

    message = "unresponsive"
    status = 504


def _slot(name: str) -> threading.BoundedSemaphore:
    with _slots_lock:
        slot = _slots.get(name)
        if slot is None:
            slot = _slots[name] = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        return slot


def run_plugin(provider: Any, metric: str, args: Any, config: Any, timeout: float) -> Value:
    """``provider.resolve((), metric, ctx)`` in the pool, bounded by ``timeout`` seconds."""
    slot = _slot(provider.name)
    if not slot.acquire(blocking=False):
        raise PluginTimeout(detail=f"plugin {provider.name} is busy")
    ctx = context(args, config)

    def call() -> Value:
        try:
            return provider.resolve((), metric, ctx)
        finally:
            slot.release()

    try:
        future = _pool.submit(call)
    except RuntimeError as exc:  # interpreter shutting down
        slot.release()
        raise PluginError(detail="plugin pool unavailable") from exc
    try:
        value = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise PluginTimeout(detail=f"plugin {provider.name} took longer than {timeout}s") from None
    except BadgeError:
        raise
    except BaseException as exc:  # SystemExit/KeyboardInterrupt too: they come from plugin code
        log.warning("plugin %s failed on %s: %r", provider.name, metric, exc)
        raise PluginError(detail=f"plugin {provider.name} raised {type(exc).__name__}") from exc
    if not isinstance(value, Value):
        raise PluginError(detail=f"plugin {provider.name} returned {type(value).__name__}")
    return value


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
    return value_response(Resolved(plugin, (), metric, value), query, DEFAULT_CACHE_SECONDS)


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The plugin badge family's blueprint."""
    return [bp]
