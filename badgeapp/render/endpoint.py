"""Shields endpoint JSON: the ``format=json`` / ``.json`` body of a badge.

The document follows shields' endpoint schema (services/endpoint-common.js: ``schemaVersion`` 1,
``label``, ``message``, ``color``, ``labelColor``, ``isError``, ``namedLogo`` or ``logoSvg``,
``logoColor``, ``style``, ``cacheSeconds``), so a badgeapp JSON URL can be fed to
``https://img.shields.io/endpoint?url=...`` as is. Pure: no Flask, no I/O.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from typing import Any

from badgeapp.render.spec import BadgeSpec

SCHEMA_VERSION = 1


def _svg_from_data_uri(uri: str) -> str | None:
    """Return the SVG text of a ``data:image/svg+xml`` URI, or None for other data."""
    head, sep, data = uri.partition(",")
    if not sep or not head.lower().startswith("data:image/svg+xml"):
        return None
    if head.lower().endswith(";base64"):
        try:
            return base64.b64decode(data, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    return urllib.parse.unquote(data)


def endpoint_json(
    spec: BadgeSpec,
    *,
    is_error: bool = False,
    named_logo: str | None = None,
    cache_seconds: int | None = None,
) -> dict[str, Any]:
    """Build the endpoint document for ``spec``.

    ``named_logo`` is the logo name the user typed (``?logo=github``), reported as
    ``namedLogo``; without it an SVG ``data:`` logo is reported as ``logoSvg``. Keys whose value
    is unknown are left out, as the schema makes them optional.
    """
    doc: dict[str, Any] = {
        "schemaVersion": SCHEMA_VERSION,
        "label": spec.label,
        "message": spec.message,
    }
    if spec.color:
        doc["color"] = spec.color
    if spec.label_color:
        doc["labelColor"] = spec.label_color
    if is_error:
        doc["isError"] = True
    if named_logo:
        doc["namedLogo"] = named_logo
        if spec.logo_color:
            doc["logoColor"] = spec.logo_color
    elif spec.logo:
        svg = _svg_from_data_uri(spec.logo)
        if svg is not None:
            doc["logoSvg"] = svg
    style = spec.theme or spec.style
    if style and style != "flat":
        doc["style"] = style
    if cache_seconds is not None:
        doc["cacheSeconds"] = int(cache_seconds)
    return doc
