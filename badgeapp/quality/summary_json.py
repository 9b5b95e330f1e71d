"""The summary JSON document, for tools without a supported format: the numbers, computed.

``{"coverage": 87.5, "quality": 91, "grade": "A", "vulnerabilities": {"critical": 0},
"tests": {"passed": 1234, "failed": 0, "skipped": 3}}``; every field is optional, but at least
one is needed.
"""

from __future__ import annotations

from typing import Any

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.json_input import count, load_object, number
from badgeapp.quality.report import GRADES, SEVERITIES, TEST_OUTCOMES, Metrics
from badgeapp.quality.sniff import json_document

TITLE = "summary JSON"
FIELDS: tuple[str, ...] = ("coverage", "quality", "grade", "vulnerabilities", "tests")


class SummaryJsonParser:
    """Validates the document strictly: unknown fields and out-of-range numbers are refused."""

    name = "summary"
    title = TITLE

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """A JSON object with at least one of the summary fields."""
        document = json_document(body)
        return isinstance(document, dict) and any(field in document for field in FIELDS)

    def parse(self, body: bytes) -> Metrics:
        """The validated metrics (vulnerability and test counts missing from the document are 0)."""
        return validate_metrics(load_object(body, TITLE), TITLE)


def validate_metrics(document: Any, title: str = TITLE) -> Metrics:
    """Check a metrics mapping (a summary document, or what any parser returned) and normalise
    it: numbers in range, a known grade, integer counts with every key present."""
    if not isinstance(document, dict):
        raise MalformedReport(f"{title}: metrics must be an object, not {type(document).__name__}")
    unknown = sorted(str(key) for key in set(document) - set(FIELDS))
    if unknown:
        raise MalformedReport(
            f"{title}: unknown field(s) {', '.join(unknown)}; expected {', '.join(FIELDS)}"
        )
    metrics: Metrics = {}
    for field in ("coverage", "quality"):
        if document.get(field) is not None:
            metrics[field] = round(number(document[field], field, title, maximum=100), 2)
    if document.get("grade") is not None:
        metrics["grade"] = _grade(document["grade"], title)
    if document.get("vulnerabilities") is not None:
        metrics["vulnerabilities"] = _counts(
            document["vulnerabilities"], "vulnerabilities", SEVERITIES, title
        )
    if document.get("tests") is not None:
        metrics["tests"] = _counts(document["tests"], "tests", TEST_OUTCOMES, title)
    if not metrics:
        raise MalformedReport(f"{title}: no metrics; give at least one of {', '.join(FIELDS)}")
    return metrics


def _grade(value: Any, title: str) -> str:
    """One of A+, A, B, C, D, F (case-insensitive)."""
    grade = value.strip().upper() if isinstance(value, str) else None
    if grade not in GRADES:
        raise MalformedReport(f"{title}: grade must be one of {', '.join(GRADES)}, not {value!r}")
    return grade


def _counts(value: Any, field: str, keys: tuple[str, ...], title: str) -> dict[str, int]:
    """An object of non-negative integer counts with only ``keys`` (missing ones are 0)."""
    if not isinstance(value, dict):
        raise MalformedReport(f"{title}: {field} must be an object with {', '.join(keys)}")
    unknown = sorted(str(key) for key in set(value) - set(keys))
    if unknown:
        raise MalformedReport(
            f"{title}: {field} has unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}"
        )
    return {key: count(value.get(key, 0), f"{field}.{key}", title) for key in keys}
