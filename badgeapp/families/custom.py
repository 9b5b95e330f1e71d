"""The custom badge family: badges whose text is in the URL.

* ``GET /v2/badge/custom?label=&value=&color=...`` (also ``.svg``/``.png``/``.json``): the
  platform's custom badge; ``value`` (alias ``message``) is the right half.
* ``GET /badge/{label}-{message}-{color}`` (or ``{message}-{color}``) with an optional
  ``.svg``/``.png``/``.json`` suffix: shields' static badge, so a shields URL works with the
  host swapped. Escapes: ``_`` space, ``__`` underscore, ``--`` dash; percent-escapes
  (``%2F``, ``%20``, emoji) inside segments. A dash-free ``/badge/foo.svg`` is left to the
  nice-button family's more specific rule.
* ``GET /static/v1?label=&message=&color=`` (also with a suffix): shields' older static form.

Every route accepts the common engine parameters (``badgeapp.http.query``) and answers
through ``badgeapp.http.badge_response``; static badges are cached for a day and carry the
server start as ``Last-Modified``.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from flask import Blueprint, Flask, Response, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from badgeapp.errors import BadgeError, InvalidParameter
from badgeapp.hookspecs import hookimpl
from badgeapp.http import hot_path
from badgeapp.http.badge_response import (
    SERVER_START,
    STATIC_CACHE_SECONDS,
    WSGIAnswer,
    as_response,
    badge_answer,
    badge_response,
    not_found_response,
    query_too_long,
)
from badgeapp.http.query import FORMATS, parse_query
from badgeapp.security.abuse import SUBJECT_EXTRACTORS


class BadgePathConverter(PathConverter):
    """A path that may start with "/" (a decoded ``%2F`` at the start of a label)."""

    regex = ".*?"
    part_isolating = False  # werkzeug infers True from a regex without "/"


bp = Blueprint("custom", __name__)
bp.record_once(
    lambda state: state.app.url_map.converters.setdefault("badgepath", BadgePathConverter)
)
bp.before_request(query_too_long)

#: colour when the URL names none (shields' server default)
DEFAULT_COLOR = "lightgrey"
#: label of the error badge when a custom badge lacks its value
ERROR_LABEL = "custom badge"

# shields services/static-badge: label and message may hold "--" (an escaped dash) but no single
# dash; the colour holds no "." so the format suffix can follow it.
_STATIC = re.compile(
    r"((?:[^-]|--)*?)-?((?:[^-]|--)*)-((?:[^-.]|--)+)(?:\.(svg|png|json))?",
    re.DOTALL,
)
_SINGLE_UNDERSCORE = re.compile(r"(^|[^_])((?:__)*)_(?!_)")


def escape_format(text: str) -> str:
    """Shields' path escapes: ``_`` -> space, ``__`` -> ``_``, ``--`` -> ``-``."""
    if "_" not in text and "--" not in text:
        return text
    text = _SINGLE_UNDERSCORE.sub(r"\1\2 ", text)
    return text.replace("__", "_").replace("--", "-")


def _split_static(content: str) -> tuple[str, str, str, str] | None:
    """``_STATIC``'s groups for a path without ``--`` (a README's usual badge), by splitting.

    Without escaped dashes every dash separates: the last one comes before the colour (which
    holds no dash or dot, then an optional ``.svg|.png|.json``), and before it at most one more
    splits label from message. Returns None where the pattern has no match.
    """
    rest, last_dash, tail = content.rpartition("-")
    if not last_dash:
        return None
    color, dot, fmt = tail.partition(".")
    if not color or (dot and fmt not in FORMATS):
        return None
    label, dash, message = rest.partition("-")
    if not dash:
        label, message = "", rest
    elif "-" in message:
        return None
    return label, message, color, fmt


def parse_static_path(content: str) -> tuple[str, str, str, str | None] | None:
    """Split a static badge path (still percent-encoded) into label, message, colour, format.

    Returns None when the path is not a static badge. Matching happens before decoding, as in
    shields, so ``%2D`` is a dash inside a segment and not a separator.
    """
    if "--" in content:
        match = _STATIC.fullmatch(content)
        if match is None:
            return None
        groups = match.groups()
    else:
        groups = _split_static(content)
        if groups is None:
            return None
    label, message, color, fmt = (urllib.parse.unquote(part or "") for part in groups)
    return escape_format(label), escape_format(message), color, fmt or None


def _raw_content(environ: dict[str, Any]) -> str | None:
    """The text after ``/badge/`` as the request line sent it (still percent-encoded), or None
    when the server gives no request line or it is not under ``/badge/``."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    prefix = environ.get("SCRIPT_NAME", "").rstrip("/") + "/badge/"
    raw_path = raw.split("?", 1)[0]
    return raw_path[len(prefix) :] if raw_path.startswith(prefix) else None


def _raw_badge_content(decoded: str, environ: dict[str, Any]) -> str:
    """The still-encoded text after ``/badge/`` from the request line, when it is consistent."""
    candidate = _raw_content(environ)
    if candidate is not None and urllib.parse.unquote(candidate) == decoded:
        return candidate
    return urllib.parse.quote(decoded, safe="/-_.~!$&'()*+,;=:@")


def static_badge(
    content: str, environ: dict[str, Any], args: MultiDict, lane_of: Flask | None = None
) -> WSGIAnswer | None:
    """The static badge for ``content`` (as routed) and query ``args``; None: not a static
    badge path. The view and the static lane both answer with it; the lane passes its app
    (``lane_of``): it draws outside any app context, and without the render cache, since the
    hot path keeps its answer."""
    parsed = parse_static_path(_raw_badge_content(content, environ))
    if parsed is None:
        return None
    label, message, color, fmt = parsed
    query = parse_query(args, fmt=fmt)
    spec = query.spec(label=label, message=message, color=color)
    return badge_answer(
        spec,
        query,
        cache_seconds=STATIC_CACHE_SECONDS,
        last_modified=SERVER_START,
        app=lane_of,
        cache_render=lane_of is None,
    )


# merge_slashes=False: "%2F%2F" in a segment must not become a redirect that drops a slash
@bp.get("/badge/<badgepath:content>", merge_slashes=False)
def shields_static(content: str) -> Response:
    """Shields' static badge ``/badge/label-message-color[.svg|.png|.json]``."""
    answer = static_badge(content, request.environ, request.args)
    return as_response(answer) if answer is not None else not_found_response(request.path)


def static_lane(app: Flask) -> hot_path.Lane | None:
    """The hot path's lane for plain static badges, or None when this app must not have one.

    A README's ``/badge/build-passing-brightgreen`` is drawn from its URL alone: no upstream, no
    user, nothing to limit. When the hot path has no stored copy, the lane answers an SVG GET
    with no query string and no conditional header whose one-segment path the app routes to
    ``shields_static`` with ``static_badge`` itself (the view's own function, told the app: no
    app context is pushed), without Flask's request handling. Anything else, or an app where
    static badges need a signature (``SIGNED_FAMILIES``) or count as abuse subjects, goes
    through Flask. A token or ``Authorization`` request never gets here: it has a query string
    or no hot path.
    """
    if bp.name in app.config.get("SIGNED_FAMILIES", ()) or bp.name in SUBJECT_EXTRACTORS:
        return None
    endpoint = f"{bp.name}.{shields_static.__name__}"
    routes = app.url_map.bind("localhost")  # paths only: no host or subdomain rules here

    def lane(environ: dict[str, Any]) -> WSGIAnswer | None:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
            or not environ.get("PATH_INFO", "").startswith("/badge/")
            or environ["PATH_INFO"].endswith((".png", ".json"))  # SVG only: PNG is heavy work
        ):
            return None
        # one raw path segment, as shields' static badge is: "/badge/<provider>/..." paths are
        # the V1 layer's to rewrite (it runs after the hot path)
        raw = _raw_content(environ)
        if raw is None or "/" in raw:
            return None
        # the path as Flask's request sees it: WSGI's latin-1 string decoded as UTF-8
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace")
        try:
            matched, view_args = routes.match(path, method="GET")
        except HTTPException:  # not found, redirect, method: Flask answers those
            return None
        if matched != endpoint:
            return None
        answer = static_badge(view_args["content"], environ, MultiDict(), app)
        if answer is None or answer.status_code != 200:
            return None
        environ[hot_path.FAMILY_KEY] = bp.name
        return answer

    return lane


def _text_badge(value_names: tuple[str, ...], fmt: str | None) -> Response:
    query = parse_query(request.args, fmt=fmt)
    value = next((request.args[n] for n in value_names if n in request.args), None)
    if value is None or not value.strip():
        error: BadgeError = InvalidParameter(detail=f"{value_names[0]} is required")
        return badge_response(error, query, label=ERROR_LABEL, cache_seconds=STATIC_CACHE_SECONDS)
    spec = query.spec(label="", message=value, color=DEFAULT_COLOR)
    return badge_response(
        spec, query, cache_seconds=STATIC_CACHE_SECONDS, last_modified=SERVER_START
    )


@bp.get("/v2/badge/custom", defaults={"ext": None})
@bp.get("/v2/badge/custom.<any(svg, png, json):ext>")
def custom(ext: str | None) -> Response:
    """``/v2/badge/custom?label=&value=&color=``; ``message`` is accepted for ``value``."""
    return _text_badge(("value", "message"), ext)


@bp.get("/static/v1", defaults={"ext": None})
@bp.get("/static/v1.<any(svg, png, json):ext>")
def static_v1(ext: str | None) -> Response:
    """Shields' ``/static/v1?label=&message=&color=``."""
    return _text_badge(("message", "value"), ext)


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The custom family's blueprint."""
    return [bp]


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Give the hot path the static lane (see ``static_lane``)."""
    lane = static_lane(app)
    if lane is not None:
        app.extensions.setdefault(hot_path.LANES_KEY, []).append(lane)
