"""coverage.py JSON reports (``coverage json``): the ``totals.percent_covered`` figure."""

from __future__ import annotations

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.json_input import load_object, number
from badgeapp.quality.report import Metrics
from badgeapp.quality.sniff import json_document

TITLE = "coverage.py JSON"


class CoveragePyJsonParser:
    """Reads ``{"meta": {...}, "files": {...}, "totals": {"percent_covered": ...}}``."""

    name = "coveragepy"
    title = TITLE

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """A JSON object with a ``totals`` object and ``meta`` or ``files``."""
        document = json_document(body)
        return (
            isinstance(document, dict)
            and isinstance(document.get("totals"), dict)
            and ("meta" in document or "files" in document)
        )

    def parse(self, body: bytes) -> Metrics:
        """``{"coverage": percent}``; falls back to covered_lines/num_statements when percent is
        absent.
        """
        document = load_object(body, TITLE)
        totals = document.get("totals")
        if not isinstance(totals, dict):
            raise MalformedReport(f"{TITLE}: no totals object")
        if "percent_covered" in totals:
            value = number(totals["percent_covered"], "totals.percent_covered", TITLE, maximum=100)
            return {"coverage": round(value, 2)}
        if "covered_lines" in totals and "num_statements" in totals:
            covered = number(totals["covered_lines"], "totals.covered_lines", TITLE)
            statements = number(totals["num_statements"], "totals.num_statements", TITLE)
            if covered > statements:
                raise MalformedReport(
                    f"{TITLE}: totals.covered_lines is larger than num_statements"
                )
            return {"coverage": round(100.0 * covered / statements, 2) if statements else 100.0}
        raise MalformedReport(f"{TITLE}: totals has neither percent_covered nor covered_lines")
