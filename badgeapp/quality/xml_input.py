"""Parse an uploaded XML report safely (defusedxml: no entities, no external references)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from badgeapp.quality.errors import MalformedReport


def parse_xml(body: bytes, what: str) -> Element:
    """The root element of ``body``; ``MalformedReport`` naming ``what`` when it is not well-formed
    or unsafe.
    """
    try:
        return SafeET.fromstring(body)
    except DefusedXmlException as exc:
        raise MalformedReport(
            f"{what}: XML entity declarations and external references are not allowed ({exc})"
        ) from exc
    except ParseError as exc:
        raise MalformedReport(f"{what}: not well-formed XML ({exc})") from exc


def local_name(element: Element) -> str:
    """The tag without any ``{namespace}`` prefix."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def number_attr(
    element: Element, name: str, what: str, *, default: float | None = None
) -> float | None:
    """A numeric attribute (None or ``default`` when absent); ``MalformedReport`` when present but
    not a number.
    """
    raw = element.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise MalformedReport(f"{what}: attribute {name}={raw!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise MalformedReport(f"{what}: attribute {name}={raw!r} must be a finite number >= 0")
    return value
