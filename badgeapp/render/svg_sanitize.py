"""Sanitise untrusted SVG (logo data URIs, plugin icons) before it is embedded in a badge.

Parsed with defusedxml (no DTD, no entities, no external references). Dropped: ``script``,
``foreignObject``, ``style`` and other active or embedding elements, every ``on*`` attribute,
every ``href`` that is not a local ``#fragment``, and ``url(...)`` values that point outside the
document. Anything that does not parse as one ``<svg>`` root is refused (None).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
StdET.register_namespace("", SVG_NS)
StdET.register_namespace("xlink", XLINK_NS)

#: elements removed with their whole subtree
FORBIDDEN = {
    "script",
    "foreignobject",
    "style",
    "iframe",
    "object",
    "embed",
    "audio",
    "video",
    "canvas",
    "handler",
    "listener",
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
    "animatecolor",
    "discard",
    "image",
    "feimage",
    "a",
}
_EXTERNAL_URL = re.compile(r"url\(\s*(?![\s'\"]*#)", re.IGNORECASE)
_DANGEROUS_VALUE = re.compile(r"javascript:|data:|@import|expression\s*\(", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _clean(element: StdET.Element) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag) in FORBIDDEN:
            element.remove(child)
            continue
        _clean(child)
    for name in list(element.attrib):
        local = _local(name)
        value = element.attrib[name]
        if (
            local.startswith("on")
            or (local == "href" and not value.strip().startswith("#"))
            or _EXTERNAL_URL.search(value)
            or _DANGEROUS_VALUE.search(value)
        ):
            del element.attrib[name]


def sanitize_svg(markup: str | bytes, fill: str | None = None) -> str | None:
    """Return safe SVG markup (optionally with ``fill`` on the root), or None when refused."""
    try:
        root = SafeET.fromstring(markup, forbid_dtd=True, forbid_entities=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError, TypeError):
        return None
    if _local(root.tag) != "svg":
        return None
    _clean(root)
    if root.tag == "svg":
        root.set("xmlns", SVG_NS)
    if fill:
        root.set("fill", fill)
    return StdET.tostring(root, encoding="unicode")
