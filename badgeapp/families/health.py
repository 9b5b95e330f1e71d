"""Operational endpoints: ``GET /health`` and ``GET /plugins/list``.

``/health`` reports ``healthy`` (200), ``degraded`` (200: a plugin failed to load or clashes
with another, or the cache is unreachable) or ``unhealthy`` (503: the database is unreachable).
``services`` maps each service to its status string as the rank spec's HealthResponse does; that
is all the public sees (``github``: the token pool's state, ``down`` when every token
is exhausted). ``details`` (the backend, the error text, plugin counts, failed and
clashing plugins) is added only for a request with ``Authorization: Bearer KEY`` of a key with
the ``admin`` scope: error texts name database and Redis hosts, ports and database names. A
failing check is also written to the log with its error.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from badgeapp.auth import AuthError, check_api_key
from badgeapp.extensions import cache, limiter
from badgeapp.hookspecs import hookimpl
from badgeapp.plugins import get_registry, installed_version
from badgeapp.storage.apikeys import ADMIN_SCOPE
from badgeapp.upstream import github_pool

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def _check_cache() -> dict[str, Any]:
    backend = current_app.config["CACHE_TYPE"]
    try:
        cache.set("health:probe", "ok", timeout=10)
        ok = cache.get("health:probe") == "ok"
    except Exception as exc:  # the cache backend (Redis) is down
        return {"status": "unavailable", "backend": backend, "error": str(exc)}
    return {"status": "operational" if ok else "unavailable", "backend": backend}


def _check_database() -> dict[str, Any]:
    url = current_app.config["DATABASE_URL"]
    backend = url.split(":", 1)[0].split("+", 1)[0]
    try:
        db = importlib.import_module("badgeapp.storage.db")
    except ImportError:
        return {"status": "not configured", "backend": backend}
    try:
        db.ping(current_app)
    except Exception as exc:
        return {"status": "unavailable", "backend": backend, "error": str(exc)}
    return {"status": "operational", "backend": backend}


def _check_github() -> dict[str, Any]:
    """The GitHub token pool: operational, degraded (tokens low or some exhausted), down (all
    exhausted) or not configured (no GITHUB_TOKEN/GITHUB_TOKENS)."""
    try:
        pool = github_pool(current_app.config)
        return {"status": pool.health(), "tokens": len(pool.tokens)}
    except Exception as exc:  # the upstream store (Redis) is down
        return {"status": "degraded", "error": str(exc)}


def _check_plugins() -> dict[str, Any]:
    registry = get_registry()
    plugins = registry.plugins()
    failed = [p.name for p in plugins if p.error]
    clashes = registry.clashes()
    return {
        "status": "degraded" if failed or clashes else "operational",
        "loaded": len(plugins) - len(failed),
        "failed": failed,
        "clashes": clashes,
    }


def _admin_view() -> bool:
    """True for a request carrying an API key with the admin scope (never raises: a health
    probe answers whatever the key or the database)."""
    header = request.headers.get("Authorization")
    if not header:
        return False
    try:
        check_api_key(header, ADMIN_SCOPE)
    except AuthError:
        return False
    except Exception:  # the database is down: the key cannot be checked
        log.warning("health: the API key could not be checked", exc_info=True)
        return False
    return True


@bp.get("/health")
@limiter.exempt
def health() -> tuple[Response, int]:
    details = {
        "cache": _check_cache(),
        "database": _check_database(),
        "plugins": _check_plugins(),
        "github": _check_github(),
    }
    if details["database"]["status"] == "unavailable":
        status = "unhealthy"
    elif any(s["status"] not in ("operational", "not configured") for s in details.values()):
        status = "degraded"
    else:
        status = "healthy"
    for name, check in details.items():
        if check.get("error"):
            log.warning("health: %s is %s: %s", name, check["status"], check["error"])
    body = {
        "status": status,
        "version": installed_version(),
        "timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        # the rank spec's HealthResponse: services maps a name to a status string
        "services": {name: check["status"] for name, check in details.items()},
    }
    if _admin_view():
        body["details"] = details
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 503 if status == "unhealthy" else 200


def plugin_list() -> list[dict[str, Any]]:
    """Every plugin with its source, version, hooks, metrics and load error."""
    registry = get_registry()
    by_plugin = registry.providers_by_plugin()
    rows = []
    for info in registry.plugins():
        metrics = {
            provider.name: sorted(provider.metrics) for provider in by_plugin.get(info.name, [])
        }
        rows.append(
            {
                "name": info.name,
                "version": info.version,
                "source": info.source,
                "hooks": registry.hooks_of(info.name),
                "providers": metrics,
                "metrics": sorted({m for names in metrics.values() for m in names}),
                "error": info.error,
                "clash": info.clash,
            }
        )
    return rows


@bp.get("/plugins/list")
def plugins_list() -> Response:
    return jsonify({"plugins": plugin_list()})


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]
