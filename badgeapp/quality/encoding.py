"""Undo a ``Content-Encoding`` (gzip, deflate) on an upload without letting it grow past the cap."""

from __future__ import annotations

import zlib

from badgeapp.quality.errors import MalformedReport, ReportTooLarge, UnsupportedReport

#: zlib ``wbits`` per encoding: 47 = gzip or zlib header detected, 15 = zlib stream
_WBITS = {"gzip": 47, "x-gzip": 47, "deflate": 15}


def decode_body(body: bytes, encoding: str | None, limit: int) -> bytes:
    """The decoded body; 413 when it would exceed ``limit`` bytes (a zip bomb stops there),
    400 when it is not valid, 415 for encodings other than gzip and deflate."""
    name = (encoding or "identity").strip().lower()
    if name in ("", "identity"):
        return body
    if name not in _WBITS:
        raise UnsupportedReport(f"unsupported Content-Encoding {name!r}: use gzip or none")
    decoder = zlib.decompressobj(wbits=_WBITS[name])
    try:
        out = decoder.decompress(body, limit + 1)
        if len(out) <= limit and not decoder.unconsumed_tail:
            out += decoder.flush(limit + 1 - len(out))
    except zlib.error as exc:
        raise MalformedReport(f"the body is not valid {name} data ({exc})") from exc
    if len(out) > limit or decoder.unconsumed_tail:
        raise ReportTooLarge(f"decompressed report is larger than the limit of {limit} bytes")
    if not decoder.eof:
        raise MalformedReport(f"the {name} data is truncated")
    return out
