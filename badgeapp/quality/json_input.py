"""Decode an uploaded JSON report and read typed fields from it, naming the field that is wrong."""

from __future__ import annotations

import json
from typing import Any

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.sniff import json_document


def load_object(body: bytes, what: str) -> dict[str, Any]:
    """The body's top-level JSON object; ``MalformedReport`` when not JSON or not an object."""
    document = json_document(body)
    if document is None:
        try:
            json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise MalformedReport(f"{what}: not valid UTF-8 JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise MalformedReport(f"{what}: the document must be a JSON object")
    return document


def number(value: Any, field: str, what: str, *, maximum: float | None = None) -> float:
    """A finite number >= 0 (and <= maximum); bools and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedReport(f"{what}: {field} must be a number, not {type(value).__name__}")
    result = float(value)
    if result != result or result in (float("inf"), float("-inf")) or result < 0:
        raise MalformedReport(f"{what}: {field} must be a finite number >= 0")
    if maximum is not None and result > maximum:
        raise MalformedReport(f"{what}: {field}={value} is above {maximum:g}")
    return result


def count(value: Any, field: str, what: str) -> int:
    """A non-negative integer (a float with no fraction is accepted)."""
    result = number(value, field, what)
    if result != int(result):
        raise MalformedReport(f"{what}: {field} must be a whole number, not {value}")
    return int(result)
