"""The shape of a parsed report: the parser protocol, the metric kinds and their metrics.

A parser turns bytes into a metrics dict with any of these keys (the same keys the storage
layer keeps in ``Report.metrics``):

- ``coverage``: float percent 0..100                         -> kind ``coverage``
- ``quality``: float score 0..100                            -> kind ``quality``
- ``grade``: one of ``GRADES``                               -> kind ``security``
- ``vulnerabilities``: ``{critical, high, medium, low}`` ints -> kind ``security``
- ``tests``: ``{passed, failed, skipped}`` ints               -> kind ``tests``
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

KINDS: tuple[str, ...] = ("coverage", "quality", "security", "tests")
GRADES: tuple[str, ...] = ("A+", "A", "B", "C", "D", "F")
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
TEST_OUTCOMES: tuple[str, ...] = ("passed", "failed", "skipped")

#: which metric keys belong to which badge kind
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "coverage": ("coverage",),
    "quality": ("quality",),
    "security": ("grade", "vulnerabilities"),
    "tests": ("tests",),
}

Metrics = dict[str, Any]


@runtime_checkable
class ReportParser(Protocol):
    """What ``badgeapp_report_parsers()`` returns: one object per upload format."""

    #: short format name, stored as ``Report.format`` and accepted as ``?format=`` on uploads
    name: str
    #: human name used in error messages ("Cobertura XML"); optional for plugins
    title: str

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """True when the body is in this format (cheap; may look only at the first bytes)."""
        ...

    def parse(self, body: bytes) -> Metrics:
        """Read the body into metrics; raise ``MalformedReport`` naming what is wrong."""
        ...


def parser_title(parser: ReportParser) -> str:
    """The parser's human name; plugins may leave ``title`` out (then its ``name``)."""
    return str(getattr(parser, "title", None) or parser.name)


def split_by_kind(metrics: Metrics) -> dict[str, Metrics]:
    """Group a parser's metrics into one metrics dict per badge kind present (kinds without data are
    left out).
    """
    out: dict[str, Metrics] = {}
    for kind, keys in KIND_KEYS.items():
        part = {key: metrics[key] for key in keys if metrics.get(key) is not None}
        if part:
            out[kind] = part
    return out


def percent(covered: float, total: float) -> float:
    """``covered / total`` as a percent rounded to 2 decimals; an empty total counts as 100 %
    (nothing to miss).
    """
    if total <= 0:
        return 100.0
    return round(100.0 * covered / total, 2)
