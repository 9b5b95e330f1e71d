"""The insights family: ``GET /v2/insights/{owner}/{repo}/heatmap`` (``.svg`` / ``.png``).

The insight *badges* (``commit_velocity``, ``issue_resolution``, ``activity_rank``) are metrics of
the github provider, served by the provider family at ``/v2/badge/github/{owner}/{repo}/...``.
This blueprint draws the 52x7 commit heatmap in an engine theme (``?theme=``).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from badgeapp.badges.card_themes import engine_theme
from badgeapp.badges.provider_values import request_args, split_suffix
from badgeapp.errors import BadgeError
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import (
    TRANSIENT_ERROR_CACHE_SECONDS,
    badge_response,
    bytes_response,
    not_found_response,
    query_too_long,
)
from badgeapp.http.query import parse_query
from badgeapp.insights.heatmap import commit_grid
from badgeapp.render.cards.heatmap import draw_heatmap
from badgeapp.render.cards.palette import card_palette
from badgeapp.render.raster import svg_to_png

bp = Blueprint("insights", __name__)
bp.before_request(query_too_long)

#: GitHub recomputes the statistics about daily; an hour keeps the heatmap close
CACHE_SECONDS = 3600


@bp.get("/v2/insights/<owner>/<repo>/<kind>")
def heatmap(owner: str, repo: str, kind: str) -> Response:
    kind, fmt = split_suffix(kind)
    query = parse_query(request.args, fmt=fmt)
    if kind != "heatmap" or query.fmt == "json":
        return not_found_response(request.path)
    try:
        weeks, stale = commit_grid(owner, repo, request_args(), current_app.config)
    except BadgeError as error:
        return badge_response(error, query, label="heatmap", cache_seconds=300)
    svg = draw_heatmap(weeks, f"{owner}/{repo}", card_palette(engine_theme(query.theme)))
    seconds = TRANSIENT_ERROR_CACHE_SECONDS if stale else CACHE_SECONDS
    if query.fmt == "png":
        response = bytes_response(svg_to_png(svg, query.scale), "png", cache_seconds=seconds)
    else:
        response = bytes_response(svg.encode(), "svg", cache_seconds=seconds)
    if stale:
        response.headers["X-Badge-Stale"] = "1"
    return response


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]
