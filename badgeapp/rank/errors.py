"""The rank spec's error catalogue: eleven ``BadgeError`` types with their codes and bodies.

Each error carries ``details`` (an object, optional) and ``retry_after`` (seconds, optional);
``body(request_id)`` is the spec's ``ErrorResponse``. The class name is the ``error`` field
(PascalCase). Image clients get an error card with the same message and the same status, so
``image_status`` equals ``status``.
"""

from __future__ import annotations

from typing import Any

from badgeapp.errors import BadgeError

#: the spec's username rule
USERNAME_PATTERN = "^[a-zA-Z0-9]([a-zA-Z0-9-]{0,38})?$"
#: what the spec tells a user whose service tokens ran out
BYOT_SUGGESTION = "Use ?token=YOUR_GITHUB_PAT to bypass service token limits"


class RankError(BadgeError):
    """Base of the catalogue: a message, optional details and optional retryAfter."""

    status = 500

    def __init__(
        self,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, detail=message)
        self.details = details
        self.retry_after = retry_after

    @property
    def image_status(self) -> int:  # type: ignore[override]
        return self.status

    def body(self, request_id: str) -> dict[str, Any]:
        """The spec's ``ErrorResponse``."""
        out: dict[str, Any] = {
            "error": type(self).__name__,
            "code": self.status,
            "message": self.message,
        }
        if self.details is not None:
            out["details"] = self.details
        if self.retry_after is not None:
            out["retryAfter"] = int(self.retry_after)
        out["requestId"] = request_id
        return out


class ValidationError(RankError):
    """Invalid request parameters."""

    status = 400


class InvalidUsername(RankError):
    """The username does not match GitHub's rules."""

    status = 400


class InvalidSeason(RankError):
    """The season year is outside 2010 .. the current year."""

    status = 400


class InvalidTheme(RankError):
    """The theme is not one of the rank themes."""

    status = 400


class InvalidToken(RankError):
    """The token is not a GitHub PAT (``ghp_`` / ``github_pat_``) or GitHub rejected it."""

    status = 400


class UserNotFound(RankError):
    """GitHub has no such user."""

    status = 404


class RateLimitExceeded(RankError):
    """The client passed a rank limit (per IP or per username)."""

    status = 429


class GitHubRateLimited(RankError):
    """GitHub refused the tokens for rate limiting."""

    status = 503


class TokensExhausted(RankError):
    """Every service token is exhausted (or none is configured)."""

    status = 503


class GitHubAPIError(RankError):
    """GitHub answered with an error or could not be reached."""

    status = 502


class InternalError(RankError):
    """An unexpected failure; the requestId leads to the log line."""

    status = 500


CATALOG: tuple[type[RankError], ...] = (
    ValidationError,
    InvalidUsername,
    InvalidSeason,
    InvalidTheme,
    InvalidToken,
    UserNotFound,
    RateLimitExceeded,
    GitHubRateLimited,
    TokensExhausted,
    GitHubAPIError,
    InternalError,
)


def tokens_exhausted(retry_after: int = 300) -> TokensExhausted:
    """The spec's TokensExhausted answer (with the bring-your-own-token suggestion)."""
    return TokensExhausted(
        "Service is temporarily unavailable due to high demand. Please try again in a few "
        "minutes or provide your own GitHub token.",
        details={"suggestion": BYOT_SUGGESTION},
        retry_after=retry_after,
    )


def github_rate_limited(retry_after: int = 300) -> GitHubRateLimited:
    """GitHub's own rate limit was hit (wait, or bring a token)."""
    return GitHubRateLimited(
        "GitHub API rate limit reached. Please wait or provide your own GitHub token.",
        details={"suggestion": BYOT_SUGGESTION},
        retry_after=retry_after,
    )
