"""Cheap looks at an upload body: its XML root element, or its JSON document (decoded once)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

_PROLOG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*",
    re.DOTALL,
)
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def xml_root_tag(body: bytes) -> str | None:
    """The local name of the first element when the body starts like an XML document, else None."""
    head = body[:65536]
    skipped = _PROLOG.match(head)
    rest = head[skipped.end() if skipped else 0 :]
    if not rest.startswith(b"<"):
        return None
    match = _ROOT.match(rest)
    return match.group(2).decode("ascii") if match else None


def looks_like_json(body: bytes) -> bool:
    """True when the first non-blank byte opens a JSON object."""
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


@functools.lru_cache(maxsize=1)
def json_document(body: bytes) -> Any:
    """The decoded JSON document, or None when the body is not valid UTF-8 JSON (memoised for the
    last body).
    """
    if not looks_like_json(body):
        return None
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
