"""The built-in fonts, registered through the ``badgeapp_fonts`` hook.

DejaVu Sans (the default), DejaVu Sans Mono and DejaVu Serif, freely licensed (Bitstream Vera
licence and public domain changes). The TTF files come from an installed PyPI package rather than
this repository: matplotlib ships the DejaVu families in ``matplotlib/mpl-data/fonts/ttf``. The
files are located through the package metadata, so matplotlib itself is never imported.
Proprietary names that requests commonly use (Arial, Helvetica, Times New Roman, Courier...) are
aliases of the closest DejaVu family.
"""

from __future__ import annotations

import importlib.metadata
from functools import lru_cache
from pathlib import Path
from typing import Any

from badgeapp.hookspecs import hookimpl

FONT_PACKAGE = "matplotlib"
FONT_FOLDER = "matplotlib/mpl-data/fonts/ttf"

_FAMILIES: tuple[tuple[str, dict[str, str], tuple[str, ...]], ...] = (
    (
        "DejaVu Sans",
        {
            "regular": "DejaVuSans.ttf",
            "bold": "DejaVuSans-Bold.ttf",
            "italic": "DejaVuSans-Oblique.ttf",
            "bold_italic": "DejaVuSans-BoldOblique.ttf",
        },
        (
            "sans",
            "sans-serif",
            "Arial",
            "Helvetica",
            "Helvetica Neue",
            "Verdana",
            "Tahoma",
            "Segoe UI",
            "Roboto",
            "Open Sans",
            "Liberation Sans",
            "Arimo",
            "San Francisco",
            "SF Pro",
            "SF Pro Display",
            "SF Pro Text",
        ),
    ),
    (
        "DejaVu Sans Mono",
        {
            "regular": "DejaVuSansMono.ttf",
            "bold": "DejaVuSansMono-Bold.ttf",
            "italic": "DejaVuSansMono-Oblique.ttf",
            "bold_italic": "DejaVuSansMono-BoldOblique.ttf",
        },
        ("mono", "monospace", "Courier", "Courier New", "Menlo", "Monaco", "Consolas"),
    ),
    (
        "DejaVu Serif",
        {
            "regular": "DejaVuSerif.ttf",
            "bold": "DejaVuSerif-Bold.ttf",
            "italic": "DejaVuSerif-Italic.ttf",
            "bold_italic": "DejaVuSerif-BoldItalic.ttf",
        },
        ("serif", "Times", "Times New Roman", "Georgia", "Liberation Serif", "Tinos"),
    ),
)


@lru_cache(maxsize=1)
def font_folder() -> Path | None:
    """Where the installed font package keeps its TTF files (None when it is not installed)."""
    try:
        dist = importlib.metadata.distribution(FONT_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    folder = Path(str(dist.locate_file(FONT_FOLDER)))
    return folder if (folder / "DejaVuSans.ttf").is_file() else None


@hookimpl
def badgeapp_fonts() -> list[dict[str, Any]]:
    folder = font_folder()
    if folder is None:
        return []
    families = []
    for index, (name, files, aliases) in enumerate(_FAMILIES):
        paths = {style: str(folder / file) for style, file in files.items()}
        if all(Path(path).is_file() for path in paths.values()):
            families.append(
                {"name": name, "files": paths, "aliases": list(aliases), "default": index == 0}
            )
    return families
