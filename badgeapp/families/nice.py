"""The nice-button family: a counter anyone can bump, and its badge (spec BADGE-01..06).

Routes:

* ``POST /api/buttons`` creates a button (needs a key with the ``buttons`` scope unless
  ``NICE_OPEN_CREATE``) and answers ``{"publicId", "count", "badge", "createdAt"}`` with 201.
* ``POST /api/buttons/<publicId>/nice`` adds one, limited per visitor IP and button by
  ``NICE_LIMIT`` (``off`` disables it); a refused nice is a 429 JSON error.
* ``GET /api/buttons/<publicId>`` answers ``{"publicId", "count", "createdAt"}``.
* ``GET /badge/<publicId>.svg`` draws ``nice | 1.2k`` (label on #333, count on ``fbbf24``);
  ``?style=flat|flat-square|plastic|for-the-badge``, ``?color=<hex>``, ``?label=``. Unknown ids
  draw ``?`` with 200. ``Cache-Control: public, max-age=60, s-maxage=300``. A badge view is
  never rate limited (the limit policy, ``badgeapp.badges.limits``); should a limit ever apply,
  the last image drawn for that URL is sent again with 200, never a 429 (BADGE-06).

Public ids are letters and digits only, so ``/badge/<publicId>.svg`` never collides with the
shields static badge ``/badge/<label>-<message>-<color>``, which always contains a dash. A count
is read from the database at most once a second per button (kept in the app cache: per
process, or shared through Redis); a nice invalidates the button's scope, so every worker's
next answer shows it.

What anonymous requests can add to the shared cache is bounded: an unknown id's image is never
stored (only its "no such button" answer, for a second), and a known button keeps its last
images in ``LAST_IMAGE_SLOTS`` slots, whatever the variety of ``?label=``/``?color=`` asked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests
from werkzeug.routing import BaseConverter

from badgeapp.auth import AuthError, auth_error_response, check_api_key
from badgeapp.badges.cache_keys import structured_key
from badgeapp.badges.invalidation import depends_on, generation, invalidate, scope_of
from badgeapp.errors import Inaccessible
from badgeapp.extensions import cache, limiter
from badgeapp.hookspecs import hookimpl
from badgeapp.http.api_errors import json_error
from badgeapp.http.badge_response import badge_response, bytes_response
from badgeapp.http.query import BadgeQuery, clip_text
from badgeapp.providers.display import metric
from badgeapp.render.spec import BadgeSpec
from badgeapp.storage import buttons
from badgeapp.storage.db import session_scope

try:
    from redis.exceptions import RedisError
except ImportError:  # redis is optional: without it the cache is in-process

    class RedisError(Exception):  # type: ignore[no-redef]
        """Stand-in when the redis package is absent."""


log = logging.getLogger(__name__)
bp = Blueprint("nice", __name__)

LABEL = "nice"
LABEL_COLOR = "333"
COLOR = "fbbf24"
STYLES = ("flat", "flat-square", "plastic", "for-the-badge")
UNKNOWN = "?"
#: BADGE-05: browsers keep the badge a minute, CDNs five
CACHE_CONTROL = "public, max-age=60, s-maxage=300"
BROWSER_SECONDS = 60
#: how long a count read from the database is reused (per cache backend)
COUNT_TTL_SECONDS = 1
#: how long the last rendered image is kept for rate-limited visitors
LAST_IMAGE_TTL_SECONDS = 24 * 3600
#: last images kept per button (a new variant may push out another in its slot)
LAST_IMAGE_SLOTS = 8
CREATE_SCOPE = "buttons"
MAX_PUBLIC_ID = 32
_HEX_COLOR = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_MISSING = -1


class PublicIdConverter(BaseConverter):
    """``<nice_id:public_id>``: letters, digits and underscores only (never a dash)."""

    regex = r"[A-Za-z0-9_]+"


@bp.record_once
def _add_converter(state: Any) -> None:
    state.app.url_map.converters.setdefault("nice_id", PublicIdConverter)


# -- display rules (pure) ---------------------------------------------------------------------


def format_count(count: int | None) -> str:
    """BADGE-03 with shields' metric scale (``providers.display.metric``, the one number
    formatter): ``0``..``999`` as is, then ``1.2k``, ``12k``, ``1.2M``, ``1G``, ``1.5T`` ... up to
    ``Y``; None -> ``?``. Below ten units one decimal unless it is 0, then whole units rounded
    (``999,999`` is ``1M``, never ``1000k``; ``1,000,000,000`` is ``1G``, never ``1000M``).
    """
    if count is None:
        return UNKNOWN
    return metric(max(count, 0))


def parse_style(value: str | None) -> str:
    """BADGE-04: one of the four styles; anything else is ``flat``."""
    text = (value or "").strip().lower()
    return text if text in STYLES else "flat"


def parse_color(value: str | None) -> str:
    """BADGE-04: a 3- or 6-digit hex colour (``#`` optional), lower-cased; else ``fbbf24``."""
    match = _HEX_COLOR.fullmatch((value or "").strip())
    return match.group(1).lower() if match else COLOR


def parse_label(value: str | None) -> str:
    """The left text: ``?label=`` trimmed and cut to 255 characters; empty -> ``nice``."""
    return clip_text(value) or LABEL


def badge_spec(count: int | None, *, style: str, color: str, label: str) -> BadgeSpec:
    """The badge for a count (None: unknown button)."""
    return BadgeSpec(
        label=label, message=format_count(count), color=color, label_color=LABEL_COLOR, style=style
    )


# -- counts, cached for a second ---------------------------------------------------------------


def _scope(public_id: str) -> str:
    """The invalidation scope of one button (a nice bumps it, in every worker)."""
    return scope_of("nice", public_id)


def _count_key(public_id: str) -> str:
    # the generation moves on every nice, so no worker reuses a count older than the last nice
    return "nice:count:" + structured_key(public_id, generation(_scope(public_id)))


def _image_params(style: str, color: str, label: str) -> str:
    return f"{style}\x00{color}\x00{label}"


def _image_key(public_id: str, style: str, color: str, label: str) -> str:
    """One of the button's ``LAST_IMAGE_SLOTS`` keys, chosen by the drawing parameters."""
    digest = hashlib.sha256(_image_params(style, color, label).encode("utf-8")).digest()
    return f"nice:image:{public_id}:{int.from_bytes(digest[:4], 'big') % LAST_IMAGE_SLOTS}"


def _cache_get(key: str) -> Any:
    """``cache.get``; None (a miss) when the cache backend (Redis) is unreachable."""
    try:
        return cache.get(key)
    except RedisError:
        log.warning("nice: the cache is unavailable; reading the database", exc_info=True)
        return None


def _cache_set(key: str, value: Any, seconds: int) -> None:
    """``cache.set``; skipped when the cache backend (Redis) is unreachable."""
    try:
        cache.set(key, value, seconds)
    except RedisError:
        log.warning("nice: the cache is unavailable; not caching %s", key, exc_info=True)


def current_count(public_id: str) -> int | None:
    """The count of ``public_id`` (None when unknown), from the cache when it is fresh."""
    cached = _cache_get(_count_key(public_id))
    if cached is not None:
        return None if cached == _MISSING else int(cached)
    count = None
    if len(public_id) <= MAX_PUBLIC_ID:
        with session_scope() as session:
            count = buttons.get_count(session, public_id)
    _cache_set(_count_key(public_id), _MISSING if count is None else count, COUNT_TTL_SECONDS)
    return count


def _button_json(public_id: str, count: int, created_at: dt.datetime | None) -> dict[str, Any]:
    body: dict[str, Any] = {"publicId": public_id, "count": count}
    if created_at is not None:
        body["createdAt"] = created_at.isoformat().replace("+00:00", "Z")
    return body


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# -- rate limits ------------------------------------------------------------------------------


def _nice_limit_off() -> bool:
    return current_app.config.get("NICE_LIMIT", "1/hour") == "off"


def _nice_limit() -> str:
    value = current_app.config.get("NICE_LIMIT", "1/hour")
    return "1000000/second" if value == "off" else value


def _visitor_and_button() -> str:
    public_id = (request.view_args or {}).get("public_id", "")
    return f"{get_remote_address()}:{public_id}"


def _create_limit() -> str:
    return current_app.config.get("NICE_CREATE_LIMIT", "20/hour")


# -- views ------------------------------------------------------------------------------------


@bp.post("/api/buttons")
@limiter.limit(_create_limit, scope="nice-create")
def create_button() -> Response | tuple[Response, int]:
    """Create a button; answer its public id (201).

    Every attempt counts against ``NICE_CREATE_LIMIT``, failed key checks included, so the
    limit also slows down anyone guessing keys.
    """
    if not current_app.config.get("NICE_OPEN_CREATE"):
        try:
            check_api_key(request.headers.get("Authorization"), CREATE_SCOPE)
        except AuthError as error:
            return auth_error_response(error)
    with session_scope() as session:
        button = buttons.create_button(session)
        public_id, created_at = button.public_id, button.created_at
    body = _button_json(public_id, 0, created_at)
    body["badge"] = url_for("nice.badge", public_id=public_id, _external=False)
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("nice.get_button", public_id=public_id)
    return response


@bp.post("/api/buttons/<nice_id:public_id>/nice")
@limiter.limit(
    _nice_limit,
    key_func=_visitor_and_button,
    scope="nice",
    exempt_when=_nice_limit_off,
)
def add_nice(public_id: str) -> Response:
    """Add one to the button's count (atomically) and answer the new count.

    The limit is taken before the view runs (one atomic hit in the limiter's storage), so
    concurrent nices from one visitor cannot slip past it together.
    """
    count = None
    if len(public_id) <= MAX_PUBLIC_ID:
        with session_scope() as session:
            count = buttons.increment(session, public_id)
    if count is None:
        return _cors(json_error("NotFound", 404, f"no button {public_id}"))
    invalidate(_scope(public_id))
    _cache_set(_count_key(public_id), count, COUNT_TTL_SECONDS)
    return _cors(jsonify(_button_json(public_id, count, None)))


@bp.get("/api/buttons/<nice_id:public_id>")
def get_button(public_id: str) -> Response:
    """The button's current count, straight from the database."""
    button = None
    if len(public_id) <= MAX_PUBLIC_ID:
        with session_scope() as session:
            button = buttons.get_button(session, public_id)
    if button is None:
        return _cors(json_error("NotFound", 404, f"no button {public_id}"))
    return _cors(jsonify(_button_json(button.public_id, button.count, button.created_at)))


def _badge_params() -> tuple[str, str, str]:
    return (
        parse_style(request.args.get("style")),
        parse_color(request.args.get("color")),
        parse_label(request.args.get("label")),
    )


@bp.get("/badge/<nice_id:public_id>.svg")
def badge(public_id: str) -> Response:
    """BADGE-01..05: the count badge (``?`` for an unknown id), always 200 with an image."""
    style, color, label = _badge_params()
    query = BadgeQuery(style=style, fmt="svg")
    depends_on(_scope(public_id))
    try:
        count = current_count(public_id)
    except SQLAlchemyError:
        log.warning("nice badge %s: the database is unavailable", public_id, exc_info=True)
        stored = _stored_image(public_id, style, color, label)
        if stored is not None:
            return stored
        return badge_response(Inaccessible(), query, fmt="svg", label=label)
    spec = badge_spec(count, style=style, color=color, label=label)
    response = badge_response(
        spec, query, fmt="svg", cache_seconds=BROWSER_SECONDS, cache_template=CACHE_CONTROL
    )
    if response.status_code == 200 and count is not None:  # never store an unknown id's "?"
        _cache_set(
            _image_key(public_id, style, color, label),
            {"params": _image_params(style, color, label), "body": response.get_data()},
            LAST_IMAGE_TTL_SECONDS,
        )
    return response


def _stored_image(public_id: str, style: str, color: str, label: str) -> Response | None:
    """The image last drawn for this badge URL (200, BADGE-05 headers), or None."""
    stored = _cache_get(_image_key(public_id, style, color, label))
    if not isinstance(stored, dict) or stored.get("params") != _image_params(style, color, label):
        return None  # nothing stored, or another variant in this slot
    body = stored.get("body")
    if not isinstance(body, bytes):
        return None
    return bytes_response(body, "svg", cache_seconds=BROWSER_SECONDS, cache_template=CACHE_CONTROL)


def _last_image(public_id: str) -> Response:
    """BADGE-06: the image last drawn for this URL, sent again with 200 (drawn now if none)."""
    stored = _stored_image(public_id, *_badge_params())
    return stored if stored is not None else badge(public_id)


@bp.errorhandler(TooManyRequests)
def _rate_limited(error: TooManyRequests) -> Response:
    """Limited badge requests get the last image; limited API calls get a 429 JSON error."""
    if request.endpoint == "nice.badge":
        return _last_image((request.view_args or {}).get("public_id", ""))
    description = getattr(error, "description", None) or "rate limit exceeded"
    response = json_error(
        "RateLimited", 429, f"too many requests: {description}", detail=str(description)
    )
    limit = getattr(error, "limit", None)
    try:
        retry_after = max(1, int(limit.limit.get_expiry()))  # type: ignore[union-attr]
    except Exception:
        retry_after = 60
    response.headers["Retry-After"] = str(retry_after)
    return _cors(response) if request.endpoint == "nice.add_nice" else response


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    """The nice-button blueprint."""
    return [bp]
