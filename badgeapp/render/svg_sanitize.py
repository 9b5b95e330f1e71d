"""Sanitise untrusted SVG (logo data URIs, plugin icons) before it is embedded in a badge.

Parsed with defusedxml (no DTD, no entities, no external references). Dropped: ``script``,
``foreignObject``, ``style`` and other active or embedding elements, every ``on*`` attribute,
every ``href`` that is not a local ``#fragment``, and ``url(...)`` values that point outside the
document. Anything that does not parse as one ``<svg>`` root is refused (None).

Cost is bounded by what the document expands to, not by its length: every local reference
(``<use href="#a">``, ``fill="url(#g)"``) draws the referenced subtree again, so ten levels of
ten ``<use>`` each are 10^10 elements from a few hundred bytes. The elements a renderer would
draw, references followed transitively, are counted; a document over ``MAX_EXPANDED_ELEMENTS``,
with a reference cycle, or nested too deep is refused.
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
#: the most elements a sanitised SVG may expand to, ``<use>`` and ``url(#..)`` followed
MAX_EXPANDED_ELEMENTS = 2000
_LOCAL_REF = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)|^\s*#(\S+)\s*$")
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


class _TooBig(Exception):
    """The document expands past the bound, or refers to itself."""


def expanded_size(root: StdET.Element, limit: int = MAX_EXPANDED_ELEMENTS) -> int:
    """How many elements ``root`` draws with every local reference expanded (at most ``limit``).

    Raises ``_TooBig`` past ``limit`` or on a reference cycle. Each element's expansion is
    computed once (memoised), so the work is linear in the document's size.
    """
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(element: StdET.Element) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise _TooBig("reference cycle")
        visiting.add(key)
        total = 1
        for value in element.attrib.values():
            for match in _LOCAL_REF.finditer(value):
                target = by_id.get(match.group(1) or match.group(2))
                if target is not None:
                    total += size(target)
        for child in element:
            total += size(child)
            if total > limit:
                break
        visiting.discard(key)
        if total > limit:
            raise _TooBig(f"expands to more than {limit} elements")
        sizes[key] = total
        return total

    return size(root)


def sanitize_svg(markup: str | bytes, fill: str | None = None) -> str | None:
    """Return safe SVG markup (optionally with ``fill`` on the root), or None when refused."""
    try:
        root = SafeET.fromstring(markup, forbid_dtd=True, forbid_entities=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError, TypeError):
        return None
    if _local(root.tag) != "svg":
        return None
    try:
        _clean(root)
        expanded_size(root)
    except (_TooBig, RecursionError):  # a <use> bomb, or thousands of nested groups
        return None
    if root.tag == "svg":
        root.set("xmlns", SVG_NS)
    if fill:
        root.set("fill", fill)
    return StdET.tostring(root, encoding="unicode")
