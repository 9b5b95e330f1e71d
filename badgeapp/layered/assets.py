"""Images for ImageLayer: safe lookup in the registered asset folders, ``data:`` URIs, bomb guards.

A request's image ``path`` is relative to one of the folders of the ``badgeapp_asset_dirs`` hook
(the built-in folder holds ``icons/``; ``<instance>/assets`` holds the operator's own images).
Absolute paths, ``..``, backslashes, NUL bytes, percent-escapes and links that lead out of the
folder are refused. ``data:image/png;base64,...`` URIs (also jpeg, gif, webp) are decoded after a
length cap.

Images are used in two steps so that the cost of a request is known before any pixel is decoded:
``open_source`` reads only the header (dimensions are checked there, so a small file claiming
100000x100000 pixels is refused cheaply), the caller sums the decoded pixels of the whole request
against its budget, and only then ``picture`` decodes each image and shrinks it at once to the size
it is drawn at (JPEG ``draft`` decodes at a fraction of the size; other formats are reduced right
after decoding). The decoded, drawn-size pictures are cached, bounded in bytes (not entries).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
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

from badgeapp.config import DEFAULTS
from badgeapp.public_text import public_message

#: largest pixel count (width x height) an image may declare
MAX_IMAGE_PIXELS = 4096 * 4096
#: largest width or height an image may declare
MAX_IMAGE_SIDE = 8192
#: largest image file read from an asset folder
MAX_FILE_BYTES = 8 * 1024 * 1024
#: longest base64 payload of a data URI (about 1 MiB decoded)
MAX_DATA_BASE64_CHARS = 1_400_000
#: default bound of the decoded-picture cache, in bytes (config key LAYERED_IMAGE_CACHE_BYTES)
DEFAULT_CACHE_BYTES: int = DEFAULTS["LAYERED_IMAGE_CACHE_BYTES"].default
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-]*(?:/[A-Za-z0-9][A-Za-z0-9 ._\-]*)*")
_DATA_URI = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,", re.IGNORECASE)


#: identifies one image source: (real path or data hash, mtime or 0, size in bytes)
CacheKey = tuple[str, int, int]
Size = tuple[int, int]


class AssetError(ValueError):
    """The image cannot be used; the message says why (shown to the client)."""


@dataclasses.dataclass(frozen=True)
class Source:
    """An image whose header has been read and checked; its pixels are not decoded yet."""

    key: CacheKey
    size: Size
    read: Callable[[], bytes] = dataclasses.field(compare=False, repr=False)

    @property
    def pixels(self) -> int:
        """How many pixels decoding this image makes (width x height)."""
        return self.size[0] * self.size[1]


def check_dimensions(image: Image.Image) -> None:
    """Refuse images whose header declares too many pixels, before they are decoded."""
    width, height = image.size
    if width < 1 or height < 1:
        raise AssetError("image has no pixels")
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise AssetError(
            f"image is too large ({width}x{height} pixels; at most {MAX_IMAGE_PIXELS} pixels)"
        )


def _open(data: bytes) -> Image.Image:
    """Open image bytes lazily (header only) and check the declared dimensions."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.UnidentifiedImageError:
        raise AssetError("not a readable PNG, JPEG, GIF or WebP image") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetError("image is too large") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise AssetError(
            f"not a readable PNG, JPEG, GIF or WebP image ({public_message(exc)})"
        ) from None
    check_dimensions(image)
    return image


def image_size(data: bytes) -> Size:
    """The checked dimensions an image's header declares (nothing is decoded)."""
    return _open(data).size


def decode_image(data: bytes, target: Size | None = None) -> Image.Image:
    """Decode image bytes into RGBA after the dimension check (PNG, JPEG, GIF or WebP only).

    With ``target``, the picture is shrunk to that size as it is decoded (JPEG) or right after
    (other formats), so only one full-size copy exists, briefly, in the image's own mode.
    """
    image = _open(data)
    try:
        if target is not None and image.format == "JPEG":
            image.draft("RGB", target)
        image.load()
        if image.mode == "1":
            image = image.convert("L")
        elif image.mode not in ("L", "LA", "RGB", "RGBA"):
            image = image.convert("RGBA")
        if target is not None and image.size != target:
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetError("image is too large") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise AssetError(
            f"not a readable PNG, JPEG, GIF or WebP image ({public_message(exc)})"
        ) from None
    return image if image.mode == "RGBA" else image.convert("RGBA")


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


def picture_bytes(image: Image.Image) -> int:
    """Memory a decoded picture holds (its pixel buffer)."""
    return image.width * image.height * len(image.getbands())


class AssetLibrary:
    """Resolves images in a fixed list of folders; drawn-size pictures are cached by bytes."""

    def __init__(
        self,
        folders: Iterable[str | os.PathLike[str]],
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        self.folders = [Path(folder) for folder in folders]
        self._cache: OrderedDict[tuple[CacheKey, Size], Image.Image] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._bytes = 0
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

    def open_source(self, path: str) -> Source:
        """The checked header of a path or data URI; nothing is decoded yet."""
        if path.startswith("data:"):
            data = decode_data_uri(path)
            key = ("data:" + hashlib.sha256(data).hexdigest(), len(data), 0)
            return Source(key, image_size(data), lambda: data)
        file = self.resolve(path)
        stat = file.stat()
        if stat.st_size > MAX_FILE_BYTES:
            raise AssetError(f"image file is larger than {MAX_FILE_BYTES} bytes")
        with file.open("rb") as handle:
            head = handle.read(64 * 1024)
        size = self._file_size(file, head)
        return Source((str(file), stat.st_mtime_ns, stat.st_size), size, file.read_bytes)

    @staticmethod
    def _file_size(file: Path, head: bytes) -> Size:
        """Dimensions from the first bytes of a file (the whole file when they do not tell)."""
        try:
            return image_size(head)
        except AssetError:
            return image_size(file.read_bytes())

    def picture(self, source: Source, size: Size | None = None) -> Image.Image:
        """The RGBA picture of ``source`` at ``size`` (default: its own); shared, read-only."""
        target = source.size if size is None else size
        key = (source.key, target)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        image = decode_image(source.read(), target)
        cost = picture_bytes(image)
        if cost <= self._cache_bytes // 4:  # one picture never fills most of the cache
            with self._lock:
                if key not in self._cache:
                    self._cache[key] = image
                    self._bytes += cost
                while self._bytes > self._cache_bytes and self._cache:
                    _, old = self._cache.popitem(last=False)
                    self._bytes -= picture_bytes(old)
        return image

    def cached_bytes(self) -> int:
        """Bytes of decoded pictures the cache holds now."""
        with self._lock:
            return self._bytes

    def load(self, path: str) -> tuple[CacheKey, Image.Image]:
        """A cache key and the full-size RGBA image for a path or data URI (do not modify it)."""
        source = self.open_source(path)
        return source.key, self.picture(source)
