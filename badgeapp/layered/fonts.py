"""Font lookup for layered badges: a request's ``font.path`` names a registered font, never a file.

The spec lets ``font.path`` be any server path (``/System/Library/Fonts/Arial.ttf``); opening it
would be an arbitrary file read. Here only its base name counts: ``Arial.ttf``, ``arialbd.ttf``,
``Helvetica-Bold`` or ``DejaVu Sans`` are matched, case- and punctuation-insensitively, against
the families registered through the ``badgeapp_fonts`` hook (their names and aliases, with a
style suffix such as ``-Bold``). A name nobody registered falls back to the default family.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import ImageFont

STYLES = ("regular", "bold", "italic", "bold_italic")
#: style suffixes recognised after a family name, longest first (Windows short forms last)
_SUFFIXES = (
    ("bolditalic", "bold_italic"),
    ("boldoblique", "bold_italic"),
    ("italic", "italic"),
    ("oblique", "italic"),
    ("bold", "bold"),
    ("regular", "regular"),
    ("bi", "bold_italic"),
    ("bd", "bold"),
    ("z", "bold_italic"),
    ("i", "italic"),
    ("b", "bold"),
)
_EXTENSION = re.compile(r"\.(ttf|otf|ttc|woff2?|pfb|dfont)$", re.IGNORECASE)


def font_key(name: str) -> str:
    """``/System/Library/Fonts/Arial Bold.ttf`` -> ``arialbold``: base name, no extension."""
    base = re.split(r"[/\\]", name.strip())[-1]
    base = _EXTENSION.sub("", base)
    return re.sub(r"[^0-9a-z]", "", base.lower())


@dataclass(frozen=True)
class FontFace:
    """One resolved font file."""

    family: str
    style: str
    file: str


class FontBook:
    """The fonts one request may use, built from the ``badgeapp_fonts`` hook's results.

    Families are taken in order (the registry lists built-ins first); a family registered twice
    keeps its first files, and a later family's name or alias takes over an earlier one's, so a
    plugin can map ``Arial`` to a metric-compatible font. The default is the first family marked
    ``"default": True``, else the first family.
    """

    def __init__(self, families: Iterable[Mapping[str, Any]]) -> None:
        self._files: dict[str, dict[str, str]] = {}
        self._index: dict[str, tuple[str, str]] = {}
        self.default: str | None = None
        for family in families:
            name = str(family["name"])
            files = {style: str(path) for style, path in dict(family["files"]).items() if path}
            if "regular" not in files or name in self._files:
                continue
            self._files[name] = files
            if family.get("default") and self.default is None:
                self.default = name
            # later families (plugins come after the built-ins) take over a name or alias
            for key in (name, *family.get("aliases", ())):
                self._index[font_key(str(key))] = (name, "regular")
            for style, path in files.items():
                self._index[font_key(path)] = (name, style)
        if self.default is None and self._files:
            self.default = next(iter(self._files))

    @property
    def families(self) -> list[str]:
        return list(self._files)

    def resolve(self, requested: str) -> FontFace:
        """The registered face for a requested name (the default family when unknown)."""
        if self.default is None:
            raise LookupError("no fonts are registered (badgeapp_fonts hook)")
        key = font_key(requested)
        family, style = self._index.get(key, (None, "regular"))
        if family is None:
            for suffix, suffix_style in _SUFFIXES:
                if key.endswith(suffix) and key[: -len(suffix)] in self._index:
                    family, style = self._index[key[: -len(suffix)]][0], suffix_style
                    break
        if family is None:
            family = self.default
            style = next((s for suf, s in _SUFFIXES[:5] if key.endswith(suf)), "regular")
        files = self._files[family]
        if style not in files:
            style = "bold" if style == "bold_italic" and "bold" in files else "regular"
        return FontFace(family, style, files[style])

    def font(self, requested: str, size: int) -> ImageFont.FreeTypeFont:
        """A loaded font for ``requested`` at ``size`` pixels (cached across requests).

        With no family registered at all (the font package missing), Pillow's own bundled
        font is used rather than failing.
        """
        if self.default is None:
            return _pillow_font(size)
        return load_font(self.resolve(requested).file, size)


@lru_cache(maxsize=256)
def load_font(file: str, size: int) -> ImageFont.FreeTypeFont:
    """Open a registered font file once per size."""
    return ImageFont.truetype(file, size=size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=64)
def _pillow_font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont)
    return font
