"""The live family: ``WS /ws/live/{provider}/{subject...}`` and ``WS /ws/live/{metric}``.

Thin: the URL names the subject (``?metrics=stars,forks`` subscribes at once) or the metric
(``?subject=github/pallets/flask``, repeatable); ``badgeapp.live.session.serve`` runs the
socket and ``badgeapp.live`` polls and fans out. A browser ``Origin`` outside
``LIVE_ALLOWED_ORIGINS`` (when set) is refused with 403 before the upgrade.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.routing.exceptions import WebsocketMismatch

from badgeapp.extensions import sock
from badgeapp.hookspecs import hookimpl
from badgeapp.http.api_errors import json_error
from badgeapp.live import get_hub
from badgeapp.live.session import Scope, serve

bp = Blueprint("live", __name__)


@bp.before_request
def check_origin() -> Any:
    """Refuse sockets opened by pages of origins that are not allowed."""
    allowed = current_app.config["LIVE_ALLOWED_ORIGINS"]
    origin = request.headers.get("Origin")
    if allowed and origin and origin not in allowed:
        return json_error("Forbidden", 403, "origin not allowed")
    return None


@bp.app_errorhandler(WebsocketMismatch)
def not_a_websocket(_exc: WebsocketMismatch) -> Response:
    """Plain HTTP on a socket route: 426 asking for the upgrade (a socket elsewhere: 400)."""
    if request.path.startswith("/ws/"):
        response = json_error("UpgradeRequired", 426, "this endpoint speaks WebSocket only")
        response.headers["Upgrade"] = "websocket"
        return response
    return json_error("BadRequest", 400, "WebSocket is not served here")


def _csv(name: str) -> list[str]:
    return [part.strip() for value in request.args.getlist(name) for part in value.split(",")]


@sock.route("/ws/live/<provider>/<path:subject>", bp=bp)
def live_subject(ws: Any, provider: str, subject: str) -> None:
    """``WS /ws/live/github/pallets/flask?metrics=stars,forks``."""
    name = f"{provider}/{subject.strip('/')}"
    initial = [f"{name}/{metric}" for metric in _csv("metrics") if metric]
    app = current_app._get_current_object()
    serve(ws, get_hub(app), app.config, request.remote_addr or "-", Scope(subject=name), initial)


@sock.route("/ws/live/<metric>", bp=bp)
def live_metric(ws: Any, metric: str) -> None:
    """``WS /ws/live/stars?subject=github/pallets/flask`` (the spec's form)."""
    initial = [f"{subject.strip('/')}/{metric}" for subject in _csv("subject") if subject]
    app = current_app._get_current_object()
    serve(ws, get_hub(app), app.config, request.remote_addr or "-", Scope(metric=metric), initial)


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    """The live family's blueprint."""
    return [bp]


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Socket options: protocol pings at the heartbeat interval, a cap on message size."""
    app.config.setdefault(
        "SOCK_SERVER_OPTIONS",
        {
            "ping_interval": app.config["LIVE_HEARTBEAT_SECONDS"],
            "max_message_size": app.config["LIVE_MAX_MESSAGE_BYTES"] or None,
        },
    )
