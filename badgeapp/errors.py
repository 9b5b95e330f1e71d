"""The one small hierarchy of badge errors, shared by every layer.

Anything (a parser, a provider, the upstream client) raises a ``BadgeError``; the
badge response path (``badgeapp.http.badge_response``) turns it into an error badge
for images or a JSON error body for JSON clients. Messages and colours follow
shields.io (core/base-service/errors.js) so users see the same words.
"""

from __future__ import annotations


class BadgeError(Exception):
    """Base class: an error that is shown to the user as a badge."""

    #: text on the right half of the error badge
    message: str = "error"
    #: colour of the right half (a shields colour name)
    color: str = "lightgrey"
    #: HTTP status for JSON clients (image clients get ``image_status``)
    status: int = 500
    #: HTTP status sent with the error *image*; shields answers 200 so READMEs keep working
    image_status: int = 200

    def __init__(self, message: str | None = None, *, detail: str | None = None) -> None:
        if message is not None:
            self.message = message
        self.detail = detail or self.message
        super().__init__(self.detail)


class NotFound(BadgeError):
    """The thing the badge is about does not exist (repo, package, project, metric)."""

    message = "not found"
    color = "red"
    status = 404


class BadgeNotFound(NotFound):
    """No such route, provider or metric: shields' ``404 | badge not found``."""

    message = "badge not found"
    status = 404
    image_status = 404


class InvalidParameter(BadgeError):
    """A path segment or query parameter the user typed is not acceptable."""

    message = "invalid parameter"
    color = "red"
    status = 400


class InvalidResponse(BadgeError):
    """Upstream answered with something we cannot understand."""

    message = "invalid"
    status = 502


class Inaccessible(BadgeError):
    """Upstream unreachable, timed out or rate-limited, and no stale value exists."""

    message = "inaccessible"
    status = 503


class ImproperlyConfigured(BadgeError):
    """The server lacks configuration the badge needs (an API key, a token)."""

    message = "improperly configured"
    status = 503


class Deprecated(BadgeError):
    """The badge existed once and is retired."""

    message = "no longer available"
    status = 410


class RateLimited(BadgeError):
    """The client made too many requests; the image still renders (with status 429)."""

    message = "rate limited"
    color = "orange"
    status = 429
    image_status = 429


class Forbidden(BadgeError):
    """The request is refused as it stands (a missing, wrong or expired URL signature)."""

    message = "forbidden"
    color = "red"
    status = 403
    image_status = 403


class Busy(BadgeError):
    """The server is already doing as much of this expensive work as it allows; retry soon."""

    message = "busy, retry shortly"
    color = "orange"
    status = 503
    image_status = 503


class RateLimitExceeded(RateLimited):
    """A client went over a limit on expensive work (cold upstream fetches, writes, heavy
    renders). JSON clients get 429 with ``retryAfter``; an image is still a 200 image (the last
    good one when there is one, else this ``rate limited`` badge), never a broken one."""

    image_status = 200

    def __init__(self, retry_after: int = 60, *, detail: str | None = None) -> None:
        super().__init__(
            detail=detail or "Rate limit exceeded. Please wait before making more requests."
        )
        self.retry_after = max(1, int(retry_after))
