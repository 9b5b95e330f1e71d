"""Pick the parser for an upload: the one named by ``?format=``, else the first that detects it."""

from __future__ import annotations

import json
from collections.abc import Iterable

from badgeapp.errors import InvalidParameter
from badgeapp.quality.errors import MalformedReport, UnsupportedReport
from badgeapp.quality.report import ReportParser, parser_title
from badgeapp.quality.sniff import json_document, looks_like_json, xml_root_tag


def choose_parser(
    body: bytes,
    content_type: str | None,
    parsers: Iterable[ReportParser],
    forced: str | None = None,
) -> ReportParser:
    """The parser for ``body``; 400 for an empty body or an unknown ``forced`` name, 415 when none
    fits.
    """
    parsers = list(parsers)
    if not body.strip():
        raise MalformedReport("empty body: send the report file itself as the request body")
    if forced:
        for parser in parsers:
            if parser.name == forced:
                return parser
        known = ", ".join(p.name for p in parsers)
        raise InvalidParameter(f"unknown report format {forced!r}; known formats: {known}")
    for parser in parsers:
        if parser.detect(body, content_type):
            return parser
    raise _why_not(body, content_type, parsers)


def _why_not(body: bytes, content_type: str | None, parsers: list[ReportParser]) -> Exception:
    """The most helpful error for a body no parser recognised."""
    expected = ", ".join(parser_title(p) for p in parsers)
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if looks_like_json(body) or mime.endswith("json"):
        if json_document(body) is None:
            try:
                json.loads(body.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                return MalformedReport(f"the body is not valid UTF-8 JSON ({exc})")
            return MalformedReport("the JSON document must be an object")
        return UnsupportedReport(
            f"unsupported JSON report: no known fields; expected one of: {expected}"
        )
    root = xml_root_tag(body)
    if root is not None:
        return UnsupportedReport(
            f"unsupported XML report with root <{root}>; expected one of: {expected}"
        )
    return UnsupportedReport(f"unsupported report format; expected one of: {expected}")
