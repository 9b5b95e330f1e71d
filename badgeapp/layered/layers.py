"""Drawing of each layer type onto the RGBA canvas (pure Pillow, no I/O).

``Painter`` holds the canvas and the scale; one method per layer type. Images and fonts arrive
already loaded (see ``compose``), so nothing here touches files or the network.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFont

from badgeapp.layered.colors import RGBA
from badgeapp.layered.schema import (
    CANVAS_SIZE,
    EDGE_PADDING,
    ICON_DEFAULT_SIZE,
    BackgroundLayer,
    DynamicSize,
    ExactSize,
    Fill,
    ImageLayer,
    Position,
    ShapeLayer,
    TextLayer,
)
from badgeapp.layered.shapes import Box, Geometry, supersample_for
from badgeapp.layered.text import fit_text

#: the longest side an image is drawn with, in canvas units (larger ones are shrunk to fit)
MAX_DRAWN_UNITS = 2 * CANVAS_SIZE
_GRADIENT = Image.linear_gradient("L")  # 256x256, black at the top to white at the bottom


def shape_geometry(layer: ShapeLayer, scale: float, side: int) -> Geometry:
    """The pixel geometry of a shape layer on a canvas ``side`` pixels square."""
    centre = side / 2
    if layer.shape == "rounded_rect":
        return Geometry(
            "rounded_rect",
            centre,
            centre,
            radius=layer.radius * scale,
            width=layer.width * scale,
            height=layer.height * scale,
        )
    return Geometry(layer.shape, centre, centre, radius=layer.radius * scale)


def canvas_side(scale_factor: float) -> tuple[int, float]:
    """The canvas side in pixels for ``scale_factor``, and the pixels per canvas unit."""
    side = max(1, round(CANVAS_SIZE * scale_factor))
    return side, side / CANVAS_SIZE


def image_pixel_size(
    layer: ImageLayer, natural: tuple[int, int], scale: float, is_icon: bool
) -> tuple[int, int]:
    """Target size in pixels for an image of ``natural`` size (see the size options)."""
    nw, nh = natural
    size = layer.size
    if size is None:
        width = ICON_DEFAULT_SIZE if is_icon else nw
        w, h = width, nh * width / nw
    elif isinstance(size, float | int):
        w, h = float(size), nh * float(size) / nw
    elif isinstance(size, ExactSize):
        if size.width is not None and size.height is not None:
            w, h = size.width, size.height
        elif size.width is not None:
            w, h = size.width, nh * size.width / nw
        else:
            assert size.height is not None
            w, h = nw * size.height / nh, size.height
    else:
        assert isinstance(size, DynamicSize)
        bound = ICON_DEFAULT_SIZE if is_icon else CANVAS_SIZE
        max_w = size.max_width if size.max_width is not None else bound
        max_h = size.max_height if size.max_height is not None else bound
        factor = min(max_w / nw, max_h / nh, size.max_upscale)
        w, h = nw * factor, nh * factor
    # a tall or wide image sized by one side: never more than MAX_DRAWN_UNITS on either side
    shrink = min(1.0, MAX_DRAWN_UNITS / max(w, h))
    return max(1, round(w * shrink * scale)), max(1, round(h * shrink * scale))


def place(position: Position, length: float, side: int, scale: float, low: str, high: str) -> int:
    """Pixel offset of a box ``length`` long for a named or numeric position."""
    pad = EDGE_PADDING * scale
    if position == low:
        return round(pad)
    if position == high:
        return round(side - pad - length)
    if position == "center":
        return round((side - length) / 2)
    return round(float(position) * scale)


def visible_part(
    text: str, x: float, width: float, font: ImageFont.FreeTypeFont, side: int
) -> tuple[str, float]:
    """The part of a line that can reach the canvas, and where it starts.

    Pillow renders a whole line into one bitmap before clipping it, so a long unwrapped line in
    a big font could need gigabytes; only the characters that overlap the canvas are drawn.
    """
    if x >= 0 and x + width <= side:
        return text, x

    def last_prefix_within(limit: float) -> int:
        """The longest prefix length k with x + length(text[:k]) <= limit."""
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if x + font.getlength(text[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        return low

    start = last_prefix_within(0) if x < 0 else 0
    end = min(len(text), last_prefix_within(side) + 1)
    if start >= end:
        return "", x
    return text[start:end], x + font.getlength(text[:start])


class Painter:
    """Draws layers, in the order it is called, onto one canvas."""

    def __init__(self, bg: RGBA, scale_factor: float) -> None:
        self.side, self.scale = canvas_side(scale_factor)
        self.canvas = Image.new("RGBA", (self.side, self.side), bg)
        self.supersample = supersample_for(self.side)

    # -- helpers

    def _composite(self, source: Image.Image, x: int, y: int) -> None:
        """Alpha-composite ``source`` with its top-left at (x, y), clipped to the canvas."""
        left, top = max(x, 0), max(y, 0)
        right = min(x + source.width, self.side)
        bottom = min(y + source.height, self.side)
        if right <= left or bottom <= top:
            return
        if (left, top, right, bottom) != (x, y, x + source.width, y + source.height):
            source = source.crop((left - x, top - y, right - x, bottom - y))
        self.canvas.alpha_composite(source, dest=(left, top))

    def _clip(self, box: Box) -> Box:
        x0, y0, x1, y1 = box
        return max(x0, 0), max(y0, 0), min(x1, self.side), min(y1, self.side)

    def _paint(self, source: Image.Image, mask: Image.Image, box: Box) -> None:
        """Composite ``source`` (RGBA, box-sized) through ``mask`` at ``box``."""
        alpha = source.getchannel("A")
        source.putalpha(
            mask if alpha.getextrema() == (255, 255) else ImageChops.multiply(alpha, mask)
        )
        self.canvas.alpha_composite(source, dest=(box[0], box[1]))

    def _fill_image(self, fill: Fill, box: Box, shape_box: Box) -> Image.Image:
        size = (box[2] - box[0], box[3] - box[1])
        if fill.mode == "solid":
            return Image.new("RGBA", size, fill.color)
        sx0, sy0, sx1, sy1 = shape_box
        if fill.vertical:
            ramp = _GRADIENT.resize((1, sy1 - sy0), Image.Resampling.BILINEAR)
            ramp = ramp.crop((0, box[1] - sy0, 1, box[3] - sy0)).resize(size)
        else:
            ramp = _GRADIENT.transpose(Image.Transpose.TRANSPOSE)
            ramp = ramp.resize((sx1 - sx0, 1), Image.Resampling.BILINEAR)
            ramp = ramp.crop((box[0] - sx0, 0, box[2] - sx0, 1)).resize(size)
        start = Image.new("RGBA", size, fill.start_color)
        end = Image.new("RGBA", size, fill.end_color)
        return Image.composite(end, start, ramp)

    # -- one method per layer type

    def background(self, layer: BackgroundLayer) -> None:
        if layer.color[3] == 255:
            self.canvas.paste(layer.color, (0, 0, self.side, self.side))
        else:
            self.canvas.alpha_composite(Image.new("RGBA", self.canvas.size, layer.color))

    def shape(self, layer: ShapeLayer) -> None:
        geometry = shape_geometry(layer, self.scale, self.side)
        shape_box = geometry.bbox()
        box = self._clip(shape_box)
        if box[2] <= box[0] or box[3] <= box[1]:
            return
        ss = self.supersample
        border_width = layer.border.width * self.scale if layer.border else 0
        inner = geometry
        if layer.border is not None and border_width > 0:
            outer_mask = geometry.mask(box, ss)
            self._paint(Image.new("RGBA", outer_mask.size, layer.border.color), outer_mask, box)
            inner = geometry.inset(border_width)  # type: ignore[assignment]
            if inner is None:
                return
        self._paint(self._fill_image(layer.fill, box, shape_box), inner.mask(box, ss), box)

    def text(
        self,
        layer: TextLayer,
        font_at: Callable[[int], ImageFont.FreeTypeFont],
        shape: Geometry | None,
    ) -> None:
        """Draw a text layer; ``font_at(pixels)`` gives its font at a size (it may be shrunk)."""
        layout, font = fit_text(
            layer.text,
            font_at,
            max(1, round(layer.font_size * self.scale)),
            canvas_side=self.side,
            scale=self.scale,
            align_x=layer.align_x,
            align_y=layer.align_y,
            wrap=layer.wrap,
            shape=shape,
        )
        draw = ImageDraw.Draw(self.canvas, "RGBA")
        for line in layout.lines:
            if not line.text or line.y >= self.side or line.y + layout.line_height <= 0:
                continue
            text, x = visible_part(line.text, line.x, line.width, font, self.side)
            if text:
                draw.text((x, line.y), text, font=font, fill=layer.color, anchor="la")

    def image(self, layer: ImageLayer, picture: Image.Image) -> None:
        """Draw a picture already decoded at its drawn size (see ``image_pixel_size``)."""
        width, height = picture.size
        if layer.opacity < 1.0:
            alpha = picture.getchannel("A").point(lambda a: round(a * layer.opacity))
            picture = picture.copy()
            picture.putalpha(alpha)
        x = place(layer.x, width, self.side, self.scale, "left", "right")
        y = place(layer.y, height, self.side, self.scale, "top", "bottom")
        self._composite(picture, x, y)
