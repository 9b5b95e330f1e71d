"""Text and number helpers shared by the style templates: escaping, JS-compatible trim and case.

Everything here reproduces what badge-maker does in JavaScript (``trim``, ``toUpperCase``,
UTF-16 ``length``, number printing) so that the Python output matches it, plus one safety
deviation: characters that XML 1.0 forbids (C0 controls other than tab/newline/CR, lone
surrogates, U+FFFE/U+FFFF) are dropped or replaced so every badge is well-formed XML.
"""

from __future__ import annotations

import functools
import json
import pathlib
import re

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"

_ESCAPES: dict[int, str | None] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&apos;",
}
for _code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]:
    _ESCAPES[_code] = None
for _code in [*range(0xD800, 0xE000), 0xFFFE, 0xFFFF]:
    _ESCAPES[_code] = "\ufffd"
ESCAPE_TABLE = _ESCAPES

_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)


_NEEDS_ESCAPE = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Escape ``& < > " '`` (badge-maker's escapeXml) and drop characters XML cannot carry."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(ESCAPE_TABLE)


def js_trim(value: str) -> str:
    """String.prototype.trim: strip JavaScript's whitespace set (not Python's)."""
    return value.strip(_JS_SPACE)


def utf16_len(text: str) -> int:
    """JavaScript's ``length``: UTF-16 code units (an emoji counts 2)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@functools.cache
def _upper_table() -> dict[int, str]:
    """node's toUpperCase map (``scripts/build_width_tables.py``), independent of Python's
    Unicode version."""
    doc = json.loads((DATA_DIR / "js-uppercase.json").read_text(encoding="utf-8"))
    return {code: upper for code, upper in doc["map"]}


@functools.lru_cache(maxsize=4096)
def js_upper(text: str) -> str:
    """JavaScript's toUpperCase (full, context-free case mapping) as node does it."""
    if text.isascii():
        return text.upper()
    return text.translate(_upper_table())


def js_capitalize(text: str) -> str:
    """badge-maker's capitalize: upper-case the first UTF-16 unit only (astral stays as is)."""
    if not text or ord(text[0]) > 0xFFFF:
        return text
    return js_upper(text[0]) + text[1:]


def num(value: float) -> str:
    """Print a number like JavaScript's String(number) for the values badges use."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return repr(value)
