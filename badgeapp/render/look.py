"""Look and Parts: what a style template receives besides geometry.

``Parts`` is one badge's content after the engine has normalised the spec (trimmed text,
resolved colours, checked links and logo). ``Look`` is a theme compiled for rendering: the
palette, default colours, shadow kind and the extra markup (defs, CSS, overlays) a theme adds.
The default ``Look()`` draws exactly what badge-maker 6.0.0 draws.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from badgeapp.render.colors import PALETTE


@dataclasses.dataclass(frozen=True)
class Parts:
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
    palette: Mapping[str, str] = dataclasses.field(default_factory=lambda: dict(PALETTE))
    #: message colour when none/invalid is given, and the label colour default
    default_color: str = "#4b0"
    default_label_color: str = "#555"
    #: "blur" (v6), "single" (classic) or "none"; only styles with a shadow draw one
    shadow: str = "blur"
    #: fixed text colour, or None for the brightness rule
    text_color: str | None = None
    #: display font (widths never change), None for the style's own
    font_family: str | None = None
    #: gradient stops (offset, colour, opacity); None keeps the style's, () removes it
    gradient: tuple[tuple[str, str, str], ...] | None = None
    #: extra markup inside the SVG before the background (filters, gradients, <style>)
    defs: str = ""
    #: extra attributes on the background group and on the text group
    bg_attrs: str = ""
    fg_attrs: str = ""
    #: markup drawn above the badge; ``{w}``, ``{h}`` and ``{sfx}`` are filled in
    overlay: str = ""
    #: add class="bl"/"bm" to the two background rects and "fg" to the text group (for CSS)
    classes: bool = False
    #: classic look: the clip rect carries fill="#fff"
    clip_fill: bool = False

    @property
    def is_shields(self) -> bool:
        """True when the look adds nothing to shields' markup."""
        return not (self.defs or self.bg_attrs or self.fg_attrs or self.overlay or self.classes)


DEFAULT_LOOK = Look()
