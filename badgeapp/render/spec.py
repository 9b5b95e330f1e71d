"""BadgeSpec: everything the engine needs to draw one badge, already parsed from the request."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class BadgeSpec:
    """One badge to draw. Colours are the user's raw values; the engine normalises them."""

    label: str = ""
    message: str = ""
    color: str | None = None
    label_color: str | None = None
    style: str = "flat"
    theme: str | None = None
    #: a ``data:`` URI (already resolved from a slug or sanitised), or None
    logo: str | None = None
    logo_color: str | None = None
    #: up to two http(s) links: left half, right half
    links: tuple[str, ...] = ()
    title: str | None = None
    animated: bool = False
    id_suffix: str = ""
