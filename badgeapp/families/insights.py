"""The insights family: ``GET /v2/insights/{owner}/{repo}/heatmap`` (``.svg`` / ``.png``).

The insight *badges* (``commit_velocity``, ``issue_resolution``, ``activity_rank``) are metrics of
the github provider, served by the provider family at ``/v2/badge/github/{owner}/{repo}/...``;
this blueprint adds their shields-style spellings (``/github/commit-velocity/{owner}/{repo}``,
resolved by the same provider) and draws the 52x7 commit heatmap in an engine theme.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from badgeapp.badges.card_themes import engine_theme
from badgeapp.badges.provider_values import (
    find_provider,
    request_args,
    resolve_with,
    resolved_response,
    split_suffix,
)
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
#: shields-style spellings of the insight badges -> the github provider's metric
SHIELDS_STYLE = {
    "commit-velocity": "commit_velocity",
    "issue-resolution": "issue_resolution",
    "activity-rank": "activity_rank",
}
#: lifetime of an insight badge whose value names none (the provider family's default)
BADGE_CACHE_SECONDS = 300


@bp.get(
    "/github/<any('commit-velocity', 'issue-resolution', 'activity-rank'):insight>/<owner>/<repo>"
)
def shields_style(insight: str, owner: str, repo: str) -> Response:
    """``/github/commit-velocity/pallets/flask``: the ``commit_velocity`` provider badge."""
    repo, fmt = split_suffix(repo)
    query = parse_query(request.args, fmt=fmt)
    metric = SHIELDS_STYLE[insight]
    try:
        resolved = resolve_with(
            find_provider("github"), [owner, repo, metric], request_args(), current_app.config
        )
    except BadgeError as error:
        label = metric.replace("_", " ")
        return badge_response(error, query, label=label, cache_seconds=BADGE_CACHE_SECONDS)
    return resolved_response(resolved, query, BADGE_CACHE_SECONDS)


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
