"""The layered PNG badge generator (``POST /api/badge/generate``): validation and compositor.

``parse_request(body)`` validates request JSON into a ``BadgeConfig``; ``render_png(config,
fonts, assets)`` draws it. Neither needs Flask: fonts and asset folders are passed in.
"""

from badgeapp.layered.assets import AssetError, AssetLibrary
from badgeapp.layered.compose import compose, encode_png, render_png
from badgeapp.layered.fonts import FontBook
from badgeapp.layered.validation import ValidationFailed, parse_request

__all__ = [
    "AssetError",
    "AssetLibrary",
    "FontBook",
    "ValidationFailed",
    "compose",
    "encode_png",
    "parse_request",
    "render_png",
]
