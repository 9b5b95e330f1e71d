"""Exception text made fit for a client: no heap addresses, object reprs or file paths.

Library exceptions often carry internals in their message (Pillow's ``cannot identify image file
<_io.BytesIO object at 0x7f61...>``, a module's file path). Wherever an exception's text becomes
part of an error answer, it goes through ``public_message`` first; the full text belongs in the
log only.
"""

from __future__ import annotations

import re

#: the longest exception text shown to a client
MAX_PUBLIC_CHARS = 200

_REPR = re.compile(r"<[^<>]*\bat 0x[0-9a-fA-F]+>")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.\-+@~]+){2,}[\\/]?")
_MODULE = re.compile(r"\b[\w.]+\.py\b")


def scrub(text: str) -> str:
    """``text`` with object reprs, addresses, file paths and module names taken out."""
    text = _REPR.sub("the data", text)
    text = _ADDRESS.sub("", text)
    text = _PATH.sub("a file", text)
    text = _MODULE.sub("a module", text)
    text = " ".join(text.split())
    if len(text) > MAX_PUBLIC_CHARS:
        text = text[: MAX_PUBLIC_CHARS - 1] + "…"
    return text


def public_message(exc: BaseException) -> str:
    """The text of ``exc`` safe to show a client (its class name when nothing is left)."""
    return scrub(str(exc)) or type(exc).__name__
