"""The layered badge compositor: a validated ``BadgeConfig`` in, a PNG out.

Pure library: fonts and asset folders come in as arguments (``FontBook``, ``AssetLibrary``), so
it runs and is tested without Flask. Images are loaded first, so every unusable image is reported
(as a ``ValidationFailed`` naming the layer's ``path``) before anything is drawn. Loading has a
work budget: the pixels the request's images decode to, summed over the request (each distinct
image once) and read from their headers, may not exceed ``max_decoded_pixels``; a request over
it is refused before any image is decoded. Each image is then decoded straight to the size it
is drawn at.
"""

from __future__ import annotations

import functools
import io
import zlib

from PIL import Image

from badgeapp.config import DEFAULTS
from badgeapp.layered.assets import AssetError, AssetLibrary, Source
from badgeapp.layered.fonts import FontBook
from badgeapp.layered.layers import Painter, canvas_side, image_pixel_size, shape_geometry
from badgeapp.layered.schema import (
    BackgroundLayer,
    BadgeConfig,
    ImageLayer,
    ShapeLayer,
    TextLayer,
)
from badgeapp.layered.shapes import Geometry
from badgeapp.layered.text import TextDoesNotFit
from badgeapp.layered.validation import ValidationFailed

#: zlib settings for the PNG: run-length matching at level 1 is several times faster than the
#: defaults and, on flat badge graphics, gives a file as small or smaller
PNG_COMPRESS_LEVEL = 1
PNG_COMPRESS_TYPE = zlib.Z_RLE
#: default budget of decoded image pixels per request (config key LAYERED_MAX_DECODED_PIXELS:
#: two of the largest images allowed)
DEFAULT_MAX_DECODED_PIXELS: int = DEFAULTS["LAYERED_MAX_DECODED_PIXELS"].default


def _load_images(
    config: BadgeConfig, assets: AssetLibrary, max_decoded_pixels: int
) -> dict[int, Image.Image]:
    """Every image layer's picture at its drawn size, after the request's pixel budget check."""
    sources: dict[int, Source] = {}
    errors = []
    for index, layer in config.layers:
        if isinstance(layer, ImageLayer):
            try:
                sources[index] = assets.open_source(layer.path)
            except AssetError as exc:
                errors.append({"loc": ["body", "layers", index, "path"], "msg": str(exc)})
    if errors:
        raise ValidationFailed(errors)
    seen: set[object] = set()
    total = 0
    for index, source in sorted(sources.items()):
        if source.key in seen:
            continue
        seen.add(source.key)
        total += source.pixels
        if total > max_decoded_pixels:
            raise ValidationFailed(
                [
                    {
                        "loc": ["body", "layers", index, "path"],
                        "msg": f"too much image data: the images up to this one decode to "
                        f"{total} pixels, more than the {max_decoded_pixels} one request "
                        f"may decode",
                    }
                ]
            )
    _, scale = canvas_side(config.canvas.scale_factor)
    layers = dict(config.layers)
    pictures: dict[int, Image.Image] = {}
    decoded: dict[tuple[object, tuple[int, int]], Image.Image] = {}  # one decode per request
    for index, source in sources.items():
        layer = layers[index]
        assert isinstance(layer, ImageLayer)
        size = image_pixel_size(layer, source.size, scale, layer.path.startswith("icons/"))
        try:
            if (source.key, size) not in decoded:
                decoded[source.key, size] = assets.picture(source, size)
            pictures[index] = decoded[source.key, size]
        except AssetError as exc:
            raise ValidationFailed(
                [{"loc": ["body", "layers", index, "path"], "msg": str(exc)}]
            ) from None
    return pictures


def compose(
    config: BadgeConfig,
    fonts: FontBook,
    assets: AssetLibrary,
    max_decoded_pixels: int = DEFAULT_MAX_DECODED_PIXELS,
) -> Image.Image:
    """Draw every layer in z order; returns the RGBA canvas."""
    images = _load_images(config, assets, max_decoded_pixels)
    painter = Painter(config.canvas.bg, config.canvas.scale_factor)
    shapes = [
        shape_geometry(layer, painter.scale, painter.side)
        for _, layer in config.layers
        if isinstance(layer, ShapeLayer)
    ]
    last_shape: Geometry | None = None
    for index, layer in config.layers:
        if isinstance(layer, BackgroundLayer):
            painter.background(layer)
        elif isinstance(layer, ShapeLayer):
            painter.shape(layer)
            last_shape = shape_geometry(layer, painter.scale, painter.side)
        elif isinstance(layer, TextLayer):
            # wrap inside the shape drawn beneath the text, else any shape of the badge
            try:
                painter.text(
                    layer,
                    functools.partial(fonts.font, layer.font_name),
                    last_shape or (shapes[0] if shapes else None),
                )
            except TextDoesNotFit as exc:
                raise ValidationFailed(
                    [{"loc": ["body", "layers", index, "text"], "msg": str(exc)}]
                ) from None
        elif isinstance(layer, ImageLayer):
            painter.image(layer, images[index])
    return painter.canvas


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes; RGB when every pixel is opaque (smaller and faster), RGBA otherwise."""
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(
        buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL, compress_type=PNG_COMPRESS_TYPE
    )
    return buffer.getvalue()


def render_png(
    config: BadgeConfig,
    fonts: FontBook,
    assets: AssetLibrary,
    max_decoded_pixels: int = DEFAULT_MAX_DECODED_PIXELS,
) -> bytes:
    """The finished badge as PNG bytes."""
    return encode_png(compose(config, fonts, assets, max_decoded_pixels))
