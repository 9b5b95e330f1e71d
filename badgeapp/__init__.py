"""badgeapp: a self-hostable, shields-compatible badge server.

``create_app`` is the application factory; ``hookimpl`` is what plugins import::

    from badgeapp import hookimpl
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from badgeapp.config import ConfigError, load_config
from badgeapp.hookspecs import hookimpl, hookspec

__all__ = ["ConfigError", "create_app", "hookimpl", "hookspec"]

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, plugins, one blueprint per badge family.

    ``config`` wins over every other configuration source (used by tests).
    """
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("BADGEAPP_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path, config))
    from badgeapp.http.sessions import LazyCookieSessionInterface

    app.session_interface = LazyCookieSessionInterface()

    from badgeapp.badges import invalidation
    from badgeapp.badges.limits import init_limits
    from badgeapp.extensions import init_extensions
    from badgeapp.http import hot_path
    from badgeapp.http.api_errors import register_error_handlers
    from badgeapp.http.security_headers import register_security_headers
    from badgeapp.plugins import PluginRegistry

    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])  # type: ignore[method-assign]
    init_extensions(app)
    invalidation.configure(app)
    init_limits(app)

    registry = PluginRegistry(
        app.config["BADGEAPP_PLUGINS_DIR"],
        load_entrypoints=app.config["LOAD_ENTRYPOINT_PLUGINS"],
        reload_interval=app.config["PLUGINS_RELOAD_INTERVAL"],
    )
    app.extensions["badgeapp.plugins"] = registry

    for blueprints in reversed(registry.hook.badgeapp_register_routes(app=app)):
        for blueprint in blueprints or []:
            app.register_blueprint(blueprint)

    @app.before_request
    def _reload_plugins() -> None:
        if request.endpoint != "static" and registry.maybe_reload():
            invalidation.invalidate("plugins")

    register_error_handlers(app)
    register_security_headers(app)
    registry.hook.badgeapp_startup(app=app)
    hot_path.install(app)  # outermost: repeated requests never reach Flask's routing
    return app
