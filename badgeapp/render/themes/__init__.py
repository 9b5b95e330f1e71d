"""Themes are data: validated documents (JSON files here, or dicts from the themes hook).

``load_theme(doc)`` checks a document against the schema below and returns a frozen ``Theme``;
any problem raises ValueError naming the field. ``compile_look(theme, animated)`` turns a theme
into the render-ready ``Look``. Colours in themes are hex only (a closed grammar), fonts are
plain family lists, numbers are bounded: a theme can change how a badge looks, never inject
markup. Widths always stay those of the style.

Schema (every key optional except ``name``)::

    name              str   [a-z0-9-], at most 32 characters
    description       str   at most 200 characters
    palette           "v6" | "classic"             named colours (color=red) resolve through it
    label_color       hex   default label background (shields: #555)
    color             hex   default message background (default: the palette's brightgreen)
    text_color        hex   fixed text colour (default: light/dark by background brightness)
    logo_color        hex   colour of named logos without ?logoColor= (default: brand colour)
    shadow            "blur" | "single" | "none"   text shadow (v6, classic, none)
    font_family       str   display font list (letters, digits, spaces, commas, dashes)
    gradient          [{"offset": 0..1, "color": hex, "opacity": 0..1}] (omit: the style's own)
    background_opacity  0..1
    crisp             bool  crisp edges
    border            {"color": hex, "width": 0.5..3}
    glow              {"color": hex, "radius": 0.5..6}   text glow
    dark              {"label_color", "color", "text_color", "border_color": hex}
                      applied under @media (prefers-color-scheme: dark)
    animation         {"effect": "pulse"|"glow"|"shimmer"|"scan", "duration": 0.5..10}
                      used when the badge asks for animated=true
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import re
from collections.abc import Mapping
from typing import Any

from badgeapp.render.decorate import ANIMATIONS
from badgeapp.render.look import PALETTES, Look
from badgeapp.render.markup import num

THEME_DIR = pathlib.Path(__file__).resolve().parent
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FONT = re.compile(r"[A-Za-z0-9 ,\-]{1,100}")
SHADOWS = ("blur", "single", "none")
KEYS = {
    "name",
    "description",
    "palette",
    "label_color",
    "color",
    "text_color",
    "logo_color",
    "shadow",
    "font_family",
    "gradient",
    "background_opacity",
    "crisp",
    "border",
    "glow",
    "dark",
    "animation",
}
DARK_KEYS = ("label_color", "color", "text_color", "border_color")

#: how many stops a theme's gradient may have
MAX_GRADIENT_STOPS = 8
_HEX_SCHEMA = {"type": "string", "pattern": "^" + _HEX.pattern + "$"}
#: the same rules as a JSON Schema document, for editors and the theme API (load_theme is the
#: authority: it also checks what JSON Schema cannot say as plainly)
THEME_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "badgeapp theme",
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": "^" + _NAME.pattern + "$"},
        "description": {"type": "string", "maxLength": 200},
        "palette": {"enum": ["v6", "classic"]},
        "label_color": _HEX_SCHEMA,
        "color": _HEX_SCHEMA,
        "text_color": _HEX_SCHEMA,
        "logo_color": _HEX_SCHEMA,
        "shadow": {"enum": list(SHADOWS)},
        "font_family": {"type": "string", "pattern": "^" + _FONT.pattern + "$"},
        "gradient": {
            "type": "array",
            "maxItems": MAX_GRADIENT_STOPS,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["offset"],
                "properties": {
                    "offset": {"type": "number", "minimum": 0, "maximum": 1},
                    "color": _HEX_SCHEMA,
                    "opacity": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
        },
        "background_opacity": {"type": "number", "minimum": 0, "maximum": 1},
        "crisp": {"type": "boolean"},
        "border": {
            "type": "object",
            "additionalProperties": False,
            "required": ["width"],
            "properties": {
                "color": _HEX_SCHEMA,
                "width": {"type": "number", "minimum": 0.5, "maximum": 3},
            },
        },
        "glow": {
            "type": "object",
            "additionalProperties": False,
            "required": ["radius"],
            "properties": {
                "color": _HEX_SCHEMA,
                "radius": {"type": "number", "minimum": 0.5, "maximum": 6},
            },
        },
        "dark": {
            "type": "object",
            "additionalProperties": False,
            "properties": {key: _HEX_SCHEMA for key in DARK_KEYS},
        },
        "animation": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "effect": {"enum": ["pulse", "glow", "shimmer", "scan"]},
                "duration": {"type": "number", "minimum": 0.5, "maximum": 10},
            },
        },
    },
}


@dataclasses.dataclass(frozen=True)
class Theme:
    """A validated theme (hashable: nested values are tuples)."""

    name: str
    description: str = ""
    palette: str = "v6"
    label_color: str = "#555"
    color: str | None = None
    text_color: str | None = None
    logo_color: str | None = None
    shadow: str = "blur"
    font_family: str | None = None
    gradient: tuple[tuple[float, str, float], ...] | None = None
    background_opacity: float = 1.0
    crisp: bool = False
    border: tuple[str, float] | None = None
    glow: tuple[str, float] | None = None
    dark: tuple[str, str, str, str] | None = None
    animation: tuple[str, float] = ("pulse", 2.0)

    def to_doc(self) -> dict[str, Any]:
        """The theme as a JSON-ready document (what load_theme accepts)."""
        doc: dict[str, Any] = {"name": self.name, "description": self.description}
        doc |= {"palette": self.palette, "label_color": self.label_color, "shadow": self.shadow}
        for key in ("color", "text_color", "logo_color", "font_family"):
            if getattr(self, key) is not None:
                doc[key] = getattr(self, key)
        if self.gradient is not None:
            doc["gradient"] = [{"offset": o, "color": c, "opacity": a} for o, c, a in self.gradient]
        doc["background_opacity"] = self.background_opacity
        doc["crisp"] = self.crisp
        if self.border:
            doc["border"] = {"color": self.border[0], "width": self.border[1]}
        if self.glow:
            doc["glow"] = {"color": self.glow[0], "radius": self.glow[1]}
        if self.dark:
            doc["dark"] = {k: v for k, v in zip(DARK_KEYS, self.dark, strict=True) if v}
        doc["animation"] = {"effect": self.animation[0], "duration": self.animation[1]}
        return doc


def _hex(doc: Mapping[str, Any], key: str, where: str = "") -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ValueError(f"{where}{key}: expected a hex colour like #1a2b3c, got {value!r}")
    return value.lower()


def _number(doc: Mapping[str, Any], key: str, lo: float, hi: float, where: str = "") -> float:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise ValueError(f"{where}{key}: expected a number from {lo} to {hi}, got {value!r}")
    return float(value)


def _object(doc: Mapping[str, Any], key: str, allowed: set[str]) -> Mapping[str, Any] | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"{key}: expected an object, got {type(value).__name__}")
    unknown = set(value) - allowed
    if unknown:
        raise ValueError(f"{key}.{sorted(unknown)[0]}: unknown field")
    return value


def load_theme(doc: Mapping[str, Any]) -> Theme:
    """Validate a theme document; ValueError names the first bad field."""
    if not isinstance(doc, Mapping):
        raise ValueError(f"theme: expected an object, got {type(doc).__name__}")
    unknown = set(doc) - KEYS
    if unknown:
        raise ValueError(f"{sorted(map(str, unknown))[0]}: unknown field")
    name = doc.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"name: expected 1-32 of a-z, 0-9 and '-', got {name!r}")
    description = doc.get("description", "")
    if not isinstance(description, str) or len(description) > 200:
        raise ValueError("description: expected a string of at most 200 characters")
    palette = doc.get("palette", "v6")
    if palette not in PALETTES:
        raise ValueError(f"palette: expected one of {sorted(PALETTES)}, got {palette!r}")
    shadow = doc.get("shadow", "blur")
    if shadow not in SHADOWS:
        raise ValueError(f"shadow: expected one of {list(SHADOWS)}, got {shadow!r}")
    font = doc.get("font_family")
    if font is not None and (not isinstance(font, str) or not _FONT.fullmatch(font)):
        raise ValueError(f"font_family: letters, digits, spaces, commas and dashes only: {font!r}")
    gradient = None
    if "gradient" in doc:
        stops = doc["gradient"]
        if not isinstance(stops, list) or len(stops) > MAX_GRADIENT_STOPS:
            raise ValueError(f"gradient: expected a list of at most {MAX_GRADIENT_STOPS} stops")
        gradient = []
        for i, stop in enumerate(stops):
            where = f"gradient[{i}]."
            if not isinstance(stop, Mapping) or set(stop) - {"offset", "color", "opacity"}:
                raise ValueError(f"gradient[{i}]: expected {{offset, color, opacity}}")
            gradient.append(
                (
                    _number(stop, "offset", 0, 1, where),
                    _hex(stop, "color", where) or "#000",
                    _number({"opacity": stop.get("opacity", 1)}, "opacity", 0, 1, where),
                )
            )
        gradient = tuple(gradient)
    opacity = _number(
        {"background_opacity": doc.get("background_opacity", 1)}, "background_opacity", 0, 1
    )
    crisp = doc.get("crisp", False)
    if not isinstance(crisp, bool):
        raise ValueError(f"crisp: expected true or false, got {crisp!r}")
    border = _object(doc, "border", {"color", "width"})
    glow = _object(doc, "glow", {"color", "radius"})
    dark = _object(doc, "dark", set(DARK_KEYS))
    animation = _object(doc, "animation", {"effect", "duration"}) or {}
    effect = animation.get("effect", "pulse")
    if effect not in ANIMATIONS:
        raise ValueError(f"animation.effect: expected one of {list(ANIMATIONS)}, got {effect!r}")
    return Theme(
        name=name,
        description=description,
        palette=palette,
        label_color=_hex(doc, "label_color") or "#555",
        color=_hex(doc, "color"),
        text_color=_hex(doc, "text_color"),
        logo_color=_hex(doc, "logo_color"),
        shadow=shadow,
        font_family=font,
        gradient=gradient,
        background_opacity=opacity,
        crisp=crisp,
        border=(
            (
                _hex(border, "color", "border.") or "#000",
                _number(border, "width", 0.5, 3, "border."),
            )
            if border is not None
            else None
        ),
        glow=(
            (_hex(glow, "color", "glow.") or "#fff", _number(glow, "radius", 0.5, 6, "glow."))
            if glow is not None
            else None
        ),
        dark=(
            tuple(_hex(dark, key, "dark.") or "" for key in DARK_KEYS)  # type: ignore[arg-type]
            if dark is not None
            else None
        ),
        animation=(
            effect,
            _number({"duration": animation.get("duration", 2)}, "duration", 0.5, 10, "animation."),
        ),
    )


@functools.lru_cache(maxsize=512)
def compile_look(theme: Theme, animated: bool = False) -> Look:
    """The render-ready Look of ``theme`` (with its animation when ``animated``)."""
    palette = PALETTES[theme.palette]
    gradient = None
    if theme.gradient is not None:
        gradient = tuple((num(o), c, num(a)) for o, c, a in theme.gradient)
    return Look(
        name=theme.name,
        palette_name=theme.palette,
        default_color=theme.color or palette["brightgreen"],
        default_label_color=theme.label_color,
        shadow=theme.shadow,
        text_color=theme.text_color,
        font_family=theme.font_family,
        logo_color=theme.logo_color,
        gradient=gradient,
        background_opacity=theme.background_opacity,
        crisp=theme.crisp,
        border=theme.border,
        glow=theme.glow,
        dark=theme.dark,
        animation=theme.animation if animated else None,
    )


def _load_builtin() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(THEME_DIR.glob("*.json")):
        docs.append(json.loads(path.read_text(encoding="utf-8")))
    order = ["flat", "classic", "pixel", "neon", "cyberpunk", "glass", "hacker-green", "minimal"]
    order += ["transparent", "auto"]
    docs.sort(key=lambda d: order.index(d["name"]) if d["name"] in order else len(order))
    return docs


#: the built-in theme documents (contributed through the themes hook by badgeapp.builtin.themes)
BUILTIN_THEME_DOCS: list[dict[str, Any]] = _load_builtin()
BUILTIN_THEMES: dict[str, Theme] = {doc["name"]: load_theme(doc) for doc in BUILTIN_THEME_DOCS}
THEME_NAMES: tuple[str, ...] = tuple(BUILTIN_THEMES)
DEFAULT_THEME = "flat"


def get_theme(name: str | None, extra: Mapping[str, Theme] | None = None) -> Theme:
    """A theme by name (plugin themes in ``extra`` first); unknown names give the default."""
    if name and extra and name in extra:
        return extra[name]
    return BUILTIN_THEMES.get(name or DEFAULT_THEME) or BUILTIN_THEMES[DEFAULT_THEME]
