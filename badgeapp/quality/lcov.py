"""LCOV tracefiles (``lcov``, c8/nyc/jest, ``coverage lcov``, ``cargo llvm-cov --lcov``)."""

from __future__ import annotations

import re

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.report import Metrics, percent

TITLE = "LCOV"
_RECORD_START = re.compile(rb"^(?:TN:[^\n]*\n\s*)*SF:", re.MULTILINE)


class LcovParser:
    """Line coverage summed over all records: sum(LH) / sum(LF), or the DA lines of a record without
    LF/LH.
    """

    name = "lcov"
    title = TITLE

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """Starts (after optional ``TN:`` lines) with ``SF:`` and has an ``end_of_record``."""
        head = body[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
        return bool(_RECORD_START.match(head)) and b"end_of_record" in body

    def parse(self, body: bytes) -> Metrics:
        """``{"coverage": percent}`` over every source file in the tracefile."""
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MalformedReport(f"{TITLE}: not UTF-8 text ({exc})") from exc
        found = hit = 0
        records = 0
        in_record = False
        rec_lf: int | None = None
        rec_lh: int | None = None
        da_found = da_hit = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("SF:"):
                if in_record:
                    raise MalformedReport(f"{TITLE}: line {number}: SF: before end_of_record")
                in_record, rec_lf, rec_lh, da_found, da_hit = True, None, None, 0, 0
            elif line == "end_of_record":
                if not in_record:
                    raise MalformedReport(f"{TITLE}: line {number}: end_of_record without SF:")
                lf = rec_lf if rec_lf is not None else da_found
                lh = rec_lh if rec_lh is not None else da_hit
                if lh > lf:
                    raise MalformedReport(
                        f"{TITLE}: line {number}: LH ({lh}) is larger than LF ({lf})"
                    )
                found, hit, records, in_record = found + lf, hit + lh, records + 1, False
            elif in_record and line.startswith(("LF:", "LH:", "DA:")):
                key, _, value = line.partition(":")
                if key == "DA":
                    parts = value.split(",")
                    count = _count(parts[1] if len(parts) > 1 else "", number, line)
                    da_found += 1
                    da_hit += 1 if count > 0 else 0
                elif key == "LF":
                    rec_lf = int(_count(value, number, line))
                else:
                    rec_lh = int(_count(value, number, line))
        if in_record:
            raise MalformedReport(f"{TITLE}: the last record has no end_of_record")
        if records == 0:
            raise MalformedReport(f"{TITLE}: no SF: ... end_of_record records")
        return {"coverage": percent(hit, found)}


def _count(value: str, number: int, line: str) -> float:
    """A non-negative count field of an LCOV line (some tools write execution counts as floats)."""
    try:
        count = float(value.strip())
    except ValueError:
        raise MalformedReport(f"{TITLE}: line {number}: {line[:80]!r} has no valid count") from None
    if count != count or count < 0 or count == float("inf"):
        raise MalformedReport(
            f"{TITLE}: line {number}: {line[:80]!r} has a negative or invalid count"
        )
    return count
