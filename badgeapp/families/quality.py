"""Quality badges (coverage, quality, security, tests) and the report uploads that feed them.

Routes (all under ``/api/v1``):

* ``GET  /badge/<coverage|quality|security|tests>/<org>/<repo>``: the badge of the newest report
  of that kind on ``?branch=`` (default ``QUALITY_DEFAULT_BRANCH``), with every engine parameter.
  ``Cache-Control: max-age=300`` and ``X-Badge-Type``; resolved badges are cached by
  ``{org}/{repo}:{badge_type}:{style}:{color}:{label}`` for ``CACHE_TTL`` seconds.
* ``POST /badge/invalidate/<org>/<repo>?badge_type=``: drop cached badges (key scope
  ``upload:org/repo``).
* ``GET  /badge/cache/stats``: entries in the quality cache (all workers when Redis is used).
* ``POST /reports/<org>/<repo>?branch=&format=``: upload a report (key scope ``upload:org/repo``).
* ``GET  /reports/<org>/<repo>?branch=&kind=&limit=``: the upload history, newest first.
* ``GET  /badge/openapi.json``: the OpenAPI document of these routes; ``GET /badge/docs``: the
  same as an HTML page.

``?color=`` overrides the computed colour only when it is a colour; anything else (``?color=zzz``)
leaves the computed one (red for 45% coverage), never the engine's default green.

JSON or image: ``?format=json`` or an ``Accept`` header preferring ``application/json`` gets JSON
(shields endpoint JSON for a badge, the spec's ``{"detail", ...}`` for errors); anything else gets
an SVG, including the red ``not found`` badge sent with status 404.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, url_for
from flask_limiter import RequestLimit
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from badgeapp.auth import require_scope
from badgeapp.badges.invalidation import depends_on, generation, invalidate, scope_of
from badgeapp.badges.limits import expensive
from badgeapp.errors import BadgeError, InvalidParameter, NotFound, RateLimitExceeded
from badgeapp.extensions import limiter, redis_client
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import badge_response, last_good_response
from badgeapp.http.query import BadgeQuery, parse_query
from badgeapp.plugins import get_registry
from badgeapp.quality import store
from badgeapp.quality.cache_store import BadgeCache, RedisError, cache_key, make_cache
from badgeapp.quality.encoding import decode_body
from badgeapp.quality.errors import MalformedReport, ReportTooLarge
from badgeapp.quality.openapi import openapi_document
from badgeapp.quality.openapi_html import render_docs
from badgeapp.quality.report import KINDS, ReportParser
from badgeapp.quality.rules import DEFAULT_LABELS, badge_message
from badgeapp.quality.upload import parse_upload
from badgeapp.render.colors import to_svg_color
from badgeapp.storage.db import session_scope

log = logging.getLogger(__name__)

bp = Blueprint("quality", __name__, url_prefix="/api/v1")

#: the spec's styles; anything else is a 400
STYLES = ("flat", "flat-square", "plastic")
#: GitHub-like owner and repository names
_NAME = re.compile(r"^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$")
_BRANCH = re.compile(r"^[^\x00-\x20\x7f~^:?*\[\\]{1,255}$")
_KIND_RULE = "<any(coverage, quality, security, tests):badge_type>"
_EXTENSION_KEY = "badgeapp.quality.cache"
MAX_HISTORY = 500


def badge_cache(app: Flask | None = None) -> BadgeCache:
    """The app's quality badge cache (Redis-backed when ``REDIS_URL`` is set), made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get(_EXTENSION_KEY)
    if cache is None:
        cache = make_cache(
            ttl=int(app.config.get("CACHE_TTL", 300)),
            redis_client=redis_client(app),
            prefix=str(app.config.get("REDIS_PREFIX", "badgeapp:")) + "quality:",
        )
        cache = app.extensions.setdefault(_EXTENSION_KEY, cache)
    return cache


def report_parsers() -> list[ReportParser]:
    """Every registered parser: plugins first (pluggy calls the newest registration first), then
    the built-ins, each plugin's parsers in its own order."""
    results = get_registry().hook.badgeapp_report_parsers()
    return [parser for result in results if result for parser in result]


def _detail(status: int, detail: str, **extra: Any) -> Response:
    """The spec's JSON error body ``{"detail": ..., ...}``."""
    response = jsonify({"detail": detail, **extra})
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def _wants_json(query: BadgeQuery) -> bool:
    """``?format=json``, or an Accept header that prefers JSON to images."""
    if query.fmt == "json":
        return True
    accept = request.accept_mimetypes
    if not request.headers.get("Accept"):
        return False
    best = accept.best_match(["image/svg+xml", "application/json"])
    return best == "application/json" and accept["application/json"] > accept["image/svg+xml"]


def _valid_project(org: str, repo: str) -> bool:
    return bool(_NAME.match(org) and _NAME.match(repo))


def _branch_arg() -> str | None:
    """``?branch=`` or the default; None when the value cannot be a branch name."""
    branch = request.args.get("branch") or current_app.config["QUALITY_DEFAULT_BRANCH"]
    return branch if _BRANCH.match(branch) else None


def _badge_headers(response: Response, badge_type: str, hit: bool) -> Response:
    """The spec's ``X-Badge-Type``, whether the badge came from the badge cache, and
    ``Vary: Accept`` (the same URL answers JSON or an image by ``Accept``)."""
    response.vary.add("Accept")
    response.headers["X-Badge-Type"] = badge_type
    response.headers["X-Cache"] = "HIT" if hit else "MISS"
    return response


def _asks_for_image() -> bool:
    """True when the Accept header names an image type and prefers it to JSON (an ``<img>``)."""
    accept = request.accept_mimetypes
    names_image = any(value.startswith("image/") and q > 0 for value, q in accept)
    return names_image and accept.best_match(["image/svg+xml", "application/json"]) != (
        "application/json"
    )


def _invalid(badge_type: str, detail: str) -> Response:
    """The spec's 400 ``{"detail": ...}``; an ``<img>`` gets an ``invalid parameter`` badge
    (still 400) instead, so a README never shows a broken image."""
    if _asks_for_image() and request.args.get("format") != "json":
        error = InvalidParameter(detail=detail)
        error.image_status = 400
        query = dataclasses.replace(parse_query(request.args), fmt="svg")
        response = badge_response(error, query, label=DEFAULT_LABELS[badge_type], cache_seconds=0)
    else:
        response = _detail(400, detail)
    response.headers["X-Badge-Type"] = badge_type
    return response


def _not_found(badge_type: str, query: BadgeQuery, detail: str, extra: dict[str, Any]) -> Response:
    """404 as JSON (``{"detail", **extra}``) for JSON clients, else a red ``not found`` badge."""
    if _wants_json(query):
        response = _detail(404, detail, **extra)
    else:
        error = NotFound(detail=detail)
        error.image_status = 404
        response = badge_response(
            error,
            dataclasses.replace(query, fmt="svg"),
            label=DEFAULT_LABELS[badge_type],
            cache_seconds=0,
        )
    response.headers["X-Badge-Type"] = badge_type
    return response


def _resolve(org: str, repo: str, badge_type: str, branch: str) -> dict[str, Any]:
    """What the badge says, from the newest report, or ``{"missing": "project"|"report"}``."""
    with session_scope() as session:
        project = store.find_project(session, org, repo)
        if project is None:
            return {"missing": "project"}
        report = store.latest_report(session, project, badge_type, branch)
        if report is None:
            return {"missing": "report"}
        message, color = badge_message(badge_type, report.metrics)
        created = report.created_at
    return {"message": message, "color": color, "fetched_at": created.isoformat()}


def _request_cache_key(badge_type: str, org: str, repo: str) -> str | None:
    """The spec's cache key for this badge request; None when the request is invalid."""
    style = request.args.get("style")
    branch = _branch_arg()
    if (style is not None and style not in STYLES) or branch is None:
        return None
    if not _valid_project(org, repo):
        return None
    default_branch = current_app.config["QUALITY_DEFAULT_BRANCH"]
    return cache_key(
        f"{org}/{repo}",
        badge_type,
        style or "flat",
        request.args.get("color", ""),
        request.args.get("label", ""),
        branch=None if branch == default_branch else branch,
        generation=generation(_project_scope(org, repo)),
    )


def _project_scope(org: str, repo: str) -> str:
    """The invalidation scope of a project's quality badges (uploads and invalidations)."""
    return scope_of("quality", org, repo)


def _cached_value() -> dict[str, Any] | None:
    """The cached badge for the current request, looked up once per request."""
    if "quality_cached" not in g:
        args = request.view_args or {}
        key = _request_cache_key(args["badge_type"], args["org"], args["repo"])
        g.quality_cached = badge_cache().get(key) if key else None
    return g.quality_cached


def _rate_limit() -> str:
    return current_app.config["QUALITY_RATE_LIMIT"]


def _rate_limited(limit: RequestLimit) -> Response:
    """The spec's 429 ``{"detail", "retry_after"}`` for JSON clients; an image client gets the
    last good image of its URL (``X-Badge-Stale: 1``), else a ``rate limited`` badge with 200:
    a README image never breaks."""
    retry = max(1, int(limit.reset_at - time.time()))
    badge_type = (request.view_args or {}).get("badge_type", "coverage")
    if _wants_json(parse_query(request.args)):
        response = _detail(429, "Rate limit exceeded", retry_after=retry)
    else:
        response = last_good_response() or badge_response(
            BadgeError("rate limited", detail="Rate limit exceeded"),
            parse_query(request.args, fmt="svg"),
            label=DEFAULT_LABELS[badge_type],
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    response.headers["Retry-After"] = str(retry)
    response.headers["X-Badge-Type"] = badge_type
    return response


@bp.errorhandler(429)
def _spec_429(error: HTTPException) -> Response:
    """The spec's 429 everywhere in this family (the app-wide handler answers its catalogue)."""
    if getattr(error, "response", None) is not None:  # built by ``_rate_limited``
        return error.get_response()
    limit = getattr(error, "limit", None)
    try:
        retry = max(1, int(limit.limit.get_expiry()))  # type: ignore[union-attr]
    except Exception:
        retry = 60
    response = _detail(429, "Rate limit exceeded", retry_after=retry)
    response.headers["Retry-After"] = str(retry)
    return response


@bp.errorhandler(RateLimitExceeded)
def _write_limited(error: RateLimitExceeded) -> Response:
    """A write over ``WRITE_LIMIT`` (uploads, invalidations): the spec's 429 body."""
    response = _detail(429, "Rate limit exceeded", retry_after=error.retry_after)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


@bp.errorhandler(500)
def _spec_500(error: HTTPException) -> Response:
    """The spec's 500: ``{"detail": "Badge generation failed"}``, or an error badge for images."""
    original = getattr(error, "original_exception", None) or error
    log.error("quality: %s %s failed", request.method, request.path, exc_info=original)
    if request.endpoint != "quality.quality_badge":
        return _detail(500, "Internal server error")
    badge_type = (request.view_args or {}).get("badge_type", "coverage")
    if _wants_json(parse_query(request.args)):
        response = _detail(500, "Badge generation failed")
    else:
        failure = BadgeError("internal error", detail="Badge generation failed")
        failure.image_status = 500
        response = badge_response(
            failure,
            parse_query(request.args, fmt="svg"),
            label=DEFAULT_LABELS[badge_type],
            cache_seconds=0,
        )
    response.headers["X-Badge-Type"] = badge_type
    return response


@bp.get(f"/badge/{_KIND_RULE}/<org>/<repo>")
@limiter.limit(
    _rate_limit,
    scope="quality-badges",
    exempt_when=lambda: _cached_value() is not None,
    on_breach=_rate_limited,
)
def quality_badge(badge_type: str, org: str, repo: str) -> Response:
    """One quality badge: SVG (or PNG/JSON) of the newest report of ``badge_type``."""
    style = request.args.get("style")
    if style is not None and style not in STYLES:
        return _invalid(badge_type, "Invalid style parameter")
    query = parse_query(request.args)
    if _wants_json(query):
        query = dataclasses.replace(query, fmt="json")
    if query.color is not None and to_svg_color(query.color) is None:
        query = dataclasses.replace(query, color=None)  # not a colour: the computed one applies
    project_id = f"{org}/{repo}"
    branch = _branch_arg()
    if branch is None:
        return _invalid(badge_type, "Invalid branch parameter")
    if not _valid_project(org, repo):
        return _not_found(badge_type, query, "Project not found", {"project_id": project_id})
    depends_on(_project_scope(org, repo))
    cache = badge_cache()
    value = _cached_value()
    hit = value is not None
    if value is None:
        value = _resolve(org, repo, badge_type, branch)
        if value.get("missing") == "project":
            return _not_found(badge_type, query, "Project not found", {"project_id": project_id})
        if value.get("missing") == "report":
            return _not_found(
                badge_type,
                query,
                f"No {badge_type} report",
                {"project_id": project_id, "badge_type": badge_type, "branch": branch},
            )
        key = _request_cache_key(badge_type, org, repo)
        assert key is not None  # the request was validated above
        cache.set(key, value)
    spec = query.spec(
        label=DEFAULT_LABELS[badge_type], message=value["message"], color=value["color"]
    )
    response = badge_response(
        spec,
        query,
        cache_seconds=cache.ttl,
        last_modified=dt.datetime.fromisoformat(value["fetched_at"]),
        cache_template="max-age={seconds}",  # the spec's exact Cache-Control
    )
    return _badge_headers(response, badge_type, hit)


def _upload_scope(org: str, repo: str) -> str:
    return f"upload:{org}/{repo}"


@bp.post("/badge/invalidate/<org>/<repo>")
@expensive("write")
@require_scope(_upload_scope)
def invalidate_badges(org: str, repo: str) -> Response:
    """Drop the cached badges of ``org/repo`` (one ``?badge_type=`` or all)."""
    badge_type = request.args.get("badge_type") or None
    if badge_type is not None and badge_type not in KINDS:
        return _detail(400, "Invalid badge_type parameter")
    project_id = f"{org}/{repo}"
    invalidate(_project_scope(org, repo))  # every worker's next answer is fresh
    try:
        count = badge_cache().invalidate(project_id, badge_type)
    except RedisError:
        return _detail(503, "Cache unavailable")
    return jsonify({"project_id": project_id, "badge_type": badge_type, "invalidated": count})


@bp.get("/badge/cache/stats")
def cache_stats() -> Response:
    """``{"total_entries", "active_entries", "expired_entries", "default_ttl"}``."""
    try:
        response = jsonify(badge_cache().stats())
    except RedisError:
        return _detail(503, "Cache unavailable")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/badge/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.0 document of this family."""
    response = jsonify(openapi_document(request.host_url))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/badge/docs")
def docs() -> Response:
    """The OpenAPI document as a plain HTML page (no scripts, nothing fetched)."""
    page = render_docs(openapi_document(request.host_url), url_for("quality.openapi"))
    response = Response(page, mimetype="text/html")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _read_body(limit: int) -> tuple[bytes, str | None]:
    """The raw report (or the first file of a multipart upload), at most ``limit`` bytes."""
    too_large = ReportTooLarge(f"report is larger than the limit of {limit} bytes")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    request.max_content_length = limit + 64 * 1024  # multipart framing
    try:
        if request.mimetype == "multipart/form-data":
            files = list(request.files.values())
            if not files:
                raise MalformedReport("multipart upload without a file part")
            body = files[0].stream.read(limit + 1)
            content_type = files[0].mimetype or None
        else:
            body = request.get_data(cache=False)
            content_type = request.mimetype or None
    except RequestEntityTooLarge:
        raise too_large from None
    if len(body) > limit:
        raise too_large
    return decode_body(body, request.headers.get("Content-Encoding"), limit), content_type


@bp.post("/reports/<org>/<repo>")
@expensive("write")
@require_scope(_upload_scope)
def upload_report(org: str, repo: str) -> Response:
    """Store an uploaded report for ``org/repo`` on ``?branch=`` and refresh its badges."""
    if not _valid_project(org, repo):
        return _detail(400, "Invalid project name: use letters, digits, '.', '-' and '_'")
    branch = _branch_arg()
    if branch is None:
        return _detail(400, "Invalid branch parameter")
    limit = int(current_app.config["QUALITY_MAX_REPORT_BYTES"])
    try:
        body, content_type = _read_body(limit)
        parser, by_kind = parse_upload(
            body,
            content_type,
            report_parsers(),
            forced=request.args.get("format") or None,
            max_bytes=limit,
        )
    except BadgeError as error:
        return _detail(error.status, error.detail)
    with session_scope() as session:
        rows = store.record_reports(session, org, repo, branch, parser.name, by_kind)
        reports = [
            {
                "id": row.id,
                "kind": row.kind,
                "metrics": row.metrics,
                "created_at": row.created_at.isoformat(),
            }
            for row in rows
        ]
    project_id = f"{org}/{repo}"
    invalidate(_project_scope(org, repo))  # every worker's next answer shows the new report
    cache = badge_cache()
    try:
        invalidated = sum(cache.invalidate(project_id, kind) for kind in by_kind)
    except RedisError:  # stored all the same; cached badges expire within CACHE_TTL
        log.warning("quality cache: Redis unavailable, %s not invalidated", project_id)
        invalidated = 0
    suffix = "" if branch == current_app.config["QUALITY_DEFAULT_BRANCH"] else f"?branch={branch}"
    badges = {
        kind: f"{request.host_url.rstrip('/')}{bp.url_prefix}/badge/{kind}/{project_id}{suffix}"
        for kind in by_kind
    }
    response = jsonify(
        {
            "project_id": project_id,
            "branch": branch,
            "format": parser.name,
            "reports": reports,
            "badges": badges,
            "invalidated": invalidated,
        }
    )
    response.status_code = 201
    return response


@bp.get("/reports/<org>/<repo>")
def report_history(org: str, repo: str) -> Response:
    """The uploads of ``org/repo``, newest first (``?branch=``, ``?kind=``, ``?limit=`` <= 500)."""
    project_id = f"{org}/{repo}"
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        return _detail(400, "Invalid kind parameter")
    try:
        limit = min(MAX_HISTORY, max(1, int(request.args.get("limit", 50))))
    except ValueError:
        return _detail(400, "Invalid limit parameter")
    branch = request.args.get("branch") or None
    if not _valid_project(org, repo):
        return _detail(404, "Project not found", project_id=project_id)
    with session_scope() as session:
        project = store.find_project(session, org, repo)
        if project is None:
            return _detail(404, "Project not found", project_id=project_id)
        rows = store.report_history(session, project, branch=branch, kind=kind, limit=limit)
        reports = [
            {
                "id": row.id,
                "branch": row.branch,
                "kind": row.kind,
                "format": row.format,
                "metrics": row.metrics,
                "created_at": row.created_at.isoformat(),
            }
            for row in rows
        ]
    return jsonify({"project_id": project_id, "reports": reports})


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    """The quality family's blueprint."""
    return [bp]
