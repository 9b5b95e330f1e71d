"""The built-in asset folders for layered badges, registered through ``badgeapp_asset_dirs``.

1. The package folder ``badgeapp/layered``, whose ``icons/`` holds the icons the project draws
   itself (``icons/star.png``, ``icons/trophy.png``...; see ``badgeapp.layered.draw_icons``).
2. ``<instance>/assets``: the operator's own images, e.g. ``instance/assets/logo.png`` is
   requested as ``"path": "logo.png"`` (created at start-up).
Only image files (.png, .jpg, .jpeg, .gif, .webp) inside these folders can be used.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app, has_app_context

from badgeapp.hookspecs import hookimpl

BUILTIN_ASSETS = Path(__file__).resolve().parent.parent / "layered"


def instance_assets() -> Path | None:
    """``<instance>/assets`` of the current app (None outside an app context)."""
    if not has_app_context():
        return None
    folder = Path(current_app.instance_path) / "assets"
    os.makedirs(folder, exist_ok=True)
    return folder


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    os.makedirs(Path(app.instance_path) / "assets", exist_ok=True)


@hookimpl
def badgeapp_asset_dirs() -> list[str]:
    folders = [str(BUILTIN_ASSETS)]
    instance = instance_assets()
    if instance is not None:
        folders.append(str(instance))
    return folders
