"""A quota-aware pool of API tokens (``GITHUB_TOKEN`` / ``GITHUB_TOKENS``).

Each response's ``X-RateLimit-Remaining`` / ``X-RateLimit-Reset`` headers are recorded
per token (in the shared store, so all workers agree when Redis is used); ``pick``
returns the token with the most remaining quota that is not exhausted. A 403/429
rate-limit answer marks its token exhausted until its reset time, and the caller
switches to the next one. Tokens are identified in the store by a short hash, never by
their value, and are never logged.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping

from .cache import Store

#: quota assumed for a token nothing is known about yet (GitHub's authenticated limit)
DEFAULT_QUOTA = 5000
#: how long an exhausted token is skipped when upstream gave no reset time
DEFAULT_COOLDOWN = 60.0


def token_id(token: str) -> str:
    """A short, non-reversible name for a token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def parse_tokens(single: str, many: str) -> tuple[str, ...]:
    """Tokens from ``GITHUB_TOKEN`` and comma/space-separated ``GITHUB_TOKENS``, deduplicated."""
    seen: list[str] = []
    for tok in [single, *many.replace(",", " ").split()]:
        tok = (tok or "").strip()
        if tok and tok not in seen:
            seen.append(tok)
    return tuple(seen)


def is_rate_limited(status: int, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether an answer is a (primary or secondary) rate-limit refusal."""
    if status == 429:
        return True
    if status != 403:
        return False
    if headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers:
        return True
    return b"rate limit" in body[:2000].lower()


class TokenPool:
    """Tokens with their last known quota; an empty pool means anonymous requests."""

    def __init__(self, tokens: Iterable[str], store: Store, scope: str = "github") -> None:
        self.tokens = tuple(tokens)
        self.store = store
        self.scope = scope

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def _key(self, token: str) -> str:
        return f"tok:{self.scope}:{token_id(token)}"

    def state(self, token: str) -> dict:
        """``{"remaining": int, "reset": epoch seconds}`` as last seen (defaults when unknown)."""
        rec = self.store.get_record(self._key(token))
        if not isinstance(rec, dict):
            return {"remaining": DEFAULT_QUOTA, "reset": 0.0}
        return rec

    def pick(self, exclude: Iterable[str] = ()) -> str | None:
        """The usable token with the most remaining quota, or None when all are exhausted."""
        now = time.time()
        best: tuple[int, str] | None = None
        skip = set(exclude)
        for tok in self.tokens:
            if tok in skip:
                continue
            st = self.state(tok)
            remaining = int(st.get("remaining", DEFAULT_QUOTA))
            if remaining <= 0 and float(st.get("reset", 0)) > now:
                continue
            if remaining <= 0:
                remaining = DEFAULT_QUOTA  # the window has reset
            if best is None or remaining > best[0]:
                best = (remaining, tok)
        return best[1] if best else None

    def record(self, token: str, headers: Mapping[str, str]) -> None:
        """Remember the quota headers of an answer made with ``token``."""
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is None:
            return
        try:
            rem = int(remaining)
            reset = float(headers.get("x-ratelimit-reset") or 0)
        except ValueError:
            return
        ttl = max(60.0, reset - time.time() + 60.0) if reset else 3600.0
        self.store.put_record(self._key(token), {"remaining": rem, "reset": reset}, ttl)

    def exhaust(self, token: str, headers: Mapping[str, str]) -> None:
        """Skip ``token`` until its reset (``X-RateLimit-Reset`` or ``Retry-After``)."""
        now = time.time()
        reset = 0.0
        try:
            reset = float(headers.get("x-ratelimit-reset") or 0)
        except ValueError:
            reset = 0.0
        if reset <= now:
            try:
                reset = now + float(headers.get("retry-after") or DEFAULT_COOLDOWN)
            except ValueError:
                reset = now + DEFAULT_COOLDOWN
        self.store.put_record(
            self._key(token), {"remaining": 0, "reset": reset}, max(1.0, reset - now + 60.0)
        )

    def health(self) -> str:
        """``operational``, ``degraded`` (a token exhausted or any below a tenth of its quota)
        or ``down`` (every token exhausted); ``not configured`` for an empty pool."""
        if not self.tokens:
            return "not configured"
        now = time.time()
        usable = low = 0
        for tok in self.tokens:
            st = self.state(tok)
            remaining = int(st.get("remaining", DEFAULT_QUOTA))
            if remaining <= 0 and float(st.get("reset", 0)) > now:
                continue
            usable += 1
            if 0 <= remaining < DEFAULT_QUOTA // 10 and float(st.get("reset", 0)) > now:
                low += 1
        if usable == 0:
            return "down"
        if usable < len(self.tokens) or low:
            return "degraded"
        return "operational"
