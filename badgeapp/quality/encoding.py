"""Undo a ``Content-Encoding`` (gzip, deflate) on an upload without letting it grow past the cap.

A gzip body may hold several members one after the other (what ``gzip -c a b`` or
``cat a.gz b.gz`` writes); RFC 1952 says they decode to the concatenation of their contents, so
every member is decoded, all of them together held to the one byte limit. Zero bytes after the
last member (tape padding) are ignored, as ``gzip -d`` does.
"""

from __future__ import annotations

import zlib

from badgeapp.quality.errors import MalformedReport, ReportTooLarge, UnsupportedReport

#: zlib ``wbits`` per encoding: 47 = gzip or zlib header detected, 15 = zlib stream
_WBITS = {"gzip": 47, "x-gzip": 47, "deflate": 15}
#: encodings whose bodies may be a sequence of members
_MULTI_MEMBER = frozenset({"gzip", "x-gzip"})


def _decode_member(data: bytes, name: str, room: int) -> tuple[bytes, bytes]:
    """One member's content (at most ``room`` bytes, else 413) and the bytes after it."""
    decoder = zlib.decompressobj(wbits=_WBITS[name])
    try:
        out = decoder.decompress(data, room)
        if len(out) < room and not decoder.unconsumed_tail:
            out += decoder.flush(room - len(out))
    except zlib.error as exc:
        raise MalformedReport(f"the body is not valid {name} data ({exc})") from exc
    if len(out) >= room or decoder.unconsumed_tail:
        raise ReportTooLarge("")
    if not decoder.eof:
        raise MalformedReport(f"the {name} data is truncated")
    return out, decoder.unused_data


def decode_body(body: bytes, encoding: str | None, limit: int) -> bytes:
    """The decoded body; 413 when it would exceed ``limit`` bytes (a zip bomb stops there),
    400 when it is not valid, 415 for encodings other than gzip and deflate."""
    name = (encoding or "identity").strip().lower()
    if name in ("", "identity"):
        return body
    if name not in _WBITS:
        raise UnsupportedReport(f"unsupported Content-Encoding {name!r}: use gzip or none")
    parts: list[bytes] = []
    size = 0
    rest = body
    while True:
        try:
            out, rest = _decode_member(rest, name, limit + 1 - size)
        except ReportTooLarge:
            raise ReportTooLarge(
                f"decompressed report is larger than the limit of {limit} bytes"
            ) from None
        parts.append(out)
        size += len(out)
        if name not in _MULTI_MEMBER or not rest.strip(b"\0"):
            return b"".join(parts)
