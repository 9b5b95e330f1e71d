"""Errors raised while reading an uploaded quality report; each names the problem."""

from __future__ import annotations

from badgeapp.errors import BadgeError, InvalidParameter


class MalformedReport(InvalidParameter):
    """The body looks like a known format but its content is broken or inconsistent (HTTP 400)."""

    message = "malformed report"


class UnsupportedReport(BadgeError):
    """The body is in no format any registered parser recognises (HTTP 415)."""

    message = "unsupported report format"
    color = "red"
    status = 415


class ReportTooLarge(BadgeError):
    """The body is larger than ``QUALITY_MAX_REPORT_BYTES`` (HTTP 413)."""

    message = "report too large"
    color = "red"
    status = 413
