"""The built-in generic icons (star, heart, check, fork...) through the ``badgeapp_icons`` hook.

Brand logos come from simple-icons in ``badgeapp.render.logos``; these are the non-brand names
the platform spec's ``icon=`` parameter uses.
"""

from __future__ import annotations

from badgeapp.hookspecs import hookimpl
from badgeapp.render.generic_icons import GENERIC_ICONS


@hookimpl
def badgeapp_icons() -> dict[str, str]:
    """Generic icon name -> SVG document."""
    return dict(GENERIC_ICONS)
