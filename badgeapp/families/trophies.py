"""The trophies family: ``GET /v2/trophies/{username}`` (``.svg``, ``.png``, ``.json``).

Thin: grid options and the user's trophies from ``badgeapp.trophies.service`` (cached, limited
like the rank), drawn by ``badgeapp.render.cards.trophies`` in an engine theme, answered through
the one response path. Errors are error badges (``not found``, ``invalid parameter``...).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, request
from flask_limiter.util import get_remote_address

from badgeapp.badges.card_themes import engine_theme
from badgeapp.badges.provider_values import split_suffix
from badgeapp.errors import BadgeError
from badgeapp.extensions import limiter
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import badge_response, bytes_response, query_too_long
from badgeapp.http.query import parse_query
from badgeapp.http.render_cache import json_bytes
from badgeapp.render.cards.palette import card_palette
from badgeapp.render.cards.trophies import draw_trophy_grid
from badgeapp.render.raster import svg_to_png
from badgeapp.trophies.service import MAX_ROWS, panels, parse_grid, trophies_payload

bp = Blueprint("trophies", __name__)
bp.before_request(query_too_long)

#: browsers and CDNs keep a trophy grid four hours (the statistics are cached a day)
CACHE_SECONDS = 4 * 3600


@bp.get("/v2/trophies/<path:username>")
@limiter.exempt
def trophies(username: str) -> Response:
    username, fmt = split_suffix(username)
    query = parse_query(request.args, fmt=fmt)
    force = str(request.args.get("force", "")).lower() in ("1", "true", "yes")
    try:
        grid = parse_grid(request.args)
        payload, hit = trophies_payload(username, get_remote_address(), force=force)
    except BadgeError as error:
        return badge_response(error, query, label="trophies", cache_seconds=300)
    if query.fmt == "json":
        response = bytes_response(json_bytes(payload), "json", cache_seconds=CACHE_SECONDS)
    else:
        palette = card_palette(engine_theme(query.theme))
        rows = grid.rows or MAX_ROWS
        svg = draw_trophy_grid(panels(payload), grid.columns, rows, grid.margin, palette)
        if query.fmt == "png":
            response = bytes_response(
                svg_to_png(svg, query.scale), "png", cache_seconds=CACHE_SECONDS
            )
        else:
            response = bytes_response(svg.encode(), "svg", cache_seconds=CACHE_SECONDS)
    response.headers["X-Cache"] = "HIT" if hit else "MISS"
    return response


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]
