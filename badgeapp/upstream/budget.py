"""The per-client budget of cold upstream fetches (the limit policy's upstream half).

A fresh cached answer costs nothing and is never refused; a fetch that has to go upstream
(revalidation included) first asks ``spend()``. The web app installs a spender for each request
(``badgeapp.badges.limits``: the client's ``RATE_LIMIT``); without one (CLI warm-up, scheduler,
tests of the layer alone) every fetch is allowed. Over budget, ``Upstream.get`` answers the last
good value as stale, or raises ``RateLimitExceeded`` when it has none.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

#: ``spender() -> retry_after`` : 0 when the fetch may go ahead, else seconds to wait
_spender: contextvars.ContextVar[Callable[[], int] | None] = contextvars.ContextVar(
    "badgeapp_upstream_spender", default=None
)


def install(spender: Callable[[], int] | None) -> contextvars.Token:
    """Set the spender for the current context; pass the token to ``reset``."""
    return _spender.set(spender)


def reset(token: contextvars.Token) -> None:
    """Undo ``install``."""
    _spender.reset(token)


def spend() -> int:
    """Charge one cold fetch: 0 when allowed, else the seconds until the budget allows one."""
    spender = _spender.get()
    return 0 if spender is None else spender()
