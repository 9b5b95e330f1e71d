"""Request builders and image probes shared by the layered badge tests (plain functions)."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from typing import Any

from PIL import Image


def png_from_response(payload: dict[str, Any]) -> Image.Image:
    prefix = "data:image/png;base64,"
    assert payload["data"]["base64"].startswith(prefix)
    data = base64.b64decode(payload["data"]["base64"][len(prefix) :])
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGBA")


def png_bytes(size: tuple[int, int] = (8, 8), color: tuple[int, ...] = (0, 0, 255, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` RGBA pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    # one compressed row of zeros: decoding the whole image would need 40 GB
    idat = zlib.compress(b"\x00" * (width * 4 + 1), 9)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def text_layer(text: str = "Hi", **overrides: Any) -> dict[str, Any]:
    layer: dict[str, Any] = {
        "type": "TextLayer",
        "text": text,
        "font": {"path": "Arial.ttf", "size": 40},
        "color": "#000000",
        "z": 30,
    }
    layer.update(overrides)
    return layer


def shape_layer(shape: str = "circle", **overrides: Any) -> dict[str, Any]:
    if shape == "rounded_rect":
        params: dict[str, Any] = {"width": 450, "height": 450, "radius": 50}
    else:
        params = {"radius": 250}
    layer: dict[str, Any] = {
        "type": "ShapeLayer",
        "shape": shape,
        "fill": {"mode": "solid", "color": "#00FF00"},
        "params": params,
        "z": 10,
    }
    layer.update(overrides)
    return layer


def image_layer(path: str = "icons/star.png", **overrides: Any) -> dict[str, Any]:
    layer: dict[str, Any] = {"type": "ImageLayer", "path": path, "z": 20}
    layer.update(overrides)
    return layer


def body(*layers: dict[str, Any], **canvas: Any) -> dict[str, Any]:
    return {"canvas": {"bg": "white", **canvas}, "layers": list(layers)}


def rgb(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    """The RGB colour of one pixel."""
    r, g, b, _ = image.convert("RGBA").getpixel((int(x), int(y)))
    return (r, g, b)


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 3) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=True))
