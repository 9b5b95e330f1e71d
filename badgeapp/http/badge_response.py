"""The one badge response path: every family returns ``badge_response(...)``.

Given a ``BadgeSpec`` (or a ``BadgeError``), the parsed ``BadgeQuery`` and the family's default
cache lifetime, it renders SVG, PNG or endpoint JSON (through the in-process render cache) and
sets every header a badge needs:

* ``Content-Type``: ``image/svg+xml;charset=utf-8``, ``image/png`` or ``application/json``;
* ``Cache-Control: public, max-age=N, s-maxage=N, stale-while-revalidate=86400`` where N is the
  family default raised (never lowered) by ``?cacheSeconds``/``?maxAge``; N=0 gives
  ``no-cache, no-store, must-revalidate``; ``private=True`` (a user's own token) gives
  ``private, max-age=N``, as does any request carrying ``?token=`` or an
  ``Authorization`` header; plus ``Expires``;
* a strong ``ETag`` from the bytes and ``Last-Modified``; ``304 Not Modified`` when
  ``If-None-Match`` matches, or (without ``If-None-Match``) ``If-Modified-Since`` is not older;
* ``Access-Control-Allow-Origin: *``, ``X-Content-Type-Options: nosniff`` and, on SVG, a
  ``Content-Security-Policy`` that lets an opened SVG run nothing.

Errors are badges: ``error_response`` draws the error's shields message (``invalid parameter``,
``not found``...) in its colour, ignoring the user's colours, with ``error.image_status``; for
``format=json`` it answers ``{"error", "code", "message", "requestId"}`` with ``error.status``.
``not_found_response(path)`` is shields' red ``404 | badge not found`` for unknown badge paths.
``badge_answer`` is ``badge_response`` before the ``Response`` is made (a drawn badge's
``Answer``, a WSGI app sending the same bytes): hot path lanes send it as it is.
``value_response`` answers a provider ``Value``; ``bytes_response`` gives bytes a family drew
itself (composites) the same headers.
If rendering itself fails the client still gets a valid image (``internal error``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, has_app_context, has_request_context, request
from werkzeug.http import http_date

from badgeapp.analytics.marks import note_error
from badgeapp.errors import (
    BadgeError,
    BadgeNotFound,
    Deprecated,
    InvalidParameter,
    RateLimited,
    RateLimitExceeded,
)
from badgeapp.http import hot_path, render_cache
from badgeapp.http.json_errors import request_id
from badgeapp.http.query import (
    FORMATS,
    MAX_CACHE_SECONDS,
    MAX_QUERY_BYTES,
    BadgeQuery,
    parse_format,
    parse_query,
)
from badgeapp.providers.base import Value
from badgeapp.render.spec import BadgeSpec
from badgeapp.render.themes import THEME_NAMES, load_theme

log = logging.getLogger(__name__)

#: Last-Modified of badges that never change (static badges): the server start, like shields
SERVER_START = dt.datetime.now(dt.UTC).replace(microsecond=0)
#: the default lifetime when a family names none (shields' defaultCacheLengthSeconds)
DEFAULT_CACHE_SECONDS = 120
#: static badges (custom, shields static): one day, like shields' base-static
STATIC_CACHE_SECONDS = 86400
#: error badges whose cause may pass quickly (upstream down: status >= 500) live at most this long
TRANSIENT_ERROR_CACHE_SECONDS = 60
STALE_WHILE_REVALIDATE = 86400
SVG_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

# The image sent when even the error badge cannot be drawn: fixed, valid, no user text.
_LAST_RESORT_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20" role="img" '
    b'aria-label="badge: internal error"><title>badge: internal error</title>'
    b'<rect width="90" height="20" rx="3" fill="#9f9f9f"/>'
    b'<text x="45" y="14" fill="#fff" text-anchor="middle" '
    b'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">internal error</text>'
    b"</svg>"
)


def carries_credentials() -> bool:
    """True when the current request carries a user's token (``?token=`` or ``Authorization``).

    Such a response must never sit in a shared cache (security checklist: "the response with
    it is ``Cache-Control: private``"), whether or not the family uses the token.
    """
    if not has_request_context():
        return False
    args = request.args
    return bool(("token" in args and args.get("token")) or request.headers.get("Authorization"))


def _seconds(value: object) -> int | None:
    """A lifetime as a whole number of seconds; None for what is not one (a plugin's junk)."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None


def _as_utc(value: object, default: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC datetime (naive means UTC); ``default`` when it is not one."""
    if not isinstance(value, dt.datetime):
        return default
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def cache_control(
    default_seconds: int,
    requested: int | None = None,
    *,
    private: bool = False,
    template: str | None = None,
):
    """The ``Cache-Control`` value and the lifetime N (``requested`` only ever raises N).

    ``template`` is a family's spec-mandated value (``"max-age={seconds}"``, or a constant such
    as the nice buttons' ``"public, max-age=60, s-maxage=300"``). A request carrying a user's
    token (``carries_credentials``) is always answered ``private``, whatever the template.
    """
    private = private or carries_credentials()
    seconds = min(_seconds(default_seconds) or 0, MAX_CACHE_SECONDS)
    seconds = max(seconds, min(_seconds(requested) or 0, MAX_CACHE_SECONDS))
    if seconds <= 0:
        return "no-cache, no-store, must-revalidate", 0
    if private:
        return f"private, max-age={seconds}", seconds
    if template is not None:
        return template.format(seconds=seconds), seconds
    return (
        f"public, max-age={seconds}, s-maxage={seconds}, "
        f"stale-while-revalidate={STALE_WHILE_REVALIDATE}",
        seconds,
    )


def _suffix_format(path: str) -> str | None:
    for fmt in FORMATS:
        if path.endswith("." + fmt):
            return fmt
    return None


def current_query() -> BadgeQuery:
    """The common parameters of the current request (format from the path suffix first)."""
    if not has_request_context():
        return BadgeQuery()
    return parse_query(request.args, fmt=_suffix_format(request.path))


def _registry_extras(fmt: str, spec: BadgeSpec, app: Flask | None = None) -> dict[str, Any]:
    """Plugin fonts (PNG), a plugin theme document and the plugin generation of ``app`` (default:
    the current app), when an app runs."""
    extras: dict[str, Any] = {}
    try:
        if app is None:
            if not has_app_context():
                return extras
            app = current_app
        registry = app.extensions.get("badgeapp.plugins")
        if registry is None:
            return extras
        folder = getattr(registry, "folder", None)
        extras["generation"] = int(getattr(folder, "generation", 0) or 0)
        theme = _plugin_theme(registry, spec.theme) if spec.theme else None
        if theme is not None:
            extras["theme"] = theme
        if fmt == "png":
            files: list[str] = []
            for font in registry.fonts():
                for path in (font.get("files") or {}).values() if isinstance(font, Mapping) else ():
                    files.append(str(path))
            extras["font_files"] = tuple(files)
    except Exception:
        log.debug("plugin registry unavailable for rendering", exc_info=True)
    return extras


def _plugin_theme(registry: Any, name: str | None) -> Any:
    """The validated ``Theme`` of a plugin theme named ``name`` (None for built-in or unknown)."""
    if not name or name in THEME_NAMES:
        return None
    for doc in registry.themes():
        if isinstance(doc, Mapping) and str(doc.get("name", "")).lower() == name:
            try:
                return load_theme(doc)
            except Exception:  # an invalid plugin theme draws the default look
                log.warning("plugin theme %r is invalid", name, exc_info=True)
                return None
    return None


def _render(
    spec: BadgeSpec,
    fmt: str,
    scale: int,
    *,
    is_error: bool = False,
    named_logo: str | None = None,
    app: Flask | None = None,
    cached: bool = True,
) -> render_cache.Rendered:
    """Render through the LRU with a normalised key: options that cannot change the bytes of
    this format (scale for SVG/JSON, the logo name and error flag for images) are dropped.
    ``app``: whose plugins draw (default: the current app). ``cached=False`` draws without the
    LRU (for a caller that keeps the whole answer itself)."""
    if fmt != "png":
        scale = 2
    if fmt != "json":
        is_error, named_logo = False, None
    extras = _registry_extras(fmt, spec, app)
    draw = render_cache.render if cached else render_cache.render.__wrapped__
    return draw(spec, fmt, scale, is_error=is_error, named_logo=named_logo, **extras)


@functools.lru_cache(maxsize=256)
def _dates(second: int, last_modified: object, seconds: int) -> tuple[str, dt.datetime, str]:
    """(``Expires``, the modification time, ``Last-Modified``) of an answer made in ``second``
    (Unix time) that lives ``seconds``; a modification time is never later than now. Memoised:
    the answers made in one second share their dates."""
    now = dt.datetime.fromtimestamp(second, dt.UTC)
    modified = min(_as_utc(last_modified, now).replace(microsecond=0), now)
    return http_date(now + dt.timedelta(seconds=seconds)), modified, http_date(modified)


def _not_modified(etag: str, last_modified: dt.datetime) -> bool:
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    since = request.if_modified_since
    return since is not None and last_modified <= since


@dataclasses.dataclass(slots=True)
class Answer:
    """A finished badge answer before it is a werkzeug ``Response``: what ``_answer`` decided.

    ``response()`` makes the ``Response`` a Flask view returns. The answer is also a WSGI app
    sending the very status line, headers and bytes that ``Response`` would send, without its
    header bookkeeping: the hot path's lanes answer with it outside Flask.
    """

    status_code: int
    headers: dict[str, str]
    body: bytes
    content_type: str

    def response(self) -> Response:
        """The werkzeug ``Response`` of this answer (a ``304`` carries no body or type)."""
        if self.status_code == 304:
            return Response(status=304, headers=self.headers)
        response = Response(self.body, status=self.status_code, headers=self.headers)
        response.content_type = self.content_type
        return response

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if self.status_code != 200:  # rare here: let werkzeug apply its status rules
            return self.response()(environ, start_response)
        headers = [
            *self.headers.items(),
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
        ]
        start_response("200 OK", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [self.body]


#: what ``badge_answer`` gives: a drawn badge's ``Answer``, or an error's ``Response``
WSGIAnswer = Answer | Response


def as_response(answer: WSGIAnswer) -> Response:
    """The ``Response`` of a ``badge_answer`` (a Flask view returns it)."""
    return answer.response() if isinstance(answer, Answer) else answer


def _answer(
    rendered: render_cache.Rendered,
    *,
    status: int,
    cache_seconds: int,
    requested: int | None,
    last_modified: dt.datetime | None,
    private: bool = False,
    cache_template: str | None = None,
) -> Answer:
    control, seconds = cache_control(
        cache_seconds, requested, private=private, template=cache_template
    )
    moment = last_modified if isinstance(last_modified, dt.datetime) else None
    expires, modified, modified_text = _dates(int(time.time()), moment, seconds)
    headers = {
        "Cache-Control": control,
        "Expires": expires,
        "ETag": rendered.etag,
        "Last-Modified": modified_text,
        "Access-Control-Allow-Origin": "*",
        "X-Content-Type-Options": "nosniff",
    }
    if rendered.content_type.startswith("image/svg"):
        headers["Content-Security-Policy"] = SVG_CSP
    if status == 200 and _not_modified(rendered.etag, modified):
        return Answer(304, headers, b"", rendered.content_type)
    return Answer(status, headers, rendered.body, rendered.content_type)


def _finish(rendered: render_cache.Rendered, **options: Any) -> Response:
    """``_answer`` as a ``Response``."""
    return _answer(rendered, **options).response()


def bytes_response(
    body: bytes,
    fmt: str = "svg",
    *,
    status: int = 200,
    cache_seconds: int = DEFAULT_CACHE_SECONDS,
    requested: int | None = None,
    last_modified: dt.datetime | None = None,
    private: bool = False,
    cache_template: str | None = None,
) -> Response:
    """The response path for bytes a family drew itself (a composite, a stored image).

    Same headers, ETag and 304 handling as ``badge_response``; ``fmt`` (svg | png | json) sets
    the content type; ``requested`` is the user's ``cacheSeconds`` (``query.cache_seconds``).
    """
    return _finish(
        render_cache.make_rendered(body, fmt),
        status=status,
        cache_seconds=cache_seconds,
        requested=requested,
        last_modified=last_modified,
        private=private,
        cache_template=cache_template,
    )


def _json_error_body(error: BadgeError, status: int) -> bytes:
    body: dict[str, Any] = {
        "error": type(error).__name__,
        "code": status,
        "message": error.detail or error.message,
    }
    if isinstance(error, RateLimitExceeded):
        body["retryAfter"] = error.retry_after
    if has_request_context():
        body["requestId"] = request_id()
    return render_cache.json_bytes(body)


def _limited(error: RateLimited, response: Response) -> Response:
    """What every over-limit answer carries: never stored, and when to come back."""
    response.headers["Cache-Control"] = "no-store"
    response.headers.pop("Expires", None)
    response.headers["Retry-After"] = str(getattr(error, "retry_after", 60))
    return response


def last_good_response() -> Response | None:
    """The last good answer stored for this request's URL (the limit policy's stale image),
    marked ``X-Badge-Stale: 1``; None when the hot path holds none."""
    if not has_request_context():
        return None
    hot = request.environ.get(hot_path.ENVIRON_KEY)
    stored = hot.last_good(request.environ) if hot is not None else None
    if stored is None:
        return None
    response = Response(stored.body, status=200)
    skip = {"cache-control", "expires", "content-length", "age"}
    for name, value in stored.headers:
        if name.lower() not in skip:
            response.headers[name] = value
    response.headers["X-Badge-Stale"] = "1"
    return response


def _last_resort(status: int = 500) -> Response:
    rendered = render_cache.make_rendered(_LAST_RESORT_SVG, "svg")
    return _finish(rendered, status=status, cache_seconds=0, requested=None, last_modified=None)


def error_response(
    error: BadgeError,
    query: BadgeQuery | None = None,
    *,
    fmt: str | None = None,
    label: str = "",
    cache_seconds: int = DEFAULT_CACHE_SECONDS,
) -> Response:
    """Answer ``error`` in the requested format.

    Image formats: the error badge (``label`` or the user's ``?label``, the error's message and
    colour, the user's style/logo/links) with ``error.image_status``. JSON: the error body with
    ``error.status``. ``fmt`` (explicit) wins over ``query.fmt``. Without ``query`` the current
    request is parsed and decides (path suffix, then ``?format=``); then ``fmt="svg"`` counts
    as a mere default, so an app-wide handler may pass it and ``?format=json`` still gets JSON.
    The user's ``cacheSeconds`` does not lengthen the life of an error; transient errors
    (status >= 500) live at most 60 s.
    """
    note_error(error)  # analytics counts error badges
    if query is None:
        query = current_query()
        if fmt == "svg":  # only the default: the request's own suffix or ?format= decides
            fmt = None
    fmt = parse_format(fmt, query.fmt) if fmt else query.fmt
    if isinstance(error, RateLimitExceeded) and fmt != "json":
        stale = last_good_response()  # an image over a limit: its last good image
        if stale is not None:
            return _limited(error, stale)
    seconds = cache_seconds
    if error.status >= 500:
        seconds = min(seconds, TRANSIENT_ERROR_CACHE_SECONDS)
    if fmt == "json":
        rendered = render_cache.make_rendered(_json_error_body(error, error.status), "json")
        response = _finish(
            rendered,
            status=error.status,
            cache_seconds=seconds,
            requested=None,
            last_modified=None,
        )
        return _limited(error, response) if isinstance(error, RateLimited) else response
    spec = query.error_spec(error, label=label)
    try:
        rendered = _render(spec, fmt, query.scale, is_error=True)
    except Exception:
        log.exception("error badge could not be rendered")
        return _last_resort()
    response = _finish(
        rendered,
        status=error.image_status,
        cache_seconds=seconds,
        requested=None,
        last_modified=None,
    )
    return _limited(error, response) if isinstance(error, RateLimited) else response


def badge_answer(
    badge: BadgeSpec | BadgeError,
    query: BadgeQuery | None = None,
    *,
    fmt: str | None = None,
    cache_seconds: int = DEFAULT_CACHE_SECONDS,
    label: str = "",
    json_body: Mapping[str, Any] | None = None,
    status: int = 200,
    last_modified: dt.datetime | None = None,
    private: bool = False,
    cache_template: str | None = None,
    app: Flask | None = None,
    cache_render: bool = True,
) -> WSGIAnswer:
    """One badge's answer: the ``Answer`` of a drawn badge, or the error's ``Response``. Both
    are WSGI apps; a hot path lane sends them as they are, and ``badge_response`` (every
    family's view) makes them a ``Response``.

    ``badge``: the spec to draw (usually ``query.spec(...)``) or a ``BadgeError`` (then
    ``label`` names the family for the error badge). ``query``: the parsed common parameters
    (default: parsed from the current request). ``fmt``: forces a format (a path suffix);
    default ``query.fmt``. ``cache_seconds``: the family's default lifetime. ``json_body``:
    the family's own document for ``format=json`` (default: shields endpoint JSON of the spec).
    ``last_modified``: when the value was fetched (default now; static badges pass
    ``SERVER_START``). ``private``: the response depends on a user's credentials.
    ``cache_template``: a family spec's own ``Cache-Control`` (see ``cache_control``).
    ``app``: the app whose plugins draw, for a caller outside its context (a lane drawing
    without Flask's request handling); default the current app. ``cache_render=False`` skips
    the render cache: for a caller whose whole answer is kept anyway (a lane's answers are
    stored by the hot path), keeping the bytes twice costs more than drawing them.
    """
    query = query or current_query()
    if isinstance(badge, BadgeError):
        return error_response(badge, query, fmt=fmt, label=label, cache_seconds=cache_seconds)
    fmt = parse_format(fmt, query.fmt) if fmt else query.fmt
    try:
        if fmt == "json" and json_body is not None:
            rendered = render_cache.make_rendered(render_cache.json_bytes(json_body), "json")
        else:
            rendered = _render(
                badge, fmt, query.scale, named_logo=query.logo_name, app=app, cached=cache_render
            )
    except BadgeError as error:
        return error_response(error, query, fmt=fmt, label=badge.label, cache_seconds=cache_seconds)
    except Exception:
        log.exception("badge could not be rendered: %r", badge)
        return error_response(
            BadgeError("internal error"), query, fmt=fmt, label=badge.label, cache_seconds=0
        )
    return _answer(
        rendered,
        status=status,
        cache_seconds=cache_seconds,
        requested=query.cache_seconds,
        last_modified=last_modified,
        private=private,
        cache_template=cache_template,
    )


def badge_response(
    badge: BadgeSpec | BadgeError, query: BadgeQuery | None = None, **options: Any
) -> Response:
    """The response for one badge; every family's view ends here: ``badge_answer`` (same
    arguments) made a ``Response``."""
    return as_response(badge_answer(badge, query, **options))


def value_lifetime(value: Value, default_seconds: int = DEFAULT_CACHE_SECONDS) -> int:
    """The one lifetime rule of a provider value: ``value.cache_seconds`` when set, else the
    family default; a stale value lives at most ``TRANSIENT_ERROR_CACHE_SECONDS`` (60 s) so the
    fresh one follows soon. Every family showing values (``value_response``, compose) uses it."""
    hinted = _seconds(value.cache_seconds) if value.cache_seconds is not None else None
    seconds = hinted if hinted is not None else default_seconds
    if value.stale:
        seconds = min(seconds, TRANSIENT_ERROR_CACHE_SECONDS)
    return seconds


def value_response(
    value: Value,
    query: BadgeQuery | None = None,
    *,
    label: str = "",
    color: str | None = None,
    cache_seconds: int = DEFAULT_CACHE_SECONDS,
    json_body: Mapping[str, Any] | None = None,
    private: bool = False,
) -> Response:
    """``badge_response`` for a provider's ``Value``.

    The badge says ``value.display`` under ``value.label`` (else ``label``) in ``value.color``
    (else ``color``); the user's overrides still win. ``value.cache_seconds`` replaces the
    family default when set; a stale value lives at most 60 s so the fresh one follows soon.
    ``Last-Modified`` is ``value.fetched_at``; a stale value is marked ``X-Badge-Stale: 1``.
    """
    query = query or current_query()
    spec = query.spec(label=value.label or label, message=value.display, color=value.color or color)
    seconds = value_lifetime(value, cache_seconds)
    response = badge_response(
        spec,
        query,
        cache_seconds=seconds,
        json_body=json_body,
        last_modified=value.fetched_at,
        private=private,
    )
    if value.stale:
        response.headers["X-Badge-Stale"] = "1"
    return response


def query_too_long() -> Response | None:
    """An ``invalid parameter`` badge (414) when the query passes ``MAX_QUERY_BYTES``, else None.

    Register as a ``before_request`` hook on badge blueprints (the custom family does).
    """
    if has_request_context() and len(request.query_string) > MAX_QUERY_BYTES:
        error = InvalidParameter(detail=f"query string longer than {MAX_QUERY_BYTES} bytes")
        error.image_status = 414
        error.status = 414
        # the oversized query is not parsed: a plain error badge in the path's format
        return error_response(error, BadgeQuery(fmt=_suffix_format(request.path) or "svg"))
    return None


def not_found_response(path: str) -> Response:
    """Shields' answer for an unknown badge path: red ``404 | badge not found`` (JSON for .json
    or ``?format=json``).

    ``.gif``/``.jpg``/``.jpeg`` get ``410 | <format> no longer available`` as shields does.
    Never raises.
    """
    lowered = path.lower()
    for old in ("gif", "jpg", "jpeg"):
        if lowered.endswith("." + old):
            gone = Deprecated(f"{old} no longer available")
            gone.image_status = 410
            return error_response(
                gone,
                BadgeQuery(fmt="svg"),
                label="410",
                cache_seconds=TRANSIENT_ERROR_CACHE_SECONDS,
            )
    suffix = _suffix_format(lowered)
    try:  # the path's suffix first, then ?format= (a JSON client gets the JSON 404)
        current = current_query()
        query = dataclasses.replace(current, fmt=suffix or current.fmt, label=None)
    except Exception:
        query = BadgeQuery(fmt=suffix or "svg")
    return error_response(
        BadgeNotFound(detail=f"no badge at {path[:200]}"),
        query,
        label="404",
        cache_seconds=TRANSIENT_ERROR_CACHE_SECONDS,
    )
