"""Look and Parts: what a style template receives besides geometry.

``Parts`` is one badge's content after the engine has normalised the spec (trimmed text,
resolved colours, checked links and logo). ``Look`` is a theme compiled for one render: palette,
default colours, shadow kind, fonts and the optional decorations (border, glow, opacity, dark
variant, animation) that ``badgeapp.render.decorate`` turns into markup. The default ``Look()``
draws exactly what badge-maker 6.0.0 draws. Looks are frozen and hashable so results can be cached.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import NamedTuple

from badgeapp.render.colors import CLASSIC_PALETTE, PALETTE, brightness, text_colors

PALETTES: dict[str, Mapping[str, str]] = {"v6": PALETTE, "classic": CLASSIC_PALETTE}


class Parts(NamedTuple):
    """The content of one badge, normalised (raw text: the templates escape it)."""

    label: str
    message: str
    #: drawable colours, or None when the user gave none or an invalid one
    color: str | None
    label_color: str | None
    logo: str | None
    left_link: str
    right_link: str
    id_suffix: str
    #: overrides the accessible text (title and aria-label) when set
    title: str | None = None


@dataclasses.dataclass(frozen=True)
class Look:
    """A compiled theme. Every default reproduces shields' v6 look."""

    name: str = "flat"
    palette_name: str = "v6"
    #: message colour when none/invalid is given; label colour default
    default_color: str = "#4b0"
    default_label_color: str = "#555"
    #: "blur" (v6), "single" (classic) or "none"; only styles with a shadow draw one
    shadow: str = "blur"
    #: fixed text colour, or None for the brightness rule
    text_color: str | None = None
    #: display font (widths never change), None for the style's own
    font_family: str | None = None
    #: colour of named logos when the request gives no logoColor (None: shields' brand rule)
    logo_color: str | None = None
    #: gradient stops (offset, colour, opacity); None keeps the style's, () removes it
    gradient: tuple[tuple[str, str, str], ...] | None = None
    #: decorations, see badgeapp.render.decorate
    background_opacity: float = 1.0
    crisp: bool = False
    border: tuple[str, float] | None = None
    glow: tuple[str, float] | None = None
    #: (label background, message background or "", text colour or "", border colour or "")
    dark: tuple[str, str, str, str] | None = None
    animation: tuple[str, float] | None = None

    @property
    def palette(self) -> Mapping[str, str]:
        """The named colours this look resolves ``color=red`` through."""
        return PALETTES[self.palette_name]

    @property
    def classic(self) -> bool:
        """shields <= 5 markup: single shadow text, clip rect filled white."""
        return self.shadow == "single"

    @property
    def classes(self) -> bool:
        """Whether rects and the text group need class names for the look's CSS."""
        return self.dark is not None or self.animation is not None

    @property
    def plain(self) -> bool:
        """True when the look adds no decoration to shields' markup."""
        return (
            self.background_opacity == 1.0
            and not self.crisp
            and self.border is None
            and self.glow is None
            and not self.classes
        )


DEFAULT_LOOK = Look()


#: a theme's fixed text colour is used only with at least this much brightness contrast
MIN_TEXT_CONTRAST = 0.3


@functools.lru_cache(maxsize=4096)
def look_text_colors(look: Look, background: str) -> tuple[str, str]:
    """(text, shadow) colours on ``background``: shields' brightness rule, or the theme's fixed
    text colour when the background is see-through or contrasts enough with it."""
    text, shadow = text_colors(background)
    fixed = look.text_color
    if fixed and (
        look.background_opacity < 0.5
        or abs(brightness(fixed) - brightness(background)) >= MIN_TEXT_CONTRAST
    ):
        return fixed, shadow
    return text, shadow


#: label text colour of a light label (``text_colors``' dark text)
_DARK_TEXT = text_colors("#fff")[0]


@functools.lru_cache(maxsize=512)
def look_logo_color(look: Look) -> str | None:
    """Colour of a named logo on this look when the request gives no ``logoColor``.

    The theme's own ``logo_color`` first. Otherwise, where a light logo would vanish (a light
    label, or a see-through badge drawn on the page's own background) the logo takes the label's
    text colour, as the text beside it does; on a dark label None keeps shields' brand rule
    (brand colour, ``whitesmoke`` when too dark), so the default look stays byte-identical.
    """
    if look.logo_color:
        return look.logo_color
    background = look.default_label_color
    see_through = look.background_opacity < 0.5
    if see_through or text_colors(background)[0] == _DARK_TEXT:
        return look_text_colors(look, background)[0]
    return None
