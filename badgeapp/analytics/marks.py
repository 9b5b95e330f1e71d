"""What the response path tells analytics about the answer it is making (request-local marks)."""

from __future__ import annotations

from flask import g, has_request_context


def note_error(error: BaseException) -> None:
    """Mark the current answer as an error badge (counted under ``error`` by analytics)."""
    if has_request_context():
        g.badge_error = type(error).__name__
