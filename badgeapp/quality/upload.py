"""Turn an uploaded body into metrics per badge kind: pick the parser, parse, split by kind."""

from __future__ import annotations

from collections.abc import Iterable

from badgeapp.quality.detect import choose_parser
from badgeapp.quality.errors import MalformedReport, ReportTooLarge
from badgeapp.quality.report import Metrics, ReportParser, parser_title, split_by_kind
from badgeapp.quality.sniff import json_document
from badgeapp.quality.summary_json import validate_metrics


def parse_upload(
    body: bytes,
    content_type: str | None,
    parsers: Iterable[ReportParser],
    *,
    forced: str | None = None,
    max_bytes: int | None = None,
) -> tuple[ReportParser, dict[str, Metrics]]:
    """The parser used and the metrics per kind; raises 400/413/415 errors naming the problem.

    Whatever a parser returns (plugins included) is validated like the summary document."""
    if max_bytes is not None and len(body) > max_bytes:
        raise ReportTooLarge(f"report is larger than the limit of {max_bytes} bytes")
    try:
        parser = choose_parser(body, content_type, parsers, forced)
        metrics = validate_metrics(parser.parse(body), parser_title(parser))
    finally:
        json_document.cache_clear()  # do not keep a large decoded document alive
    by_kind = split_by_kind(metrics)
    if not by_kind:
        raise MalformedReport(f"{parser_title(parser)}: the report holds no metrics")
    return parser, by_kind
