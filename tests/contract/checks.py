"""The contract every answer must meet, shared by the contract tests.

``check_response``: no 5xx beyond the documented upstream ones; a body that parses as its
Content-Type says (defusedxml for SVG, Pillow for PNG, json for JSON); SVG answers carry
``nosniff`` and a CSP that lets an opened SVG run nothing. ``check_svg``: no script, event
handler, ``javascript:`` or external reference in the markup, whatever the input.
"""

from __future__ import annotations

import base64
import io
import json
import math
import urllib.parse

import defusedxml.ElementTree as SafeET
from PIL import Image

SVG_NS = "{http://www.w3.org/2000/svg}"
#: statuses a user may see for upstream trouble (JSON bodies; images answer 200)
UPSTREAM_STATUSES = frozenset({502, 503, 504})
#: attributes that make a viewer load or follow something
REFERENCE_ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})
#: attributes that carry the user's text as text (never interpreted)
TEXT_ATTRIBUTES = frozenset({"aria-label"})
FORBIDDEN_TAGS = frozenset({"script", "foreignObject", "iframe", "object", "embed", "handler"})


def decode_data_uri(uri: str) -> bytes:
    """The bytes of a ``data:`` URI (base64 or percent-encoded)."""
    header, _, payload = uri.partition(",")
    if header.endswith(";base64"):
        return base64.b64decode(payload)
    return urllib.parse.unquote_to_bytes(payload)


def check_svg(data: bytes, *, badge: bool = True) -> object:
    """Parse an SVG with defusedxml and hold it to the markup-safety rules; return the root.

    ``badge``: the document is a badge, so it needs a finite, positive width and height.
    """
    root = SafeET.fromstring(data)
    assert root.tag == SVG_NS + "svg", root.tag
    for side in ("width", "height") if badge else ():  # a NaN size is a broken image too
        size = float(root.get(side, "nan"))
        assert math.isfinite(size) and 0 < size < 500_000, (side, root.get(side))
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            assert not local.startswith("on"), (name, value)
            squeezed = "".join(value.split()).lower()
            if local in REFERENCE_ATTRIBUTES and tag == "a":
                # a link the user asked for: http(s) only
                assert value.startswith(("http://", "https://")), value
            elif local in REFERENCE_ATTRIBUTES:
                # anything a viewer would fetch: inline images and local fragments only
                assert value.startswith(("data:image/", "#")), (tag, value)
                if value.startswith("data:image/svg+xml"):
                    # an inline logo obeys the same rules (its size comes from the badge)
                    check_svg(decode_data_uri(value), badge=False)
            if local not in TEXT_ATTRIBUTES:  # a script URL, or one inside url(...)
                assert not squeezed.startswith("javascript:"), (name, value)
                assert "url(javascript:" not in squeezed, (name, value)
            if local in ("style", "fill", "stroke", "filter", "clip-path", "mask"):
                assert "url(" not in squeezed or squeezed.startswith("url(#"), (name, value)
    if badge:  # duplicate ids make one badge's gradient or clip path draw on another
        ids = [element.get("id") for element in root.iter() if element.get("id")]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    if root.find(SVG_NS + "style") is not None:
        css = "".join(root.find(SVG_NS + "style").itertext()).lower()
        squeezed_css = "".join(css.split())
        assert "@import" not in squeezed_css, css
        assert squeezed_css.count("url(") == squeezed_css.count("url(#"), css
    return root


def check_response(response, *, allow: frozenset[int] = frozenset()) -> str:
    """The contract for any answer: no unexpected 5xx; the body is what its type says.

    Returns the kind: ``svg``, ``png``, ``json`` or ``empty`` (304/204).
    """
    status = response.status_code
    assert status < 500 or status in allow, (status, response.data[:300])
    # user text such as ../../etc/passwd names files: no answer may carry one's contents
    assert b"root:x:0:0" not in response.data and b"root:*:0:0" not in response.data
    if status in (204, 304):
        assert not response.data
        return "empty"
    kind = response.headers.get("Content-Type", "")
    if kind.startswith("image/svg+xml"):
        root = check_svg(response.data)
        label = root.get("aria-label") or ""
        assert "internal error" not in label, label
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in csp, csp
        assert "script-src" not in csp or "'none'" in csp
        return "svg"
    if kind == "image/png":
        with Image.open(io.BytesIO(response.data)) as image:
            image.verify()
        return "png"
    assert kind.startswith("application/json"), (status, kind, response.data[:200])
    json.loads(response.data)
    return "json"


#: API prefixes whose spec gives FastAPI-style ``{"detail": ...}`` errors (quality, layered)
DETAIL_PREFIXES = ("/api/v1/", "/api/badge/generate")


def check_json_error(path: str, response) -> None:
    """A JSON error body is the documented one for its API: ``{"detail": ...}`` for the quality
    and layered specs, else the platform catalogue ``{"error", "code", "message", "requestId"}``
    with ``code`` equal to the status."""
    body = json.loads(response.data)
    assert isinstance(body, dict), body
    if path.startswith(DETAIL_PREFIXES) and "detail" in body:
        assert isinstance(body["detail"], str | list) and body["detail"], body
        return
    assert isinstance(body.get("error"), str) and body["error"], body
    assert body.get("code") == response.status_code, (body, response.status_code)
    assert isinstance(body.get("message"), str), body
    assert isinstance(body.get("requestId"), str) and body["requestId"], body
