"""The built-in families' OpenAPI fragments, one module per family.

To document a new family: add ``badgeapp/openapi/fragments/<family>.py`` with a
``fragment() -> dict`` (``{"paths", "components", "tags"}``, helpers in
``badgeapp.openapi.common``) and its module name to ``BUILTIN``; or implement the
``badgeapp_openapi(app)`` hook in the family's own module.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask

from badgeapp.hookspecs import hookimpl
from badgeapp.openapi.common import COMPONENTS

#: fragment modules under badgeapp.openapi.fragments, one per family
BUILTIN = (
    "operations",
    "custom",
    "providers",
    "plugin_badges",
    "compose",
    "v1",
    "quality",
    "nice",
    "layered",
    "docs",
    "live",
    "dashboard",
    "rank",
    "shields",
)


def builtin_fragments() -> list[dict[str, Any]]:
    """Every built-in fragment, the shared components first."""
    fragments: list[dict[str, Any]] = [{"components": COMPONENTS}]
    for name in BUILTIN:
        module = importlib.import_module(f"{__name__}.{name}")
        fragments.append(module.fragment())
    return fragments


@hookimpl
def badgeapp_openapi(app: Flask) -> list[dict[str, Any]]:
    """The built-in families' documentation."""
    return builtin_fragments()
