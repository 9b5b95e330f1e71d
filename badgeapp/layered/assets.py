"""Images for ImageLayer: safe lookup in the registered asset folders, ``data:`` URIs, bomb guards.

A request's image ``path`` is relative to one of the folders of the ``badgeapp_asset_dirs`` hook
(the built-in folder holds ``icons/``; ``<instance>/assets`` holds the operator's own images).
Absolute paths, ``..``, backslashes, NUL bytes, percent-escapes and links that lead out of the
folder are refused. ``data:image/png;base64,...`` URIs (also jpeg, gif, webp) are decoded after a
length cap. Every image's declared dimensions are checked before its pixels are decoded, so a
small file claiming 100000x100000 pixels (a decompression bomb) is refused cheaply.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from PIL import Image
from werkzeug.security import safe_join

#: largest pixel count (width x height) an image may declare
MAX_IMAGE_PIXELS = 4096 * 4096
#: largest width or height an image may declare
MAX_IMAGE_SIDE = 8192
#: largest image file read from an asset folder
MAX_FILE_BYTES = 8 * 1024 * 1024
#: longest base64 payload of a data URI (about 1 MiB decoded)
MAX_DATA_BASE64_CHARS = 1_400_000
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-]*(?:/[A-Za-z0-9][A-Za-z0-9 ._\-]*)*")
_DATA_URI = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,", re.IGNORECASE)


#: identifies one decoded image: (real path or data hash, mtime or 0, size in bytes)
CacheKey = tuple[str, int, int]


class AssetError(ValueError):
    """The image cannot be used; the message says why (shown to the client)."""


def check_dimensions(image: Image.Image) -> None:
    """Refuse images whose header declares too many pixels, before they are decoded."""
    width, height = image.size
    if width < 1 or height < 1:
        raise AssetError("image has no pixels")
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise AssetError(
            f"image is too large ({width}x{height} pixels; at most {MAX_IMAGE_PIXELS} pixels)"
        )


def decode_image(data: bytes) -> Image.Image:
    """Decode image bytes into RGBA after the dimension check (PNG, JPEG, GIF or WebP only)."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        check_dimensions(image)
        image.load()
    except AssetError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AssetError(f"image is too large: {exc}") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise AssetError(f"not a readable PNG, JPEG, GIF or WebP image ({exc})") from None
    return image.convert("RGBA")


def decode_data_uri(uri: str) -> bytes:
    """The bytes of a ``data:image/...;base64,`` URI, refusing long payloads before decoding."""
    match = _DATA_URI.match(uri)
    if not match:
        raise AssetError("only data:image/png;base64, (or jpeg, gif, webp) URIs are accepted")
    payload = uri[match.end() :]
    if len(payload) > MAX_DATA_BASE64_CHARS:
        raise AssetError(f"data URI is longer than {MAX_DATA_BASE64_CHARS} characters")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise AssetError("data URI is not valid base64") from None


class AssetLibrary:
    """Resolves and loads images from a fixed list of folders; decoded images are cached."""

    def __init__(self, folders: Iterable[str | os.PathLike[str]], cache_size: int = 64) -> None:
        self.folders = [Path(folder) for folder in folders]
        self._cache: OrderedDict[CacheKey, Image.Image] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def resolve(self, path: str) -> Path:
        """The real file a relative image path names, inside one of the folders."""
        if "\x00" in path or "\\" in path or "%" in path:
            raise AssetError("path contains a forbidden character")
        if path.startswith("/") or re.match(r"[A-Za-z]:", path):
            raise AssetError("absolute paths are not allowed; use a path inside an asset folder")
        parts = path.split("/")
        if ".." in parts or "." in parts:
            raise AssetError('".." and "." are not allowed in image paths')
        if not _SAFE_PATH.fullmatch(path):
            raise AssetError("path may contain only letters, digits, spaces, '.', '_', '-', '/'")
        if not path.lower().endswith(IMAGE_SUFFIXES):
            raise AssetError("path must end in " + ", ".join(IMAGE_SUFFIXES))
        escaped = False
        for folder in self.folders:
            joined = safe_join(str(folder), path)
            if joined is None or not os.path.lexists(joined):
                continue
            real = Path(os.path.realpath(joined))
            root = Path(os.path.realpath(folder))
            if not real.is_relative_to(root):
                escaped = True
                continue
            if real.is_file():
                return real
        if escaped:
            raise AssetError("path leads out of the asset folder (a link)")
        raise AssetError(f"no image {path!r} in the asset folders")

    def load(self, path: str) -> tuple[CacheKey, Image.Image]:
        """A cache key and the RGBA image for a path or data URI (shared: do not modify it)."""
        if path.startswith("data:"):
            data = decode_data_uri(path)
            key = ("data:" + hashlib.sha256(data).hexdigest(), len(data), 0)
            return key, self._cached(key, lambda: decode_image(data))
        file = self.resolve(path)
        stat = file.stat()
        if stat.st_size > MAX_FILE_BYTES:
            raise AssetError(f"image file is larger than {MAX_FILE_BYTES} bytes")
        key = (str(file), stat.st_mtime_ns, stat.st_size)
        return key, self._cached(key, lambda: decode_image(file.read_bytes()))

    def _cached(self, key: CacheKey, load: Callable[[], Image.Image]) -> Image.Image:
        with self._lock:
            image = self._cache.get(key)
            if image is not None:
                self._cache.move_to_end(key)
                return image
        image = load()
        with self._lock:
            self._cache[key] = image
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return image
