"""The validated form of a layered badge request: frozen dataclasses, one per layer type.

``badgeapp.layered.validation`` builds these from request JSON; the compositor only ever sees
these types. All lengths are in the units of the fixed 600x600 canvas; the compositor multiplies
them by ``Canvas.scale_factor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from badgeapp.layered.colors import RGBA

#: the canvas is always this many units square (before ``scale_factor``)
CANVAS_SIZE = 600
#: distance from the canvas edge for "left", "right", "top" and "bottom", and the padding kept
#: between dynamically wrapped text and its shape's edge
EDGE_PADDING = 40
#: default width of images under ``icons/`` (and their bounds with ``dynamic`` sizing)
ICON_DEFAULT_SIZE = 190

#: a named position or a number of canvas units (the left or top edge)
Position = str | float


@dataclass(frozen=True)
class Canvas:
    bg: RGBA = (255, 255, 255, 255)
    scale_factor: float = 1.0


@dataclass(frozen=True)
class BackgroundLayer:
    z: int
    color: RGBA


@dataclass(frozen=True)
class Fill:
    mode: Literal["solid", "gradient"]
    color: RGBA = (0, 0, 0, 255)
    start_color: RGBA = (0, 0, 0, 255)
    end_color: RGBA = (0, 0, 0, 255)
    vertical: bool = True


@dataclass(frozen=True)
class Border:
    color: RGBA = (0, 0, 0, 255)
    width: int = 4


@dataclass(frozen=True)
class ShapeLayer:
    z: int
    shape: Literal["hexagon", "circle", "rounded_rect"]
    fill: Fill
    border: Border | None = None
    radius: int = 250
    width: int = 450
    height: int = 450


@dataclass(frozen=True)
class Wrap:
    dynamic: bool = True
    max_width: int | None = None
    line_gap: int = 6


@dataclass(frozen=True)
class TextLayer:
    z: int
    text: str
    font_name: str
    font_size: int
    color: RGBA = (0, 0, 0, 255)
    align_x: Position = "center"
    align_y: Position = "center"
    wrap: Wrap = Wrap()


@dataclass(frozen=True)
class ExactSize:
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class DynamicSize:
    max_width: int | None = None
    max_height: int | None = None
    max_upscale: float = 1.0


#: ``None``: natural size (190 units wide for icons); a number: the width, height proportional
ImageSize = None | float | ExactSize | DynamicSize


@dataclass(frozen=True)
class ImageLayer:
    z: int
    path: str
    size: ImageSize = None
    x: Position = "center"
    y: Position = "center"
    opacity: float = 1.0


Layer = BackgroundLayer | ShapeLayer | TextLayer | ImageLayer


@dataclass(frozen=True)
class BadgeConfig:
    canvas: Canvas
    #: (index in the request, layer), sorted by z; equal z keep request order
    layers: tuple[tuple[int, Layer], ...]
