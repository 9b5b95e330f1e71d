"""Validate a layered badge request body and build its ``BadgeConfig``.

Plain Python, FastAPI-shaped errors: every problem is reported (not just the first) as
``{"loc": ["body", "layers", 2, "font", "size"], "msg": "..."}`` and raised together in one
``ValidationFailed``. Unknown keys are ignored, as FastAPI does. Size limits that protect the
server (layer count, text length, data-URI length) are enforced here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from badgeapp.layered.colors import RGBA, parse_color
from badgeapp.layered.schema import (
    CANVAS_SIZE,
    BackgroundLayer,
    BadgeConfig,
    Border,
    Canvas,
    DynamicSize,
    ExactSize,
    Fill,
    ImageLayer,
    ImageSize,
    Layer,
    Position,
    ShapeLayer,
    TextLayer,
    Wrap,
)

MAX_LAYERS = 64
#: Work budget: layers x scale_factor² (each layer costs about its area at the output scale).
#: 64 layers at scale 1, 32 at scale 2, 8 at scale 4; the spec's example fits at every scale.
MAX_LAYER_WORK = 128
MAX_TEXT_CHARS = 2000
#: longest ``data:`` image URI accepted, checked before anything is decoded
MAX_DATA_URI_CHARS = 1_400_000
MAX_PATH_CHARS = 255
MAX_FONT_NAME_CHARS = 255
#: the largest width or height an image may be drawn at, in canvas units
MAX_IMAGE_UNITS = CANVAS_SIZE
MAX_Z = 1_000_000

Loc = tuple[str | int, ...]
LAYER_TYPES = ("BackgroundLayer", "ShapeLayer", "TextLayer", "ImageLayer")
SHAPES = ("hexagon", "circle", "rounded_rect")
X_NAMES = ("left", "center", "right")
Y_NAMES = ("top", "center", "bottom")

_MISSING = object()


class ValidationFailed(Exception):
    """The request is invalid; ``errors`` lists every problem with its location."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))


class _Reader:
    """Reads typed fields from JSON objects, collecting errors instead of raising."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def error(self, loc: Loc, msg: str) -> None:
        self.errors.append({"loc": list(loc), "msg": msg})

    def obj(self, value: Any, loc: Loc) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(loc, "must be an object")
            return None
        return value

    def field(self, parent: Mapping[str, Any], key: str, loc: Loc, required: bool) -> Any:
        value = parent.get(key, _MISSING)
        if value is _MISSING and required:
            self.error((*loc, key), "field required")
        return value

    def integer(
        self,
        parent: Mapping[str, Any],
        key: str,
        loc: Loc,
        *,
        lo: int,
        hi: int,
        default: Any = _MISSING,
        nullable: bool = False,
    ) -> Any:
        value = self.field(parent, key, loc, required=default is _MISSING)
        if value is _MISSING:
            return default
        if value is None and nullable:
            return None
        number = _as_number(value)
        if number is None or not float(number).is_integer():
            self.error((*loc, key), "must be a whole number")
            return default if default is not _MISSING else None
        if not lo <= number <= hi:
            self.error((*loc, key), f"must be between {lo} and {hi}")
            return default if default is not _MISSING else None
        return int(number)

    def number(
        self, parent: Mapping[str, Any], key: str, loc: Loc, *, lo: float, hi: float, default: float
    ) -> float:
        value = self.field(parent, key, loc, required=False)
        if value is _MISSING:
            return default
        number = _as_number(value)
        if number is None:
            self.error((*loc, key), "must be a number")
            return default
        if not lo <= number <= hi:
            self.error((*loc, key), f"must be between {lo:g} and {hi:g}")
            return default
        return float(number)

    def boolean(self, parent: Mapping[str, Any], key: str, loc: Loc, default: bool) -> bool:
        value = self.field(parent, key, loc, required=False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error((*loc, key), "must be true or false")
            return default
        return value

    def string(
        self, parent: Mapping[str, Any], key: str, loc: Loc, *, max_len: int, required: bool = True
    ) -> str | None:
        value = self.field(parent, key, loc, required=required)
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            self.error((*loc, key), "must be a string")
            return None
        if len(value) > max_len:
            self.error((*loc, key), f"must be at most {max_len} characters")
            return None
        return value

    def choice(
        self, parent: Mapping[str, Any], key: str, loc: Loc, options: tuple[str, ...], default: Any
    ) -> Any:
        value = self.field(parent, key, loc, required=default is _MISSING)
        if value is _MISSING:
            return default
        if value not in options:
            self.error((*loc, key), "must be one of " + ", ".join(f'"{o}"' for o in options))
            return None
        return value

    def color(self, parent: Mapping[str, Any], key: str, loc: Loc, default: Any = _MISSING) -> RGBA:
        value = self.field(parent, key, loc, required=default is _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or len(value) > 64:
            self.error((*loc, key), "must be a colour string (#RRGGBB or a CSS colour name)")
            return (0, 0, 0, 0)
        try:
            return parse_color(value)
        except ValueError as exc:
            self.error((*loc, key), str(exc))
            return (0, 0, 0, 0)

    def position(
        self, parent: Mapping[str, Any], key: str, loc: Loc, names: tuple[str, ...], default: str
    ) -> Position:
        value = self.field(parent, key, loc, required=False)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, str) and value in names:
            return value
        number = _as_number(value)
        if number is None:
            # numbers sent as strings ("100") are accepted, like FastAPI's lax mode
            number = _numeric_string(value)
        if number is None:
            self.error(
                (*loc, key), "must be " + ", ".join(f'"{n}"' for n in names) + " or a number"
            )
            return default
        if not -CANVAS_SIZE <= number <= 2 * CANVAS_SIZE:
            self.error((*loc, key), f"must be between {-CANVAS_SIZE} and {2 * CANVAS_SIZE}")
            return default
        return float(number)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _numeric_string(value: Any) -> float | None:
    if not isinstance(value, str) or len(value) > 32:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_request(body: Any) -> BadgeConfig:
    """Validate ``body`` (parsed JSON); return the config or raise ``ValidationFailed``."""
    r = _Reader()
    root = r.obj(body, ("body",))
    if root is None:
        raise ValidationFailed(r.errors)
    canvas = _canvas(r, root.get("canvas", _MISSING), ("body", "canvas"))
    layers: list[tuple[int, Layer]] = []
    raw_layers = r.field(root, "layers", ("body",), required=True)
    if raw_layers is not _MISSING:
        if not isinstance(raw_layers, list):
            r.error(("body", "layers"), "must be a list")
        elif len(raw_layers) > MAX_LAYERS:
            r.error(("body", "layers"), f"at most {MAX_LAYERS} layers")
        else:
            for index, raw in enumerate(raw_layers):
                layer = _layer(r, raw, ("body", "layers", index))
                if layer is not None:
                    layers.append((index, layer))
    work = len(layers) * canvas.scale_factor**2
    if work > MAX_LAYER_WORK:
        r.error(
            ("body", "layers"),
            f"too much work: {len(layers)} layers at scale_factor {canvas.scale_factor:g} "
            f"(layers x scale_factor² may be at most {MAX_LAYER_WORK})",
        )
    if r.errors:
        raise ValidationFailed(r.errors)
    layers.sort(key=lambda pair: pair[1].z)  # stable: equal z keep request order
    return BadgeConfig(canvas=canvas, layers=tuple(layers))


def _canvas(r: _Reader, raw: Any, loc: Loc) -> Canvas:
    if raw is _MISSING or raw is None:
        return Canvas()
    obj = r.obj(raw, loc)
    if obj is None:
        return Canvas()
    return Canvas(
        bg=r.color(obj, "bg", loc, default=(255, 255, 255, 255)),
        scale_factor=r.number(obj, "scale_factor", loc, lo=0.1, hi=4.0, default=1.0),
    )


def _layer(r: _Reader, raw: Any, loc: Loc) -> Layer | None:
    obj = r.obj(raw, loc)
    if obj is None:
        return None
    kind = r.choice(obj, "type", loc, LAYER_TYPES, _MISSING)
    errors_before = len(r.errors)
    z = r.integer(obj, "z", loc, lo=-MAX_Z, hi=MAX_Z)
    if kind == "BackgroundLayer":
        layer: Layer | None = _background(r, obj, loc, z)
    elif kind == "ShapeLayer":
        layer = _shape(r, obj, loc, z)
    elif kind == "TextLayer":
        layer = _text(r, obj, loc, z)
    elif kind == "ImageLayer":
        layer = _image(r, obj, loc, z)
    else:
        return None
    return layer if len(r.errors) == errors_before else None


def _background(r: _Reader, obj: Mapping[str, Any], loc: Loc, z: int) -> BackgroundLayer:
    r.choice(obj, "mode", loc, ("solid",), _MISSING)
    return BackgroundLayer(z=z, color=r.color(obj, "color", loc))


def _shape(r: _Reader, obj: Mapping[str, Any], loc: Loc, z: int) -> ShapeLayer | None:
    shape = r.choice(obj, "shape", loc, SHAPES, _MISSING)
    fill = _fill(r, obj, loc)
    border = None
    raw_border = obj.get("border")
    if raw_border is not None:
        border_obj = r.obj(raw_border, (*loc, "border"))
        if border_obj is not None:
            border = Border(
                color=r.color(border_obj, "color", (*loc, "border"), default=(0, 0, 0, 255)),
                width=r.integer(border_obj, "width", (*loc, "border"), lo=0, hi=20, default=4),
            )
    raw_params = r.field(obj, "params", loc, required=True)
    params = None if raw_params is _MISSING else r.obj(raw_params, (*loc, "params"))
    if params is None:
        return None
    ploc = (*loc, "params")
    if shape in ("hexagon", "circle"):
        radius = r.integer(params, "radius", ploc, lo=1, hi=CANVAS_SIZE)
        return ShapeLayer(z=z, shape=shape, fill=fill, border=border, radius=radius)  # type: ignore[arg-type]
    if shape == "rounded_rect":
        return ShapeLayer(
            z=z,
            shape="rounded_rect",
            fill=fill,  # type: ignore[arg-type]
            border=border,
            width=r.integer(params, "width", ploc, lo=1, hi=CANVAS_SIZE),
            height=r.integer(params, "height", ploc, lo=1, hi=CANVAS_SIZE),
            radius=r.integer(params, "radius", ploc, lo=0, hi=100, default=0),
        )
    return None


def _fill(r: _Reader, obj: Mapping[str, Any], loc: Loc) -> Fill | None:
    raw = r.field(obj, "fill", loc, required=True)
    if raw is _MISSING:
        return None
    floc = (*loc, "fill")
    fill = r.obj(raw, floc)
    if fill is None:
        return None
    mode = r.choice(fill, "mode", floc, ("solid", "gradient"), _MISSING)
    if mode == "solid":
        return Fill(mode="solid", color=r.color(fill, "color", floc))
    if mode == "gradient":
        return Fill(
            mode="gradient",
            start_color=r.color(fill, "start_color", floc),
            end_color=r.color(fill, "end_color", floc),
            vertical=r.boolean(fill, "vertical", floc, default=True),
        )
    return None


def _text(r: _Reader, obj: Mapping[str, Any], loc: Loc, z: int) -> TextLayer | None:
    text = r.string(obj, "text", loc, max_len=MAX_TEXT_CHARS)
    font_name, font_size = None, None
    raw_font = r.field(obj, "font", loc, required=True)
    if raw_font is not _MISSING:
        font = r.obj(raw_font, (*loc, "font"))
        if font is not None:
            font_name = r.string(font, "path", (*loc, "font"), max_len=MAX_FONT_NAME_CHARS)
            font_size = r.integer(font, "size", (*loc, "font"), lo=1, hi=400)
    color = r.color(obj, "color", loc, default=(0, 0, 0, 255))
    align_x, align_y = "center", "center"
    raw_align = obj.get("align")
    if raw_align is not None:
        align = r.obj(raw_align, (*loc, "align"))
        if align is not None:
            align_x = r.position(align, "x", (*loc, "align"), X_NAMES, "center")
            align_y = r.position(align, "y", (*loc, "align"), Y_NAMES, "center")
    wrap = Wrap()
    raw_wrap = obj.get("wrap")
    if raw_wrap is not None:
        wloc = (*loc, "wrap")
        wrap_obj = r.obj(raw_wrap, wloc)
        if wrap_obj is not None:
            max_width = r.integer(
                wrap_obj, "max_width", wloc, lo=1, hi=CANVAS_SIZE, default=None, nullable=True
            )
            # {"max_width": 400} alone means fixed-width wrapping (the spec's second example)
            dynamic_default = wrap_obj.get("max_width") is None
            wrap = Wrap(
                dynamic=r.boolean(wrap_obj, "dynamic", wloc, default=dynamic_default),
                max_width=max_width,
                line_gap=r.integer(wrap_obj, "line_gap", wloc, lo=0, hi=200, default=6),
            )
    if text is None or font_name is None or font_size is None:
        return None
    return TextLayer(
        z=z,
        text=text,
        font_name=font_name,
        font_size=font_size,
        color=color,
        align_x=align_x,
        align_y=align_y,
        wrap=wrap,
    )


def _image(r: _Reader, obj: Mapping[str, Any], loc: Loc, z: int) -> ImageLayer | None:
    path = r.string(obj, "path", loc, max_len=MAX_DATA_URI_CHARS)
    if path is not None and not path.startswith("data:") and len(path) > MAX_PATH_CHARS:
        r.error((*loc, "path"), f"must be at most {MAX_PATH_CHARS} characters")
    size = _image_size(r, obj, loc)
    x, y = "center", "center"
    raw_position = obj.get("position")
    if raw_position is not None:
        position = r.obj(raw_position, (*loc, "position"))
        if position is not None:
            x = r.position(position, "x", (*loc, "position"), X_NAMES, "center")
            y = r.position(position, "y", (*loc, "position"), Y_NAMES, "center")
    if obj.get("y") is not None:
        y = r.position(obj, "y", loc, Y_NAMES, "center")
    opacity = r.number(obj, "opacity", loc, lo=0.0, hi=1.0, default=1.0)
    if path is None:
        return None
    return ImageLayer(z=z, path=path, size=size, x=x, y=y, opacity=opacity)


def _image_size(r: _Reader, obj: Mapping[str, Any], loc: Loc) -> ImageSize:
    raw = obj.get("size")
    sloc = (*loc, "size")
    if raw is None:
        return None
    number = _as_number(raw)
    if number is not None:
        if not 1 <= number <= MAX_IMAGE_UNITS:
            r.error(sloc, f"must be between 1 and {MAX_IMAGE_UNITS}")
            return None
        return float(number)
    size = r.obj(raw, sloc)
    if size is None:
        return None
    if r.boolean(size, "dynamic", sloc, default=False):
        return DynamicSize(
            max_width=r.integer(
                size, "max_width", sloc, lo=1, hi=MAX_IMAGE_UNITS, default=None, nullable=True
            ),
            max_height=r.integer(
                size, "max_height", sloc, lo=1, hi=MAX_IMAGE_UNITS, default=None, nullable=True
            ),
            max_upscale=r.number(size, "max_upscale", sloc, lo=0.01, hi=16.0, default=1.0),
        )
    width = r.integer(size, "width", sloc, lo=1, hi=MAX_IMAGE_UNITS, default=None, nullable=True)
    height = r.integer(size, "height", sloc, lo=1, hi=MAX_IMAGE_UNITS, default=None, nullable=True)
    if width is None and height is None and "width" not in size and "height" not in size:
        r.error(sloc, 'needs "width", "height" or "dynamic": true')
    return ExactSize(width=width, height=height)
