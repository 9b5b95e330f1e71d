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
    """Return provider objects (name, subject_parts, metrics, resolve) that turn a subject and metric into a Value."""


@hookspec
def badgeapp_themes() -> list[dict[str, Any]]:
    """Return theme documents (validated data: name, colours, text, shadow, animation) for the badge engine."""


@hookspec
def badgeapp_fonts() -> list[dict[str, Any]]:
    """Return font families ({"name", "files": {"regular": path, "bold": path}, "aliases"}) for PNG and layered images."""


@hookspec
def badgeapp_icons() -> dict[str, str]:
    """Return named icons as SVG markup ({"star": "<svg ...>"}), usable as ?logo= / ?icon= beside brand logos."""


@hookspec
def badgeapp_asset_dirs() -> list[str]:
    """Return folders whose images layered badges may reference by relative path (e.g. "icons/star.png")."""


@hookspec
def badgeapp_report_parsers() -> list[Any]:
    """Return quality-report parsers (name, detect(body, content_type), parse(body) -> metrics) for uploads."""


@hookspec
def badgeapp_register_routes(app: Any) -> list[Any]:
    """Return Flask blueprints to register on the app (each badge family is one)."""


@hookspec
def badgeapp_register_commands(cli: Any) -> None:
    """Add click commands to the ``badgeapp`` command-line group."""


@hookspec
def badgeapp_startup(app: Any) -> None:
    """Run once when the application has been created (warm caches, start background jobs)."""
