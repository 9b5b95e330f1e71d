"""gunicorn's threaded worker, answering an over-long request line with the app's 414 badge.

gunicorn reads at most ``limit_request_line`` bytes (8190, its maximum) of the request line
before the app sees the request; past that it answers an HTML page, which an ``<img>`` shows
as a broken image. This worker answers the same ``invalid parameter`` badge (status 414) that
the app sends for a query string over ``MAX_QUERY_BYTES``, so the refusal a user meets is the
app's whatever the length. Every other error keeps gunicorn's own handling. gunicorn.conf.py
sets ``worker_class`` to ``BadgeThreadWorker``.
"""

from __future__ import annotations

import functools
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from badgeapp.errors import InvalidParameter
from badgeapp.http.badge_response import SVG_CSP, TRANSIENT_ERROR_CACHE_SECONDS
from badgeapp.http.query import BadgeQuery
from badgeapp.render.engine import render_spec


@functools.cache
def too_long_response() -> bytes:
    """The raw HTTP/1.1 414 answer: the app's ``invalid parameter`` badge as SVG."""
    body = render_spec(BadgeQuery().error_spec(InvalidParameter())).encode("utf-8")
    head = (
        "HTTP/1.1 414 URI Too Long\r\n"
        "Connection: close\r\n"
        "Content-Type: image/svg+xml;charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cache-Control: max-age={TRANSIENT_ERROR_CACHE_SECONDS}\r\n"
        "Access-Control-Allow-Origin: *\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Security-Policy: {SVG_CSP}\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


class BadgeThreadWorker(ThreadWorker):
    """gunicorn's gthread worker; a request line over the limit gets a 414 badge, not HTML."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        ip = (addr or ("", -1))[0]
        self.log.warning("Invalid request from ip=%s: %s", ip, exc)
        try:
            util.write_nonblock(client, too_long_response())
        except Exception:  # the client went away: nothing to answer
            self.log.debug("Failed to send the 414 badge.")
