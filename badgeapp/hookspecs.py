"""Every plugin hook badgeapp calls, one documented function each.

Built-in features implement these hooks exactly like third-party plugins do (see
``badgeapp.plugins.DEFAULT_PLUGINS``). Each hook is documented in the README's
"Plugin hooks" section and has a ``test_hook_<name>`` test (both checked by tests).
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("badgeapp")
hookimpl = pluggy.HookimplMarker("badgeapp")


@hookspec
def badgeapp_providers() -> list[Any]:
    """Return providers (name, subject_parts, metrics, resolve) giving a Value per metric."""


@hookspec
def badgeapp_themes() -> list[dict[str, Any]]:
    """Return theme documents (validated data: name, colours, shadow, animation) for the engine."""


@hookspec
def badgeapp_rank_themes() -> list[dict[str, Any]]:
    """Return rank card theme documents (name + hex colours) usable as /rank/NAME?theme=."""


@hookspec
def badgeapp_fonts() -> list[dict[str, Any]]:
    """Return font families ({"name", "files": {style: path}, "aliases"}) for PNG and layers."""


@hookspec
def badgeapp_icons() -> dict[str, str]:
    """Return named icons as SVG markup ({"star": "<svg ...>"}), usable as ?logo= and ?icon=."""


@hookspec
def badgeapp_asset_dirs() -> list[str]:
    """Return folders whose images layered badges may use by relative path ("icons/star.png")."""


@hookspec
def badgeapp_report_parsers() -> list[Any]:
    """Return report parsers (name, detect(body, content_type), parse(body)) for uploads."""


@hookspec
def badgeapp_register_routes(app: Any) -> list[Any]:
    """Return Flask blueprints to register on the app (each badge family is one)."""


@hookspec
def badgeapp_register_commands(cli: Any) -> None:
    """Add click commands to the ``badgeapp`` command-line group."""


@hookspec
def badgeapp_startup(app: Any) -> None:
    """Run once when the application has been created (warm caches, start background jobs)."""


@hookspec
def badgeapp_openapi(app: Any) -> list[dict[str, Any]]:
    """Return OpenAPI fragments ({"paths", "components", "tags"}) documenting your routes."""


@hookspec
def badgeapp_jobs(app: Any) -> list[Any]:
    """Return scheduled jobs (badgeapp.scheduler.Job: name, seconds, func(app)) for the runner."""
