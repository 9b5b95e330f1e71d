"""The rank family (rank spec): ``GET /rank/{username}`` and ``GET /stats/{username}``.

Thin: parse (``badgeapp.rank.params``), compute or read the cache (``badgeapp.rank.service``),
answer through ``badgeapp.rank.respond`` (the one response path). Every failure is one of the
spec's eleven catalogue errors; anything unexpected is ``InternalError`` with its requestId in
the log. The app-wide default limit does not apply: the spec's own limits count cold requests
only (``badgeapp.rank.limits``).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, request
from flask_limiter.util import get_remote_address

from badgeapp.extensions import limiter
from badgeapp.hookspecs import hookimpl
from badgeapp.rank import errors, respond
from badgeapp.rank.params import parse_request, wants_json
from badgeapp.rank.service import rank_payload, stats_payload
from badgeapp.rank.themes import DEFAULT_THEME, card_themes

bp = Blueprint("rank", __name__)


def _answer(username: str, kind: str) -> Response:
    ip = get_remote_address()
    themes = card_themes()
    as_json = kind == "stats" or wants_json(request.args, request.headers.get("Accept"))
    theme = themes.get(str(request.args.get("theme") or DEFAULT_THEME), themes[DEFAULT_THEME])
    try:
        req = parse_request(username, request.args, request.headers, themes)
        if kind == "stats":
            payload, hit = stats_payload(req, ip)
        else:
            payload, hit = rank_payload(req, ip)
    except errors.RankError as error:
        return respond.failure(error, fmt="json" if as_json else "svg", theme=theme, ip=ip)
    except Exception:
        respond.log.exception("rank: unexpected failure [%s]", respond.request_id())
        error = errors.InternalError(
            "Unexpected server error. Contact support with the requestId.",
        )
        return respond.failure(error, fmt="json" if as_json else "svg", theme=theme, ip=ip)
    return respond.success(
        payload,
        fmt="json" if as_json else req.fmt,
        theme=None if as_json else themes[req.theme],
        hit=hit,
        # a user's token, or a forced recomputation (which the limits count): never shared
        private=req.token is not None or req.force,
        ip=ip,
    )


@bp.get("/rank/<path:username>")
@limiter.exempt
def rank_card(username: str) -> Response:
    """The rank card (SVG) or, with ``format=json`` / ``Accept: application/json``, JSON."""
    return _answer(username, "rank")


@bp.get("/stats/<path:username>")
@limiter.exempt
def user_stats(username: str) -> Response:
    """Raw statistics with the per-year breakdown (JSON)."""
    return _answer(username, "stats")


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]
